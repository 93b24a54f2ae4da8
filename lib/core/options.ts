/**
 * The option schema of the `secure` plugin, the one source of its options: `SecureOptions`
 * (lib/core/types.ts) is derived from it, and lib/core/resolve.ts checks every option against it
 * at registration with the one option checker, so an unknown key or a bad value fails `ready()`
 * with an `FSA_ERR_OPT_*` error naming the key and what is allowed. Each option is documented
 * here and in docs/reference/options.md.
 */
import { Type, Fn } from '../options/schema.js'
import { ErrorResponseSchema } from '../errors/format.js'
import { PasswordOptionsSchema } from '../passwords/options.js'
import { TokenOptionsSchema } from '../tokens/options.js'
import { CacheOptionsSchema } from '../cache/options.js'
import { ParamOptionsSchema } from '../schemes/param.js'
import { ThrottleOptionsSchema } from '../throttle/options.js'
import type { UserStore } from '../store/store.js'
import type { CustomSchemeFn, GetUserPassFn, GroupCheckFn, HeaderFn, ObjectPermFn, UserInGroupFn } from './types.js'

const Names = Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }))])

/** A `UserStore` instance, recognized by the methods the plugin calls. */
const StoreInstance = Type.Unsafe<UserStore>({
  type: 'object',
  properties: { getPasswordHash: Fn(), isInGroup: Fn() },
  required: ['getPasswordHash', 'isInGroup'],
  expected: 'a UserStore'
})

