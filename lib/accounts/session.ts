/**
 * POST {prefix}/login (OPEN) and POST {prefix}/logout (AUTH).
 *
 * Login checks the password like the `basic` and `param` schemes do (an unknown login costs a
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
import { Type } from 'typebox'
import type { FastifyRequest } from 'fastify'
import { FSA_ERR_AUTH_INACTIVE, FSA_ERR_AUTH_INVALID } from '../errors/catalogue.js'
import { clearTokenCookie, setTokenCookie } from '../tokens/carriers.js'
import { requireUser } from '../core/require-user.js'
import { revokeEverything, revokePresented } from './sessions.js'
import type { AccountContext, AccountScope } from './context.js'
import { ErrorDoc, Login, NoContent, Password } from './schemas.js'

const LoginBody = Type.Object({ login: Login, password: Password }, { additionalProperties: false })
const LoginReply = Type.Object({ login: Type.String(), token: Type.Optional(Type.String()) })
const LogoutQuery = Type.Object({ everywhere: Type.Optional(Type.Boolean({ description: 'end every session and revoke every token of the user' })) }, { additionalProperties: false })

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
      const { user, info, result } = await verifyLogin(scope, ctx, request, login, password)
      if (!info.active || (ctx.options.requireConfirmed && !info.confirmed)) throw new FSA_ERR_AUTH_INACTIVE()
      if (result.rehash) {
        await ctx.store.setPassword(user.login, await scope.fsa.passwords.hash(password, { check: false }))
        await ctx.uncache(user.login)
      }
      await ctx.store.recordLogin(user.login, request.ip ?? null)
      const client = { ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null }
      const token = await scope.createToken(user.login, { session: true, client })
      if (inCookie) setTokenCookie(reply, token, scope.fsa.tokens!.options, request)
      return inBody ? { login: user.login, token } : { login: user.login }
    })
  }

  if (ctx.options.routes.logout) logoutRoute(scope, ctx)
}

/** The login's record, hash and verification, throttled: a 401 or 429 when they do not match. */
async function verifyLogin (scope: AccountScope, ctx: AccountContext, request: FastifyRequest, login: string, password: string) {
  const throttle = scope.fsa.throttle
  const flight = throttle?.check(login, request)
  try {
    const user = await ctx.store.getUser(login)
    const info = user === null ? null : await ctx.store.getPasswordHash(user.login)
    const result = await scope.fsa.passwords.checkUser(login, password, info?.hash)
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
