/**
 * The shape of one case of the store conformance suite and the assertion the cases share.
 * Only `node:assert` is loaded: the store under test comes from the caller.
 */
import assert from 'node:assert/strict'
import type { UserStore } from '../store/store.js'

/** What a case knows about the store beside the store itself. */
export interface CaseSettings {
  /** The `dialect` the store must report; not checked when undefined. */
  dialect: UserStore['dialect'] | undefined
  /** The migration that `migrate('down')` reverts (checked by the migration case). */
  migration: string
}

/** One test of the suite: a name (a sentence) and what it checks on a fresh, empty store. */
export interface StoreCase {
  name: string
  run: (store: UserStore, settings: CaseSettings) => Promise<void>
}

/**
 * A predicate for `assert.rejects`: the error has this catalogue code and HTTP status.
 *
 * @example
 *   await assert.rejects(store.createUser({ login: '', password: 'h' }), expectError('FSA_ERR_STORE_INVALID', 400))
 */
export function expectError (code: string, status: number): (e: unknown) => true {
  return (e) => {
    assert.equal((e as { code?: string }).code, code)
    assert.equal((e as { statusCode?: number }).statusCode, status)
    return true
  }
}
