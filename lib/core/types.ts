/**
 * Public types of the `secure` plugin options and callbacks. The options type is derived from the
 * option schema (lib/core/options.ts, JSDoc with defaults) and documented in docs/reference/options.md.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Static } from '../options/schema.js'
import type { SecureOptionsSchema } from './options.js'

/** A value or a promise of it: every callback may be sync or async. */
export type MaybePromise<T> = T | Promise<T>

/**
 * What `getUserPass(login)` returns: the stored password hash, `null`/`undefined` for an unknown
 * login, or a record when the source also knows whether the account may log in and the version of
 * its tokens (the built-in store returns this form).
 */
export type UserPass = string | null | undefined | {
  /** The stored hash (argon2 or legacy bcrypt). */
  password: string
  /**
   * The canonical spelling of the login when the source matches logins case-insensitively:
   * `request.authUser` takes it, so `CALVIN` and `calvin` are one user. @default the login as given
   */
  login?: string
  /** An inactive account cannot log in with its password (with the store, nor with a token). @default true */
  active?: boolean
  /** Current token version; with the built-in store, tokens of another version are revoked. */
  tokenVersion?: number
  /**
   * A random value of the account, new when an account is (re-)created (Flask-Security's
   * `fs_uniquifier`): tokens are bound to it, so a re-created login does not inherit the old
   * account's tokens. Without it (and without the store) tokens are stateless until they expire.
   */
  uniquifier?: string
}

/** `getUserPass(login)`: the password hash of a login. Results are cached (kind `user`). */
export type GetUserPassFn = (login: string) => MaybePromise<UserPass>
/** `userInGroup(login, group)`: generic membership check. Results are cached (kind `group`). */
export type UserInGroupFn = (login: string, group: string) => MaybePromise<boolean>
/** `groupCheck[group](login)`: membership check of one group. Results are cached (kind `groupCheck`). */
export type GroupCheckFn = (login: string) => MaybePromise<boolean>
/**
 * `objectPerms[domain](login, ...ids, mode)`: `true` allowed, `false` 403, `null` 404.
 * Results are cached (kind `perm`).
 */
export type ObjectPermFn = (login: string, ...args: any[]) => MaybePromise<boolean | null | undefined>
/**
 * A custom authentication scheme: return the login, `null` when the request carries no credentials
 * of this kind (the next scheme is tried), or throw `err(message, 401)` for bad credentials.
 */
export type CustomSchemeFn = (request: FastifyRequest) => MaybePromise<string | null | undefined>
/** A header value computed per response; `null`/`undefined`/`''` skips the header. */
export type HeaderFn = (request: FastifyRequest, reply: FastifyReply) => string | null | undefined

/** Built-in scheme names (custom schemes add their own). */
export type BuiltinScheme = 'none' | 'basic' | 'param' | 'password' | 'token' | 'oauth'

/**
 * Options of `fastify.register(secure, options)`, derived from their schema (lib/core/options.ts,
 * where each option is documented): an option cannot exist in the type and not in the schema.
 */
export type SecureOptions = Static<typeof SecureOptionsSchema>

/** Per-route options read from `config`: `{ config: { authorize, auth, realm } }`. */
export interface SecureRouteConfig {
  /** Who may call the route: `'OPEN'`, `'AUTH'`, `'CLOSE'`, a group, `perm(domain, param, mode)`, or a list (AND). */
  authorize?: Authorize
  /** Schemes allowed on this route, overriding `authDefault`. */
  auth?: string | string[]
  /** Realm of this route (a separate token space, e.g. for MFA). */
  realm?: string
  /**
   * Cross-site protection of this route: `true` refuses every cross-site request (login and
   * registration forms), `false` never checks; unset, the plugin decides by method and credentials.
   */
  crossSite?: boolean
  /**
   * Parameters no schema of the route declares: `'reject'` answers 400 naming them, `'accept'`
   * lets them through (routes that read the raw query themselves, the docs plugin's routes).
   * @default the `rejectUnexpectedParam` option ('reject' unless it is false)
   */
  unexpectedParams?: 'accept' | 'reject'
  /**
   * Cookie parameters, as a TypeBox object schema: validated and converted in the parameter
   * step (400 naming the cookie), their values in `request.cookieParams`.
   */
  cookies?: object
  /**
   * Send unauthenticated browser navigations (GET/HEAD with `text/html` in `Accept`) to the login
   * page (303, `?next=<path>`) instead of a 401; unset, the plugin's `redirect401` decides.
   */
  loginRedirect?: boolean
}

/** One object permission `[domain, param, mode]`. */
export type PermissionTuple = readonly [domain: string, param?: string, mode?: string]
/** One requirement of `authorize`. */
export type Requirement = string | PermissionTuple | readonly [PermissionTuple]
/** `config.authorize`: one requirement, or a list of requirements that must all hold. */
export type Authorize = string | ReadonlyArray<Requirement>
