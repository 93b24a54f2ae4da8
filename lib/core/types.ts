/**
 * Public types of the `secure` plugin options and callbacks. Option keys are documented here
 * (JSDoc with defaults) and in docs/reference/options.md.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorResponseOption } from '../errors/format.js'
import type { PasswordOptions } from '../passwords/options.js'
import type { TokenOptions } from '../tokens/options.js'
import type { CacheOptions } from '../cache/options.js'
import type { UserStore } from '../store/store.js'

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
}

/** `getUserPass(login)`: the password hash of a login. Results are cached (kind `u`). */
export type GetUserPassFn = (login: string) => MaybePromise<UserPass>
/** `userInGroup(login, group)`: generic membership check. Results are cached (kind `g`). */
export type UserInGroupFn = (login: string, group: string) => MaybePromise<boolean>
/** `groupCheck[group](login)`: membership check of one group. Results are cached (kind `c`). */
export type GroupCheckFn = (login: string) => MaybePromise<boolean>
/**
 * `objectPerms[domain](login, ...ids, mode)`: `true` allowed, `false` 403, `null` 404.
 * Results are cached (kind `p`).
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

/** Options of `fastify.register(secure, options)`. */
export interface SecureOptions {
  /**
   * Enabled authentication schemes, tried in this order. A scalar expands as in FlaskSimpleAuth:
   * `'password'` → `['token', 'none', 'basic', 'param']`, another scalar `X` → `['token', X, 'none']`,
   * `'token'`, `'oauth'` and `'none'` stay alone. In a list, `'password'` becomes `basic` + `param`.
   * @default 'password'
   */
  auth?: string | string[]
  /**
   * Schemes tried on routes without `config.auth` (a subset of `auth`). `oauth` cannot be mixed
   * with other schemes on a route, so routes opt into it with `config.auth: 'oauth'`.
   * @default all of `auth` but `oauth` (just `['oauth']` when it is the only scheme besides `none`)
   */
  authDefault?: string | string[]
  /** Realm of basic challenges and tokens (the JWT audience). @default 'fastify' */
  realm?: string
  /** Parameter names of the `param` scheme. @default { user: 'USER', pass: 'PASS' } */
  param?: { user?: string, pass?: string }
  /** Custom schemes by name; each must also be listed in `auth`. */
  schemes?: Record<string, CustomSchemeFn>
  /** Token format, carrier, secret and lifetime: see docs/reference/tokens.md. */
  token?: TokenOptions
  /** Password hashing and quality rules: see docs/reference/passwords.md. */
  password?: PasswordOptions
  /** Password hash of a login. */
  getUserPass?: GetUserPassFn
  /** Generic group membership. */
  userInGroup?: UserInGroupFn
  /** Per-group membership checks; each key also declares the group. */
  groupCheck?: Record<string, GroupCheckFn>
  /** Object permission checkers by domain. */
  objectPerms?: Record<string, ObjectPermFn>
  /** Groups that `userInGroup` knows; when given, other group names are a start-up error. @default [] */
  groups?: string[]
  /** Known oauth scopes; when given, other scope names are a start-up error. @default [] */
  scopes?: string[]
  /** Cache of callback results and token validations: see docs/reference/caching.md. */
  cache?: CacheOptions
  /** Format of error bodies, for the plugin's errors and Fastify's own 4xx. @default 'plain' */
  errorResponse?: ErrorResponseOption
  /**
   * Also install the plugin's error and not-found handlers where the plugin is registered, so that
   * Fastify's own 400/404/413/415 (and every unhandled error) use `errorResponse`. Off by default:
   * the plugin sends its own errors itself and leaves the application's handlers alone. @default false
   */
  handleErrors?: boolean
  /** Headers added to every response: a string, or a function of the request and reply. @default {} */
  addHeaders?: Record<string, string | HeaderFn>
  /** `dev` and `debug` add `FSA-Request`, `FSA-User` and `FSA-Delay` headers. @default 'prod' */
  mode?: 'prod' | 'dev' | 'debug'
  /** Deny plain HTTP from non-loopback clients (honours `trustProxy`). @default true */
  secure?: boolean
  /** Unexpected request parameters are a 400. @default true */
  rejectUnexpectedParam?: boolean
  /** A route without `config.authorize` is a start-up error instead of a warning. @default false */
  strict?: boolean
  /**
   * The built-in user store: a database URL (`sqlite://path.db`, `sqlite::memory:`,
   * `postgres://...`), `'env'` for `FSA_DB_URL`, or an opened `UserStore`. It then provides
   * `getUserPass` and `userInGroup`, and token versions revoke tokens. See docs/reference/store.md.
   */
  store?: string | UserStore
}

/** Per-route options read from `config`: `{ config: { authorize, auth, realm } }`. */
export interface SecureRouteConfig {
  /** Who may call the route: `'OPEN'`, `'AUTH'`, `'CLOSE'`, a group, `perm(domain, param, mode)`, or a list (AND). */
  authorize?: Authorize
  /** Schemes allowed on this route, overriding `authDefault`. */
  auth?: string | string[]
  /** Realm of this route (a separate token space, e.g. for MFA). */
  realm?: string
}

/** One object permission `[domain, param, mode]`. */
export type PermissionTuple = readonly [domain: string, param?: string, mode?: string]
/** One requirement of `authorize`. */
export type Requirement = string | PermissionTuple | readonly [PermissionTuple]
/** `config.authorize`: one requirement, or a list of requirements that must all hold. */
export type Authorize = string | ReadonlyArray<Requirement>
