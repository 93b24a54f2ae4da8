/**
 * The migrator: applies pending migrations (or reverts the last one) in ONE transaction, records
 * them in `fsa_migrations`, and returns what happened instead of throwing. On PostgreSQL the
 * transaction first takes `pg_advisory_xact_lock`, on SQLite it is `BEGIN IMMEDIATE`: two
 * instances starting together serialize, and the second finds nothing left to do. DDL is
 * transactional on both databases, so a failing migration leaves the schema untouched.
 */
import type { Kysely } from 'kysely'
import type { StoreDialect } from './dialect.js'
import type { Database } from './schema.js'

/** What a migration may know about the database it runs on. */
export type MigrationDialect = Pick<StoreDialect, 'name' | 'serialType' | 'timestampType'>

/**
 * A migration as data. `name` orders and identifies it (`NNN-what`).
 *
 * @example
 *   export const migration002Avatar: Migration = {
 *     name: '002-avatar',
 *     async up (db) { await db.schema.alterTable('users').addColumn('avatar', 'text').execute() },
 *     async down (db) { await db.schema.alterTable('users').dropColumn('avatar').execute() }
 *   }
 */
export interface Migration {
  name: string
  up (db: Kysely<any>, dialect: MigrationDialect): Promise<void>
  down (db: Kysely<any>, dialect: MigrationDialect): Promise<void>
}

/** The outcome of {@link migrate}: `errors` is empty on success, and then `applied` lists what ran. */
export interface MigrationResult {
  direction: 'up' | 'down'
  /** Names applied (up) or reverted (down), in order; empty when nothing was pending or on error. */
  applied: string[]
  /** At most one entry: the migration that failed (or `(setup)`) and the error. */
  errors: Array<{ migration: string, error: unknown }>
}

/**
 * Apply every pending migration of `list` (`up`) or revert the most recent applied one (`down`).
 *
 * @example
 *   const result = await migrate(dialect, migrations)
 *   if (result.errors.length > 0) console.error(result.errors[0])
 */
export async function migrate (dialect: StoreDialect, list: readonly Migration[], direction: 'up' | 'down' = 'up'): Promise<MigrationResult> {
  let current = '(setup)'
  try {
    const applied = await dialect.writeTransaction(async (trx) => {
      await dialect.prepareMigration(trx)
      await ensureTable(trx)
      const done = new Set((await trx.selectFrom('fsa_migrations').select('name').execute()).map((r) => r.name))
      const changed: string[] = []
      const todo = direction === 'up'
        ? list.filter((m) => !done.has(m.name))
        : list.filter((m) => done.has(m.name)).slice(-1)
      for (const m of todo) {
        current = m.name
        if (direction === 'up') {
          await m.up(trx, dialect)
          await trx.insertInto('fsa_migrations').values({ name: m.name, applied_at: new Date().toISOString() }).execute()
        } else {
          await m.down(trx, dialect)
          await trx.deleteFrom('fsa_migrations').where('name', '=', m.name).execute()
        }
        changed.push(m.name)
      }
      return changed
    })
    return { direction, applied, errors: [] }
  } catch (error) {
    return { direction, applied: [], errors: [{ migration: current, error }] }
  }
}

async function ensureTable (trx: Kysely<Database>): Promise<void> {
  await trx.schema.createTable('fsa_migrations').ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute()
}
