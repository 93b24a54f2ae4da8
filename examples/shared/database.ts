/**
 * What the demos' own data layers share: the Kysely dialect for a database URL (SQLite file or
 * memory, PostgreSQL) and the spelling of a login that ownership is recorded and compared under.
 */
import Database from 'better-sqlite3'
import pg from 'pg'
import { PostgresDialect, SqliteDialect } from 'kysely'

/** Owners are stored and compared in one spelling (the login is the store's canonical one). */
export const sameLogin = (login: string): string => login.normalize('NFC').toLowerCase()

/** The Kysely dialect for `sqlite://path`, `sqlite::memory:` or `postgres://...`. */
export function dialectOf (url: string): SqliteDialect | PostgresDialect {
  if (/^postgres(ql)?:\/\//.test(url)) return new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 4 }) })
  if (url === 'sqlite::memory:' || url === 'sqlite://:memory:') return new SqliteDialect({ database: new Database(':memory:') })
  if (url.startsWith('sqlite://') && url.length > 'sqlite://'.length) {
    const database = new Database(url.slice('sqlite://'.length), { timeout: 5000 })
    database.pragma('journal_mode = WAL')
    return new SqliteDialect({ database })
  }
  throw new TypeError('unsupported database URL (expected sqlite://path, sqlite::memory: or postgres://...)')
}
