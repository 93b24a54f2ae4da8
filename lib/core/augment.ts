/**
 * Typing of what the plugin adds to Fastify: `request.authUser`, `request.user` (unless turned
 * off through {@link FsaTypes}), `request.authScheme`, `request.authToken`,
 * `request.authenticate()`, the instance decorators and `config.authorize`.
 */
import type { FsaApi } from './api.js'
import type { TokenInfo } from '../tokens/manager.js'
import type { AppTokenOptions } from './session-tokens.js'
import type { SecureRouteConfig } from './types.js'

/**
 * Type settings of fastify-simple-auth, extended by module augmentation. `requestUser: false`
 * drops the plugin's typing of `request.user`: do it when another plugin types `request.user`
 * (@fastify/jwt, passport), as two declarations of one property with different types do not
 * compile. The login stays in `request.authUser` (and `requireUser(request)`).
 *
 * @example
 *   declare module 'fastify-simple-auth' {
 *     interface FsaTypes { requestUser: false }
 *   }
 */
// an empty interface is the extension point: applications add members to it
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FsaTypes {}

/**
 * The plugin's `request.user` member, or none when {@link FsaTypes} says `requestUser: false`.
 * `request.user` is the login on routes that authenticated the request, and `undefined` elsewhere
 * (OPEN routes, unless `request.authenticate()` found credentials). The plugin sets it only in
 * contexts where no other plugin decorated `request.user`.
 */
// `{}` is what an interface extends to add nothing
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type FsaRequestUser = FsaTypes extends { requestUser: false } ? {} : {
  /** The authenticated login; `undefined` when the request was not authenticated. See `authUser`. */
  user?: string
}

declare module 'fastify' {
  interface FastifyRequest extends FsaRequestUser {
    /**
     * The authenticated login, or `null` (OPEN routes, before authentication). Always set by the
     * plugin, whatever other plugins do with `request.user`; `requireUser(request)` returns it as
     * a `string` on AUTH routes.
     */
    authUser: string | null
    /** The scheme that authenticated the request (`basic`, `token`...), or `null`. */
    authScheme: string | null
    /** The validated token when a token scheme authenticated the request. */
    authToken: TokenInfo | null
    /**
     * Authenticate on demand, typically on an OPEN route that wants to know an optional caller:
     * `await request.authenticate({ required: false })` resolves to the login or `null`.
     * With `required` (the default) a request without valid credentials is rejected with a 401.
     */
    authenticate (opts?: { required?: boolean }): Promise<string | null>
    /**
     * A token for the caller (or `opts.login`) in the realm of the current route (`config.realm`,
     * else the plugin's realm), as FlaskSimpleAuth's `create_token()` inside a route: on a
     * `realm: 'mfa'` route it makes another mfa token. Rejects with a 401 when nobody is
     * authenticated and no login is given.
     */
    createToken (opts?: AppTokenOptions & { login?: string }): Promise<string>
    /** The cookies of the request, converted by the route's `config.cookies` schema; `null` on routes without one. */
    cookieParams: Record<string, unknown> | null
  }
  interface FastifyInstance {
    /**
     * Create a signed token for `login` (fsa or JWT, as configured): stateless, unless `session`
     * asks for a session token (see docs/reference/tokens.md).
     */
    createToken (login: string, opts?: AppTokenOptions): Promise<string>
    /** Hash a password with argon2id after checking the quality rules (`check: false` skips them). */
    hashPassword (password: string, opts?: { check?: boolean }): Promise<string>
    /** Verify a password against a stored hash (argon2 or legacy bcrypt). */
    checkPassword (password: string, hash: string): Promise<boolean>
    /** Check the password quality rules; rejects with a 400 error that says what is wrong. */
    checkPasswordQuality (password: string): Promise<void>
    /** Audit, caches and helpers of fastify-simple-auth. */
    fsa: FsaApi
  }
  // merging the route options into Fastify's own config interface is the point: no new member
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FastifyContextConfig extends SecureRouteConfig {}
}