/** The schema of {@link SecureOptions}. */
export const SecureOptionsSchema = Type.Object({
  /**
   * Enabled authentication schemes, tried in this order. A scalar expands as in FlaskSimpleAuth:
   * `'password'` → `['token', 'none', 'basic', 'param']`, another scalar `X` → `['token', X, 'none']`,
   * `'token'`, `'oauth'` and `'none'` stay alone. In a list, `'password'` becomes `basic` + `param`.
   * @default 'password' with a password source (`getUserPass`, `store` or `password.check`),
   * else `['token', 'none']`
   */
  auth: Type.Optional(Names),
  /**
   * Schemes tried on routes without `config.auth` (a subset of `auth`). `oauth` cannot be mixed
   * with other schemes on a route, so routes opt into it with `config.auth: 'oauth'`.
   * @default all of `auth` but `oauth` (just `['oauth']` when it is the only scheme besides `none`)
   */
  authDefault: Type.Optional(Names),
  /** Realm of basic challenges and tokens (the JWT audience). @default 'fastify' */
  realm: Type.Optional(Type.String({ minLength: 1 })),
  /** Parameter names of the `param` scheme. @default { user: 'USER', pass: 'PASS' } */
  param: Type.Optional(ParamOptionsSchema),
  /** Custom schemes by name; each must also be listed in `auth`. */
  schemes: Type.Optional(Type.Record(Fn<CustomSchemeFn>())),
  /** Token format, carrier, secret and lifetime: see docs/reference/tokens.md. */
  token: Type.Optional(TokenOptionsSchema),
  /** Password hashing and quality rules: see docs/reference/passwords.md. */
  password: Type.Optional(PasswordOptionsSchema),
  /** Password hash of a login. */
  getUserPass: Type.Optional(Fn<GetUserPassFn>()),
  /** Generic group membership. */
  userInGroup: Type.Optional(Fn<UserInGroupFn>()),
  /** Per-group membership checks; each key also declares the group. */
  groupCheck: Type.Optional(Type.Record(Fn<GroupCheckFn>())),
  /** Object permission checkers by domain. */
  objectPerms: Type.Optional(Type.Record(Fn<ObjectPermFn>())),
  /** Groups that `userInGroup` knows; when given, other group names are a start-up error. @default [] */
  groups: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  /** Known oauth scopes; when given, other scope names are a start-up error. @default [] */
  scopes: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  /** Cache of callback results and token validations: see docs/reference/caching.md. */
  cache: Type.Optional(CacheOptionsSchema),
  /**
   * Throttling of failed password checks (per login and client address, per address, per login)
   * and of account mails: see docs/reference/throttling.md. `false` switches it off.
   * @default { failures: 5, delay: 1, maxDelay: 900, window: 900, perAddress: 50, perLogin: 200, mail: { perAddress: 3, perClient: 10, window: 3600 } }
   */
  throttle: Type.Optional(ThrottleOptionsSchema),
  /** Format of error bodies, for the plugin's errors and Fastify's own 4xx. @default 'plain' */
  errorResponse: Type.Optional(ErrorResponseSchema),
  /**
   * Also install the plugin's error and not-found handlers where the plugin is registered, so that
   * Fastify's own 400/404/413/415 (and every unhandled error) use `errorResponse`. Off by default:
   * the plugin sends its own errors itself and leaves the application's handlers alone. @default false
   */
  handleErrors: Type.Optional(Type.Boolean()),
  /** Headers added to every response: a string, or a function of the request and reply. @default {} */
  addHeaders: Type.Optional(Type.Record(Type.Union([Type.String(), Fn<HeaderFn>()]))),
  /** `dev` and `debug` add `FSA-Request`, `FSA-User` and `FSA-Delay` headers. @default 'prod' */
  mode: Type.Optional(Type.Union([Type.Literal('prod'), Type.Literal('dev'), Type.Literal('debug')])),
  /** Deny plain HTTP from non-loopback clients (honours `trustProxy`). @default true */
  secure: Type.Optional(Type.Boolean()),
  /**
   * `Strict-Transport-Security` on HTTPS responses of protected and OPEN routes when `secure` is
   * on; `false` leaves it to a proxy or @fastify/helmet. @default { maxAge: 15552000 (180 days), includeSubDomains: false }
   */
  hsts: Type.Optional(Type.Union([Type.Literal(false), Type.Object({
    /** Seconds the browser keeps to HTTPS. @default 15552000 */
    maxAge: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Also every subdomain (only when all of them serve HTTPS). @default false */
    includeSubDomains: Type.Optional(Type.Boolean())
  }, { additionalProperties: false })], { expected: 'false or { maxAge, includeSubDomains }' })),
  /**
   * Cross-site request forgery protection (docs/security.md): requests whose credentials a browser
   * attaches by itself (Basic, the auth cookie) with an unsafe method, requests that would get the
   * auth cookie, and routes with `config.crossSite: true` are refused (403) when `Origin`,
   * `Referer` or `Sec-Fetch-Site` names another site. `false` switches it off. @default {}
   */
  crossSite: Type.Optional(Type.Union([Type.Literal(false), Type.Object({
    /** Origins whose pages may send such requests too (`https://app.example.com`). @default [] */
    trustedOrigins: Type.Optional(Type.Array(Type.String({ minLength: 1 })))
  }, { additionalProperties: false })], { expected: 'false or { trustedOrigins }' })),
  /**
   * Pages: unauthenticated browser navigations (GET/HEAD with `text/html` in `Accept`) to AUTH
   * routes get a 303 to this login URL with `?next=<path>` instead of a 401; `true` is `'/login'`.
   * Routes choose with `config.loginRedirect`. API clients (`*\/*`, JSON) keep the 401. @default false
   */
  redirect401: Type.Optional(Type.Union([Type.Boolean(), Type.String({ pattern: '^/(?![/\\\\])', expected: 'a path of this site such as "/login"' })])),
  /**
   * Unexpected request parameters are a 400 naming them, also on routes that declare no parameter
   * schema (`config.unexpectedParams: 'accept'` lets a route take any). @default true
   */
  rejectUnexpectedParam: Type.Optional(Type.Boolean()),
  /**
   * Register @fastify/cors (an optional peer) app-wide, FSA_CORS: `true` with its defaults, or its
   * options as they are. Origins given as strings (`origin: ['https://app.example.com']`) are also
   * trusted by the cross-site check. @default false
   */
  cors: Type.Optional(Type.Union([Type.Boolean(), Type.Unsafe<{ [option: string]: unknown }>({ type: 'object' })], { expected: 'a boolean or @fastify/cors options' })),
  /**
   * File uploads as parameters (`FileUpload` in a body schema): registers @fastify/multipart (an
   * optional peer) app-wide with its fields attached to the body, within `limits` (bytes and
   * counts; over a limit: 413). @default false
   */
  uploads: Type.Optional(Type.Union([Type.Boolean(), Type.Object({
    /** @fastify/multipart (busboy) limits. @default { fileSize: the app's bodyLimit (1 MiB) } */
    limits: Type.Optional(Type.Object({
      fileSize: Type.Optional(Type.Integer({ minimum: 0 })),
      files: Type.Optional(Type.Integer({ minimum: 0 })),
      fields: Type.Optional(Type.Integer({ minimum: 0 })),
      fieldSize: Type.Optional(Type.Integer({ minimum: 0 })),
      parts: Type.Optional(Type.Integer({ minimum: 0 }))
    }, { additionalProperties: false }))
  }, { additionalProperties: false })], { expected: 'a boolean or { limits }' })),
  /** Status of the internal errors the plugin sends (a callback that throws...), FSA_SERVER_ERROR. @default 500 */
  serverError: Type.Optional(Type.Integer({ minimum: 500, maximum: 599 })),
  /** Status when an object permission callback finds no object (returns null), FSA_NOT_FOUND_ERROR. @default 404 */
  notFoundError: Type.Optional(Type.Integer({ minimum: 400, maximum: 499 })),
  /** A route without `config.authorize`, or declared before the plugin, is a start-up error instead of a warning. @default false */
  strict: Type.Optional(Type.Boolean()),
  /**
   * The built-in user store: a database URL (`sqlite://path.db`, `sqlite::memory:`,
   * `postgres://...`), `'env'` for `FSA_DB_URL`, or an opened `UserStore`. It then provides
   * `getUserPass` and `userInGroup`, and token versions revoke tokens. See docs/reference/store.md.
   */
  store: Type.Optional(Type.Union([Type.String({ minLength: 1 }), StoreInstance], { expected: '"env", a database URL or a UserStore' }))
}, { additionalProperties: false })
