/**
 * The error catalogue of fastify-simple-auth: every error the plugin raises has a stable
 * `FSA_ERR_<AREA>_<WHAT>` code, built with @fastify/error so that Fastify and applications can
 * match on `error.code`. `test/errors-catalogue.test.ts` fails when a code is missing from
 * docs/reference/errors.md.
 *
 * Request-time errors (4xx) are created without a stack trace: they are expected outcomes, not
 * bugs, and capturing a stack costs microseconds on paths an attacker can hit at will.
 */
import createError from '@fastify/error'

type Headers = Record<string, string>

/**
 * An error that becomes an HTTP response: raise it from handlers and callbacks with {@link err}.
 * `headers` are added to the response (a 401 carries its own `WWW-Authenticate`).
 */
export class ErrorResponse extends Error {
  readonly code: string = 'FSA_ERR_RESPONSE'
  readonly statusCode: number
  readonly headers: Headers | undefined

  constructor (message: string, statusCode = 400, headers?: Headers) {
    super(message)
    this.name = 'ErrorResponse'
    this.statusCode = statusCode
    this.headers = headers
  }
}

/**
 * Throw an error that becomes the response `status` with `message` in the configured error format.
 *
 * @example
 *   if (!stuff) err('no such stuff', 404)
 *   err('login already exists', 409)
 */
export function err (message: string, status = 400, headers?: Headers): never {
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new FSA_ERR_BAD_STATUS(String(status))
  }
  throw new ErrorResponse(message, status, headers)
}

/** Whether `e` carries an HTTP status the plugin should send as is (4xx or 5xx from `err`). */
export function hasStatus (e: unknown): e is Error & { statusCode: number, headers?: Headers } {
  return e instanceof Error && typeof (e as { statusCode?: unknown }).statusCode === 'number'
}

const noStack = (code: string, message: string, status: number) => createError(code, message, status, Error, false)

// ---- options (start-up) -----------------------------------------------------------------
export const FSA_ERR_OPT_UNKNOWN = createError('FSA_ERR_OPT_UNKNOWN', 'unknown option "%s" (allowed here: %s)', 500)
export const FSA_ERR_OPT_INVALID = createError('FSA_ERR_OPT_INVALID', 'invalid option "%s": %s', 500)
export const FSA_ERR_OPT_SCHEME = createError('FSA_ERR_OPT_SCHEME', 'unknown authentication scheme "%s" in %s (available: %s)', 500)
export const FSA_ERR_OPT_PASSWORD_SOURCE = createError('FSA_ERR_OPT_PASSWORD_SOURCE', 'the "%s" scheme checks passwords but nothing provides them: give getUserPass, store or password.check, or leave the scheme out of auth', 500)
export const FSA_ERR_OPT_SECRET = createError('FSA_ERR_OPT_SECRET', 'token secret rejected: %s', 500)
export const FSA_ERR_OPT_ALGORITHM = createError('FSA_ERR_OPT_ALGORITHM', 'token algorithm rejected: %s', 500)
export const FSA_ERR_OPT_CACHE_SECRET = createError('FSA_ERR_OPT_CACHE_SECRET', 'cache secret rejected: %s', 500)
export const FSA_ERR_OPT_PEER_MISSING = createError('FSA_ERR_OPT_PEER_MISSING', 'install %s to use %s (an optional peer dependency of fastify-simple-auth)', 500)
export const FSA_ERR_BAD_STATUS = createError('FSA_ERR_BAD_STATUS', 'err() needs an HTTP status between 100 and 599, got %s', 500)

// ---- route declarations (start-up) ------------------------------------------------------
export const FSA_ERR_ROUTE_AUTHORIZE = createError('FSA_ERR_ROUTE_AUTHORIZE', '%s %s: %s', 500)
export const FSA_ERR_ROUTE_AUTH = createError('FSA_ERR_ROUTE_AUTH', '%s %s: %s', 500)
export const FSA_ERR_ROUTE_UNDECLARED = createError('FSA_ERR_ROUTE_UNDECLARED', 'routes without config.authorize (strict mode): %s', 500)
export const FSA_ERR_ROUTE_REALM = createError('FSA_ERR_ROUTE_REALM', '%s: realms %s are the same fsa token realm "%s", so a token of one would be accepted on the other: rename one', 500)
export const FSA_ERR_ROUTE_EARLY = createError('FSA_ERR_ROUTE_EARLY', 'routes registered before the plugin, which never saw their declaration (strict mode): %s', 500)

