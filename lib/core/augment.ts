/**
 * Typing of what the plugin adds to Fastify: `request.user`, `request.authScheme`,
 * `request.authToken`, `request.authenticate()`, the instance decorators and `config.authorize`.
 */
import type { FsaApi } from './api.js'
import type { TokenInfo, CreateTokenOptions } from '../tokens/manager.js'
import type { SecureRouteConfig } from './types.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated login, or `null` (OPEN routes, before authentication). */
    user: string | null
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
  }
  interface FastifyInstance {
    /** Create a signed token for `login` (fsa or JWT, as configured). */
    createToken (login: string, opts?: CreateTokenOptions): Promise<string>
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
