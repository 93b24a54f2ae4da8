/**
 * The one place driver errors become catalogue errors: "unreachable or locked" is
 * `FSA_ERR_STORE_UNAVAILABLE` (503), a unique-constraint violation `FSA_ERR_STORE_CONFLICT`
 * (409), anything else goes through unchanged (a bug worth a 500 and a stack trace).
 */
import { FSA_ERR_STORE_CONFLICT, FSA_ERR_STORE_UNAVAILABLE } from '../errors/catalogue.js'
import type { ErrorKind } from './dialect.js'

/** Whether `e` is already one of ours (raised by the store itself). */
function isCatalogued (e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('FSA_ERR_')
}

/**
 * Map a driver error with the dialect's `classify`. `conflict` names what was duplicated; the
 * driver's message (which may quote values) is kept only as `cause`, never in the response.
 */
export function toStoreError (e: unknown, classify: (e: unknown) => ErrorKind, conflict = 'already exists'): unknown {
  if (isCatalogued(e)) return e
  switch (classify(e)) {
    case 'unavailable': return new FSA_ERR_STORE_UNAVAILABLE({ cause: e })
    case 'conflict': return new FSA_ERR_STORE_CONFLICT(conflict, { cause: e })
    default: return e
  }
}

/** Which unique key a constraint error is about, from the index name in its message/constraint. */
export function conflictingKey (e: unknown): 'email' | 'login' | 'other' {
  const text = `${(e as { constraint?: unknown } | null)?.constraint ?? ''} ${(e as Error | null)?.message ?? ''}`
  if (text.includes('email')) return 'email'
  if (text.includes('login')) return 'login'
  return 'other'
}
