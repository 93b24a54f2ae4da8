/**
 * `openStore(url)`: parse a store URL, connect, apply pending migrations, return a `UserStore`.
 *
 * | URL | database |
 * |---|---|
 * | `sqlite::memory:` (or `sqlite://:memory:`) | private in-memory SQLite, gone on close |
 * | `sqlite://data/acme.db` | SQLite file relative to the working directory |
 * | `sqlite:///var/lib/acme.db` | SQLite file at an absolute path |
 * | `postgres://user@host:5432/db`, `postgresql://...` | PostgreSQL (`schema` option for a schema) |
 *
 * Kysely and the driver (better-sqlite3 or pg, optional peers) are loaded when a store is opened,
 * so importing the package (which exports `openStore`) costs neither.
 */
import { FSA_ERR_OPT_INVALID, FSA_ERR_STORE_MIGRATION, FSA_ERR_STORE_UNAVAILABLE, FSA_ERR_STORE_URL } from '../errors/catalogue.js'
import { redactUrl } from '../http/redact.js'
import type { StoreDialect } from './dialect.js'
import type { MigrationResult } from './migrate.js'
import type { PostgresOptions } from './postgres.js'
import type { SqliteOptions } from './sqlite.js'
import type { UserStore } from './store.js'

/** Options of {@link openStore}; database-specific ones are ignored by the other database. */
export interface OpenStoreOptions extends SqliteOptions, PostgresOptions {
  /** Apply pending migrations before returning. @default true */
  migrate?: boolean
  /** Called with the start-up migration result (to log what was applied). */
  onMigration?: (result: MigrationResult) => void
}

/** A parsed store URL. */
export type StoreTarget = { kind: 'sqlite', path: string } | { kind: 'postgres', url: string }

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

export { redactUrl }

/**
 * Parse a store URL; anything unsupported is `FSA_ERR_STORE_URL` (password redacted).
 *
 * @example
 *   parseStoreUrl('sqlite://data/acme.db')   // { kind: 'sqlite', path: 'data/acme.db' }
 */
export function parseStoreUrl (url: string): StoreTarget {
  if (typeof url === 'string') {
    if (url === 'sqlite::memory:' || url === 'sqlite://:memory:') return { kind: 'sqlite', path: ':memory:' }
    if (url.startsWith('sqlite://') && url.length > 'sqlite://'.length) return { kind: 'sqlite', path: url.slice('sqlite://'.length) }
    if (/^postgres(ql)?:\/\/./.test(url)) return { kind: 'postgres', url }
  }
  throw new FSA_ERR_STORE_URL(redactUrl(String(url)))
}

async function createDialect (target: StoreTarget, opts: OpenStoreOptions): Promise<StoreDialect> {
  if (target.kind === 'postgres') {
    if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema)) {
      throw new FSA_ERR_OPT_INVALID('schema', 'a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 63 characters)')
    }
    const { createPostgresDialect } = await import('./postgres.js')
    return await createPostgresDialect(target.url, opts)
  }
  const { createSqliteDialect } = await import('./sqlite.js')
  return await createSqliteDialect(target.path, opts)
}

/**
 * Open the user store at `url` and apply pending migrations (unless `migrate: false`).
 * Unreachable database: `FSA_ERR_STORE_UNAVAILABLE`; failing migration: `FSA_ERR_STORE_MIGRATION`.
 *
 * @example
 *   const store = await openStore('sqlite://acme.db')
 *   const pgStore = await openStore(process.env.DATABASE_URL, { schema: 'acme', connectTimeout: 2000 })
 */
export async function openStore (url: string, opts: OpenStoreOptions = {}): Promise<UserStore> {
  const dialect = await createDialect(parseStoreUrl(url), opts)
  const { SqlUserStore } = await import('./sql-store.js')
  const store = new SqlUserStore(dialect)
  if (opts.migrate === false) return store
  const result = await store.migrate('up')
  const failure = result.errors[0]
  if (failure !== undefined) {
    await store.close()
    if (dialect.classify(failure.error) === 'unavailable') throw new FSA_ERR_STORE_UNAVAILABLE({ cause: failure.error })
    throw new FSA_ERR_STORE_MIGRATION(failure.migration, (failure.error as Error)?.message ?? String(failure.error), { cause: failure.error })
  }
  opts.onMigration?.(result)
  return store
}
