/**
 * The warning catalogue: what the plugins say at start-up when a configuration works but is
 * probably not what was meant. Every warning has a stable `FSAWRN_<AREA>_<WHAT>` code, documented
 * in docs/reference/errors.md (test/errors-warnings.test.ts keeps both in sync).
 *
 * A warning goes to `fastify.log.warn` with its code; when the application has no logger
 * (Fastify's default), it goes through `process.emitWarning` instead, so it is never silent
 * (Node prints it on stderr once per process: `(node:…) [FSAWRN_…] FastifySimpleAuthWarning: …`).
 */
import { format } from 'node:util'

/** One warning: its code, its message, and fields for the log record. */
export interface Warning {
  readonly code: string
  readonly message: string
  readonly details?: Record<string, unknown>
}

/** A warning of the catalogue: call it with the values of its `%s` to get a {@link Warning}. */
export interface WarningKind {
  readonly code: string
  readonly template: string
  (...args: Array<string | number>): Warning
}

function createWarning (code: string, template: string): WarningKind {
  const make = (...args: Array<string | number>): Warning => ({ code, message: format(template, ...args) })
  return Object.assign(make, { code, template })
}

// ---- routes (ready) ------------------------------------------------------------------------
export const FSAWRN_ROUTE_UNDECLARED = createWarning('FSAWRN_ROUTE_UNDECLARED', '%s route(s) without config.authorize are closed (403): %s')
export const FSAWRN_ROUTE_EARLY = createWarning('FSAWRN_ROUTE_EARLY', '%s route(s) registered before the plugin are closed (403), register fastify-simple-auth first: %s')
export const FSAWRN_GROUP_UNUSED = createWarning('FSAWRN_GROUP_UNUSED', 'group "%s" is declared in %s but no route requires it')
export const FSAWRN_PERM_UNUSED = createWarning('FSAWRN_PERM_UNUSED', 'objectPerms.%s is declared but no route uses that permission domain')

// ---- parameters (registration) ---------------------------------------------------------------
export const FSAWRN_PARAM_AJV = createWarning('FSAWRN_PARAM_AJV', 'on the routes fastify-simple-auth compiles, the parameter rules override: %s')

// ---- tokens (registration) -----------------------------------------------------------------
export const FSAWRN_TOKEN_RANDOM_SECRET = createWarning('FSAWRN_TOKEN_RANDOM_SECRET', 'random token secret: only suits a single process')
export const FSAWRN_TOKEN_VERIFY_ONLY = createWarning('FSAWRN_TOKEN_VERIFY_ONLY', 'token %s without privateKey: verification only, tokens come from a third party')

// ---- transport (first request) ------------------------------------------------------------
export const FSAWRN_PROXY_UNTRUSTED = createWarning('FSAWRN_PROXY_UNTRUSTED', 'a loopback connection carries X-Forwarded-*/Forwarded headers but trustProxy is off: such requests are treated as remote (plain HTTP refused, auth cookie Secure); set Fastify\'s trustProxy to the proxy\'s address')

// ---- throttling (first request, Redis) -------------------------------------------------------
export const FSAWRN_THROTTLE_NO_ADDRESS = createWarning('FSAWRN_THROTTLE_NO_ADDRESS', 'a loopback connection carries X-Forwarded-*/Forwarded headers but trustProxy is off: every client looks like the proxy, so throttling per client address is off (only the per-login ceiling applies); set Fastify\'s trustProxy to the proxy\'s address')
export const FSAWRN_THROTTLE_LOCAL = createWarning('FSAWRN_THROTTLE_LOCAL', 'Redis unreachable (%s): throttling counts per process until it returns')

// ---- account routes (plugins/users.ts) -------------------------------------------------------
export const FSAWRN_ACCOUNT_RANDOM_SECRET = createWarning('FSAWRN_ACCOUNT_RANDOM_SECRET', 'random secret for reset and confirmation tokens, mailed links only work on this process')

/** The logger a warning needs: a Fastify logger fits. */
export interface WarningLog {
  warn (obj: unknown, msg?: string): void
  level?: unknown
}

/**
 * Whether `log` is Fastify's stand-in for "no logger" (abstract-logging: no-op methods on a shared
 * prototype, no `level`), where a warning would vanish.
 */
export function isSilentLogger (log: WarningLog): boolean {
  const warn = log.warn as { name?: string }
  return log.level === undefined && warn.name === 'noop' && !Object.hasOwn(log, 'warn')
}

const emitted = new Set<string>()

/**
 * Send a warning to the application's log, or through `process.emitWarning` when it has none.
 *
 * @example
 *   warn(fastify.log, FSAWRN_TOKEN_RANDOM_SECRET())
 */
export function warn (log: WarningLog, warning: Warning): void {
  if (!isSilentLogger(log)) {
    log.warn({ code: warning.code, ...warning.details }, `fastify-simple-auth: ${warning.message}`)
    return
  }
  // Node prints every emitted warning: the same one from several apps of a process is said once
  const key = warning.code + '\0' + warning.message
  if (emitted.has(key)) return
  emitted.add(key)
  process.emitWarning(warning.message, { type: 'FastifySimpleAuthWarning', code: warning.code })
}
