/**
 * CLI outcomes and exit codes: 0 success, 1 failure (unknown user, duplicate, unreachable
 * database...), 2 usage error (unknown command, bad option, unsupported URL).
 */

/** A command line the CLI cannot run: exit code 2 with the usage. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** An operation that failed for a reason worth one line: exit code 1. */
export class CliFailure extends Error {
  override name = 'CliFailure'
}

// Catalogue errors that mean "the command line is wrong" rather than "the operation failed".
const USAGE_CODES = new Set(['FSA_ERR_STORE_URL', 'FSA_ERR_OPT_INVALID'])

/** The exit code for an error thrown by a command. */
export function exitCodeOf (e: unknown): 1 | 2 {
  if (e instanceof UsageError) return 2
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' && USAGE_CODES.has(code) ? 2 : 1
}

/** One line describing `e` for stderr; for an unavailable store, the driver's reason too. */
export function describeError (e: unknown): string {
  if (!(e instanceof Error)) return String(e)
  const cause = (e as { code?: unknown }).code === 'FSA_ERR_STORE_UNAVAILABLE' && e.cause instanceof Error ? ` (${e.cause.message})` : ''
  return e.message + cause
}