// ---- authentication (401) ---------------------------------------------------------------
export const FSA_ERR_AUTH_MISSING = noStack('FSA_ERR_AUTH_MISSING', 'missing authentication', 401)
export const FSA_ERR_AUTH_BASIC_HEADER = noStack('FSA_ERR_AUTH_BASIC_HEADER', 'malformed basic authorization header', 401)
export const FSA_ERR_AUTH_PARAM_MISSING = noStack('FSA_ERR_AUTH_PARAM_MISSING', 'missing password parameter "%s"', 401)
export const FSA_ERR_AUTH_INVALID = noStack('FSA_ERR_AUTH_INVALID', 'invalid login or password', 401)
export const FSA_ERR_AUTH_INACTIVE = noStack('FSA_ERR_AUTH_INACTIVE', 'account disabled or not confirmed', 401)
export const FSA_ERR_AUTH_THROTTLED = noStack('FSA_ERR_AUTH_THROTTLED', 'too many failed attempts, retry later', 429)
export const FSA_ERR_AUTH_CUSTOM = noStack('FSA_ERR_AUTH_CUSTOM', 'authentication failed in scheme "%s"', 401)

// ---- tokens (401) -----------------------------------------------------------------------
export const FSA_ERR_TOKEN_MALFORMED = noStack('FSA_ERR_TOKEN_MALFORMED', 'malformed %s token', 401)
export const FSA_ERR_TOKEN_SIGNATURE = noStack('FSA_ERR_TOKEN_SIGNATURE', 'invalid %s token signature', 401)
export const FSA_ERR_TOKEN_EXPIRED = noStack('FSA_ERR_TOKEN_EXPIRED', 'expired %s token', 401)
export const FSA_ERR_TOKEN_REALM = noStack('FSA_ERR_TOKEN_REALM', 'unexpected %s token realm or audience', 401)
export const FSA_ERR_TOKEN_ISSUER = noStack('FSA_ERR_TOKEN_ISSUER', 'unexpected %s token issuer', 401)
export const FSA_ERR_TOKEN_REVOKED = noStack('FSA_ERR_TOKEN_REVOKED', 'revoked token', 401)
export const FSA_ERR_TOKEN_NO_SIGNER = createError('FSA_ERR_TOKEN_NO_SIGNER', 'cannot create tokens: %s', 500)

// ---- passwords --------------------------------------------------------------------------
export const FSA_ERR_PASSWORD_SHORT = noStack('FSA_ERR_PASSWORD_SHORT', 'password is too short, must be at least %s characters', 400)
export const FSA_ERR_PASSWORD_LONG = noStack('FSA_ERR_PASSWORD_LONG', 'password is too long, must be at most %s characters', 400)
export const FSA_ERR_PASSWORD_REGEX = noStack('FSA_ERR_PASSWORD_REGEX', 'password must match %s', 400)
export const FSA_ERR_PASSWORD_QUALITY = noStack('FSA_ERR_PASSWORD_QUALITY', 'password quality too low%s', 400)
export const FSA_ERR_PASSWORD_COMMON = noStack('FSA_ERR_PASSWORD_COMMON', 'password is too common, choose another one', 400)
export const FSA_ERR_PASSWORD_BUSY = noStack('FSA_ERR_PASSWORD_BUSY', 'too many password checks in progress, retry later', 503)
export const FSA_ERR_PASSWORD_HASH = createError('FSA_ERR_PASSWORD_HASH', 'unsupported password hash format: %s', 500)

