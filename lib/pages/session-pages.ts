/**
 * The sign-in and sign-out pages: GET/POST {prefix}/login, GET/POST {prefix}/logout.
 *
 * Sign-in takes a login name or an email (findSignInUser), opens a session like the users
 * plugin's login route, puts its token in the auth cookie (the cookie carrier: HttpOnly,
 * SameSite, Secure except on loopback) and sends the browser, with a 303, to `next` when it is a
 * path of this origin (safeNext), else home. A failure shows the form again with one message that
 * does not say which part was wrong. Every POST needs the CSRF token, on top of the origin check
 * (`crossSite: true`).
 */
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { signIn } from '../accounts/session.js'
import { revokePresented } from '../accounts/sessions.js'
import type { AccountScope } from '../accounts/context.js'
import { requireUser } from '../core/require-user.js'
import { safeNext } from '../http/login-redirect.js'
import { clearTokenCookie, setTokenCookie } from '../tokens/carriers.js'
import { isDeliberate } from '../errors/failure.js'
import type { PageKit } from './kit.js'
import { setFlash } from './render.js'

const Csrf = Type.String({ maxLength: 512, description: 'CSRF token of the form' })
const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2048 })) }, { additionalProperties: false })
const LoginForm = Type.Object({
  _csrf: Type.Optional(Csrf),
  login: Type.String({ minLength: 1, maxLength: 255 }),
  password: Type.String({ minLength: 1, maxLength: 4096 })
}, { additionalProperties: false })
const CsrfForm = Type.Object({ _csrf: Type.Optional(Csrf) }, { additionalProperties: false })
const INVALID = 'Wrong login or password, or the account is not active.'

/** Register the login and logout pages on `scope` (already prefixed). */
export function sessionPages (scope: FastifyInstance, kit: PageKit): void {
  const tokens = scope.fsa.tokens!
  const nextQuery = (next: string | undefined): string => next === undefined ? '' : `?next=${encodeURIComponent(next)}`

  scope.get('/login', { config: { authorize: 'OPEN' }, schema: { querystring: NextQuery } }, async (request, reply) => {
    const { next } = request.query as { next?: string }
    return kit.render(request, reply, 'login', { title: 'Sign in', nextQuery: nextQuery(next) })
  })

  scope.post('/login', {
    config: { authorize: 'OPEN', crossSite: true },
    schema: { querystring: NextQuery, body: LoginForm },
    attachValidation: true,
    preHandler: kit.csrf
  }, async (request, reply) => {
    const { next } = (request.query ?? {}) as { next?: string }
    const body = (request.body ?? {}) as { login?: string, password?: string }
    const again = (status: number) => kit.render(request, reply, 'login', { title: 'Sign in', nextQuery: nextQuery(next), error: INVALID, fields: { login: body.login } }, status)
    if (request.validationError !== undefined) return again(400)
    try {
      const { token } = await signIn(scope, kit.ctx, body.login as string, body.password as string, request)
      setTokenCookie(reply, token, tokens.options, request)
    } catch (e) {
      if (isDeliberate(e) && e.statusCode === 401) return again(401)
      throw e
    }
    return reply.code(303).header('location', safeNext(next, kit.options.home)).send()
  })

  scope.get('/logout', { config: { authorize: 'AUTH', loginRedirect: true }, schema: { querystring: Type.Object({}, { additionalProperties: false }) } }, async (request, reply) => {
    return kit.render(request, reply, 'logout', { title: 'Sign out' })
  })

  scope.post('/logout', { config: { authorize: 'AUTH', crossSite: true }, schema: { body: CsrfForm }, preHandler: kit.csrf }, async (request, reply) => {
    const login = requireUser(request)
    await revokePresented(scope as AccountScope, kit.ctx, request, login)
    // no renewed cookie on the way out (see response-hooks.ts)
    request.authToken = null
    request.authScheme = null
    clearTokenCookie(reply, tokens.options)
    setFlash(reply, 'signed-out')
    return reply.code(303).header('location', kit.url('/login')).send()
  })
}
