/**
 * The `UserStore` conformance suite: the tests the built-in SQLite and PostgreSQL stores pass,
 * runnable on any other implementation of the interface with node:test. It loads no database
 * driver: the caller opens the store.
 */
import type { UserStore } from '../store/store.js'
import type { CaseSettings } from './store-case.js'
import { userCases } from './store-cases-users.js'
import { dataAndGroupCases } from './store-cases-groups.js'

/** What the suite needs from node:test's `TestContext`: a clean-up hook. */
export interface ConformanceContext {
  after (fn: () => unknown): void
}

/** node:test's `test` (the suite calls `test(name, { skip }, fn)`). */
export type ConformanceTest = (name: string, options: { skip?: boolean | string }, fn: (t: ConformanceContext) => Promise<void>) => unknown

/** node:test's `describe` (the suite calls `describe(name, { skip }, fn)`). */
export type ConformanceDescribe = (name: string, options: { skip?: boolean | string }, fn: () => void) => unknown

/**
 * Opens a fresh, empty store for one test, and registers its clean-up with `t.after` (close it,
 * drop what it created). Each test gets its own store: tests may run in any order.
 */
export type OpenTestStore = (t: ConformanceContext) => Promise<UserStore>

/** Options of {@link storeConformance}. */
export interface StoreConformanceOptions {
  /** node:test's `test`. */
  test: ConformanceTest
  /** node:test's `describe`. */
  describe: ConformanceDescribe
  /** Skip the whole suite, with a reason (for example a database URL that is not set). */
  skip?: boolean | string
  /** The `dialect` the store must report. Not checked when omitted. */
  dialect?: UserStore['dialect']
  /**
   * The name of the first migration (the one that creates the users table): on a freshly opened
   * store, repeated `migrate('down')` revert one migration each, this one last, and
   * `migrate('up')` applies them all again. `false` skips that test, for a store without
   * reversible migrations. @default '001-users' (the built-in stores')
   */
  migration?: string | false
}

/** Every case, in the order they are declared. */
const CASES = [...userCases, ...dataAndGroupCases]

/** Name of the case that needs reversible migrations. */
const MIGRATION_CASE = 'migrations are idempotent and can be reverted and reapplied'

/**
 * Declare the conformance suite of a `UserStore` implementation: one `describe` named
 * `store conformance: <name>` holding one test per rule of the interface (case-insensitive
 * logins and emails, 400/404/409/413 errors with their catalogue codes, atomic creation and
 * merge patches under concurrency, groups, migrations, close twice...). Call it at the top level
 * of a test file run by `node --test`.
 *
 * @example
 *   // test/my-store.test.ts
 *   import { describe, test } from 'node:test'
 *   import { storeConformance } from 'fastify-simple-auth/testing'
 *   import { openMyStore } from '../src/my-store.js'
 *
 *   storeConformance('my store', async (t) => {
 *     const store = await openMyStore({ database: `test_${process.pid}_${Date.now()}` })
 *     t.after(async () => { await store.close(); await dropDatabase(store) })
 *     return store
 *   }, { describe, test, dialect: 'postgres', migration: false })
 */
export function storeConformance (name: string, open: OpenTestStore, options: StoreConformanceOptions): void {
  const migration = options.migration ?? '001-users'
  const settings: CaseSettings = { dialect: options.dialect, migration: migration === false ? '' : migration }
  const skip = options.skip ?? false
  options.describe(`store conformance: ${name}`, { skip }, () => {
    for (const c of CASES) {
      const skipCase = c.name === MIGRATION_CASE && migration === false ? 'the store has no reversible migrations' : false
      options.test(c.name, { skip: skipCase }, async (t) => {
        await c.run(await open(t), settings)
      })
    }
  })
}
