/**
 * POST {prefix}/login (OPEN) and POST {prefix}/logout (AUTH).
 *
 * Login accepts a login name or an email (findSignInUser), checks the password like the `basic` and `param` schemes do (an unknown login costs a
 * dummy verification and gets the same 401), refuses inactive accounts and, with
 * `requireConfirmed`, unconfirmed ones, records the login (time, IP, count) and returns a token
 * in the body and/or the auth cookie. Note that `requireConfirmed` applies to this route only:
 * basic and param authentication on other routes follow the secure plugin, which checks `active`.
 *
 * Login issues a session token (a new session in the store, with the client address and user
 * agent). Logout revokes the presented session (or a stateless token, by its hash) on every
 * instance and clears the auth cookie; with `everywhere` it ends every session and bumps the
 * user's token version, which revokes every token of the user.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { FSA_ERR_AUTH_INACTIVE, FSA_ERR_AUTH_INVALID } from '../errors/catalogue.js'
import { clearTokenCookie, setTokenCookie } from '../tokens/carriers.js'
import { requireUser } from '../core/require-user.js'
import type { UserRecord } from '../store/store.js'
import { revokeEverything, revokePresented } from './sessions.js'
import type { AccountContext, AccountScope } from './context.js'
import { ErrorDoc, Login, NoContent, Password } from './schemas.js'

const LoginBody = Type.Object({ login: Type.String({ ...Login, description: 'login name or email' }), password: Password }, { additionalProperties: false })
const LoginReply = Type.Object({ login: Type.String(), token: Type.Optional(Type.String()) })
const LogoutQuery = Type.Object({ everywhere: Type.Optional(Type.Boolean({ description: 'end every session and revoke every token of the user' })) }, { additionalProperties: false })

/**
 * The account a person signing in means: an input with an `@` is an email first (emails are
 * unique, and a login that looks like an email is its owner's email, see register.ts), else, or
 * when no account has that email, a login name.
 */
export async function findSignInUser (ctx: AccountContext, input: string): Promise<UserRecord | null> {
  if (input.includes('@')) {
    const byEmail = await ctx.store.getUserByEmail(input)
    if (byEmail !== null) return byEmail
  }
  return await ctx.store.getUser(input)
}

/**
 * Check a login (or email) and password, record the login and open a session: the stored login
 * and its session token. Wrong login or password: FSA_ERR_AUTH_INVALID, the same for both;
 * inactive (or, with requireConfirmed, unconfirmed): FSA_ERR_AUTH_INACTIVE. Used by the login
 * route and the sign-in page.
 */
export async function signIn (scope: FastifyInstance, ctx: AccountContext, input: string, password: string, request: FastifyRequest): Promise<{ user: string, token: string }> {
  const { user, info, result } = await verifyLogin(scope as AccountScope, ctx, request, input, password)
  if (!info.active || (ctx.options.requireConfirmed && !info.confirmed)) throw new FSA_ERR_AUTH_INACTIVE()
  if (result.rehash) {
    await ctx.store.setPassword(user.login, await scope.fsa.passwords.hash(password, { check: false }))
    await ctx.uncache(user.login)
  }
  await ctx.store.recordLogin(user.login, request.ip ?? null)
  const client = { ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null }
  const token = await scope.createToken(user.login, { session: true, client })
  return { user: user.login, token }
}

/** Register the login and logout routes on `scope` (already prefixed). */
export function sessionRoutes (scope: AccountScope, ctx: AccountContext): void {
  const { loginToken } = ctx.options
  const inCookie = loginToken !== 'json'
  const inBody = loginToken !== 'cookie'

  if (ctx.options.routes.login) {
    // another site's form must not log the victim in as the attacker (login CSRF): crossSite
    scope.post('/login', {
      config: { authorize: 'OPEN', crossSite: true },
      schema: {
        summary: 'Log in with login and password, get a token',
        tags: ['accounts'],
        body: LoginBody,
        response: {
          200: LoginReply,
          400: ErrorDoc('malformed field'),
          401: ErrorDoc('invalid login or password; account disabled or not confirmed'),
          429: ErrorDoc('too many failed attempts from this client for this login, see Retry-After'),
          503: ErrorDoc('user store unavailable, or too many password checks in progress')
        }
      }
    }, async (request, reply) => {
      const { login, password } = request.body
      const { user, token } = await signIn(scope, ctx, login, password, request)
      if (inCookie) setTokenCookie(reply, token, scope.fsa.tokens!.options, request)
      return inBody ? { login: user, token } : { login: user }
    })
  }

  if (ctx.options.routes.logout) logoutRoute(scope, ctx)
}

/** The login's record, hash and verification, throttled: a 401 or 429 when they do not match. */
async function verifyLogin (scope: AccountScope, ctx: AccountContext, request: FastifyRequest, login: string, password: string) {
  const throttle = scope.fsa.throttle
  const flight = throttle?.check(login, request)
  try {
    const user = await findSignInUser(ctx, login)
    const info = user === null ? null : await ctx.store.getPasswordHash(user.login)
    const result = await scope.fsa.passwords.checkUser(user?.login ?? login, password, info?.hash)
    if (!result.ok || user === null || info === null) {
      // unknown logins are counted like wrong passwords: the answers cannot tell them apart
      await throttle?.failed(login, request)
      throw new FSA_ERR_AUTH_INVALID()
    }
    throttle?.succeeded(login, request, true)
    return { user, info, result }
  } finally {
    throttle?.release(flight)
  }
}

/** POST {prefix}/logout. */
function logoutRoute (scope: AccountScope, ctx: AccountContext): void {
  scope.post('/logout', {
    config: { authorize: 'AUTH' },
    schema: {
      summary: 'Log out: revoke this session (or token) everywhere and clear the auth cookie; everywhere=true ends every session',
      tags: ['accounts'],
      querystring: LogoutQuery,
      response: { 204: NoContent, 401: ErrorDoc('not authenticated'), 503: ErrorDoc('user store unavailable') }
    }
  }, async (request, reply) => {
    const login = requireUser(request)
    if (request.query.everywhere === true) await revokeEverything(ctx, login)
    else await revokePresented(scope, ctx, request, login)
    // no renewed cookie on the way out (see response-hooks.ts)
    request.authToken = null
    request.authScheme = null
    const tokens = scope.fsa.tokens
    if (tokens !== undefined && typeof reply.clearCookie === 'function') clearTokenCookie(reply, tokens.options)
    return reply.code(204).send(null)
  })
}
