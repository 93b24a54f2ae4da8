/**
 * PostgreSQL through a pg Pool with a connection timeout, so an unreachable server answers 503
 * within `connectTimeout` instead of hanging. The optional `schema` sets the connections'
 * `search_path`; migrations create it, under a transaction-scoped advisory lock keyed on the
 * schema name so instances starting together migrate once.
 */
import { Kysely, PostgresDialect, sql } from 'kysely'
import { loadPeer } from '../core/peers.js'
import type { ErrorKind, StoreDialect } from './dialect.js'
import type { Database } from './schema.js'

/** PostgreSQL-specific options of `openStore`. */
export interface PostgresOptions {
  /** Schema holding the tables (created when missing); must be a plain identifier. @default 'public' */
  schema?: string
  /** Milliseconds to wait for a connection (new or from the pool) before 503. @default 5000 */
  connectTimeout?: number
  /** Maximum connections in the pool. @default 10 */
  poolSize?: number
}

/** Create the dialect (FSA_ERR_OPT_PEER_MISSING without pg); connects lazily, on the first query. */
export async function createPostgresDialect (url: string, opts: PostgresOptions = {}): Promise<StoreDialect> {
  const { default: pg } = await loadPeer('pg', 'a postgres:// store', () => import('pg'))
  const schema = opts.schema ?? 'public'
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: opts.connectTimeout ?? 5000,
    max: opts.poolSize ?? 10,
    options: `-c search_path=${schema}`
  })
  // An idle client losing its server emits 'error' on the pool: without a listener that kills
  // the process. The next query reports the outage (503).
  pool.on('error', () => {})
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return {
    name: 'postgres',
    db,
    serialType: 'serial',
    timestampType: 'timestamptz',
    lockRows: true,
    classify: classifyPostgresError,
    bool: (v) => v,
    async writeTransaction (fn) {
      return await db.transaction().execute(fn)
    },
    async prepareMigration (trx) {
      await sql`select pg_advisory_xact_lock(hashtext(${'fsa_migrations:' + schema}))`.execute(trx)
      await sql`create schema if not exists ${sql.id(schema)}`.execute(trx)
    },
    async destroy () {
      await db.destroy()
    }
  }
}

// SQLSTATE classes meaning "the server cannot serve us now": 08 connection exception,
// 53 insufficient resources, 57 operator intervention, 28 invalid authorization, 3D unknown database;
// 40001/40P01/55P03 are contention a retry resolves.
const UNAVAILABLE_CLASSES = ['08', '53', '57', '28', '3D']
const UNAVAILABLE_CODES = new Set(['40001', '40P01', '55P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT',
  'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE'])

/** Connection failures, pool timeouts and server shutdowns are "unavailable"; 23505, a conflict. */
export function classifyPostgresError (e: unknown): ErrorKind {
  if (!(e instanceof Error)) return 'other'
  const code = (e as { code?: unknown }).code
  if (code === '23505') return 'conflict'
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || (code.length === 5 && UNAVAILABLE_CLASSES.includes(code.slice(0, 2))))) return 'unavailable'
  if (e instanceof AggregateError && e.errors.some((x) => classifyPostgresError(x) === 'unavailable')) return 'unavailable'
  // pg and pg-pool report these without a code.
  if (/timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error/i.test(e.message)) return 'unavailable'
  return 'other'
}