// ---- authorization ----------------------------------------------------------------------
export const FSA_ERR_AUTHZ_CLOSED = noStack('FSA_ERR_AUTHZ_CLOSED', 'currently closed route', 403)
export const FSA_ERR_AUTHZ_GROUP = noStack('FSA_ERR_AUTHZ_GROUP', 'not in group "%s"', 403)
export const FSA_ERR_AUTHZ_SCOPE = noStack('FSA_ERR_AUTHZ_SCOPE', 'missing scope "%s"', 403)
export const FSA_ERR_AUTHZ_PERM = noStack('FSA_ERR_AUTHZ_PERM', 'permission denied on %s', 403)
export const FSA_ERR_AUTHZ_NOT_FOUND = noStack('FSA_ERR_AUTHZ_NOT_FOUND', 'object not found: %s', 404)
export const FSA_ERR_AUTHZ_INSECURE = noStack('FSA_ERR_AUTHZ_INSECURE', 'insecure HTTP request denied, use HTTPS', 403)
export const FSA_ERR_AUTHZ_CROSS_SITE = noStack('FSA_ERR_AUTHZ_CROSS_SITE', 'cross-site request denied', 403)

// ---- callbacks (500 to the client, detail in the log) -------------------------------------
export const FSA_ERR_CALLBACK = createError('FSA_ERR_CALLBACK', 'internal error in %s', 500)
export const FSA_ERR_CALLBACK_RESULT = createError('FSA_ERR_CALLBACK_RESULT', 'internal error: %s returned %s, expected %s', 500)

// ---- parameters (400) -------------------------------------------------------------------
export const FSA_ERR_PARAM_INVALID = noStack('FSA_ERR_PARAM_INVALID', '%s', 400)
export const FSA_ERR_PARAM_PATH = noStack('FSA_ERR_PARAM_PATH', 'not found: %s', 404)

// ---- cache and store --------------------------------------------------------------------
export const FSA_ERR_CACHE_BACKEND = createError('FSA_ERR_CACHE_BACKEND', 'cache backend error: %s', 500)
export const FSA_ERR_STORE_UNAVAILABLE = noStack('FSA_ERR_STORE_UNAVAILABLE', 'user store unavailable, retry later', 503)
export const FSA_ERR_STORE_URL = createError('FSA_ERR_STORE_URL', 'unsupported store URL "%s" (use sqlite://path, sqlite::memory: or postgres://...)', 500)
export const FSA_ERR_STORE_CONFLICT = noStack('FSA_ERR_STORE_CONFLICT', '%s', 409)
export const FSA_ERR_STORE_NOT_FOUND = noStack('FSA_ERR_STORE_NOT_FOUND', '%s', 404)
export const FSA_ERR_STORE_TOO_LARGE = noStack('FSA_ERR_STORE_TOO_LARGE', 'custom data too large: %s bytes, at most %s', 413)
export const FSA_ERR_STORE_INVALID = noStack('FSA_ERR_STORE_INVALID', '%s', 400)
export const FSA_ERR_STORE_MIGRATION = createError('FSA_ERR_STORE_MIGRATION', 'store migration "%s" failed: %s', 500)

// ---- account routes (plugins/users.ts) ----------------------------------------------------
export const FSA_ERR_ACCOUNT_NO_STORE = createError('FSA_ERR_ACCOUNT_NO_STORE', 'the users plugin needs the store option of the secure plugin', 500)
export const FSA_ERR_ACCOUNT_EXISTS = noStack('FSA_ERR_ACCOUNT_EXISTS', 'login or email already registered', 409)
export const FSA_ERR_ACCOUNT_LOGIN_EMAIL = noStack('FSA_ERR_ACCOUNT_LOGIN_EMAIL', 'a login that looks like an email address must be your own email', 400)
export const FSA_ERR_ACCOUNT_PASSWORD = noStack('FSA_ERR_ACCOUNT_PASSWORD', 'current password is incorrect', 403)
export const FSA_ERR_ACCOUNT_TOKEN = noStack('FSA_ERR_ACCOUNT_TOKEN', 'invalid or expired %s token', 400)
