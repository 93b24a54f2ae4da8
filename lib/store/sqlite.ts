/**
 * SQLite through better-sqlite3: WAL journal (readers never wait for the writer), a busy
 * timeout (a locked database waits that long, then answers 503), foreign keys on (memberships
 * cascade). One connection per store, so Kysely serializes queries of a process; `BEGIN
 * IMMEDIATE` serializes writers across processes sharing the file.
 */
import { Kysely, SqliteDialect, sql } from 'kysely'
import { FSA_ERR_STORE_UNAVAILABLE } from '../errors/catalogue.js'
import { loadPeer } from '../core/peers.js'
import type { ErrorKind, StoreDialect } from './dialect.js'
import type { Database as Tables } from './schema.js'

/** SQLite-specific options of `openStore`. */
export interface SqliteOptions {
  /** Milliseconds a statement waits for a lock held by another connection before 503. @default 5000 */
  busyTimeout?: number
}

/**
 * Open `path` (a file, created when missing, or `:memory:`). FSA_ERR_OPT_PEER_MISSING without
 * better-sqlite3; FSA_ERR_STORE_UNAVAILABLE (the driver error as its cause) when it cannot open.
 */
export async function createSqliteDialect (path: string, opts: SqliteOptions = {}): Promise<StoreDialect> {
  const { default: Database } = await loadPeer('better-sqlite3', 'a sqlite:// store', () => import('better-sqlite3'))
  let database: InstanceType<typeof Database>
  try {
    database = new Database(path, { timeout: opts.busyTimeout ?? 5000 })
    database.pragma('journal_mode = WAL')
    database.pragma('synchronous = NORMAL')
    database.pragma('foreign_keys = ON')
  } catch (e) {
    // A missing directory, a directory, a locked or unreadable file: the store cannot start.
    throw new FSA_ERR_STORE_UNAVAILABLE({ cause: e })
  }
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database }) })
  return {
    name: 'sqlite',
    db,
    serialType: 'integer',
    timestampType: 'text',
    lockRows: false,
    classify: classifySqliteError,
    bool: (v) => v ? 1 : 0,
    async writeTransaction (fn) {
      // db.connection() holds Kysely's connection mutex for the whole callback.
      return await db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn)
        try {
          const result = await fn(conn)
          await sql`commit`.execute(conn)
          return result
        } catch (e) {
          if (database.inTransaction) await sql`rollback`.execute(conn)
          throw e
        }
      })
    },
    async prepareMigration () {
      // BEGIN IMMEDIATE already excludes other migrators.
    },
    async destroy () {
      await db.destroy()
    }
  }
}

/** SQLITE_BUSY / SQLITE_LOCKED (and their extended codes) mean "retry later"; unique and primary keys, a conflict. */
export function classifySqliteError (e: unknown): ErrorKind {
  const code = (e as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return 'other'
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code.startsWith('SQLITE_CANTOPEN') ||
    code === 'SQLITE_IOERR' || code === 'SQLITE_FULL') return 'unavailable'
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'conflict'
  return 'other'
}
