/**
 * What differs between databases, and only that: how to connect, how to classify driver errors,
 * how to take the write and migration locks. `sqlite.ts` and `postgres.ts` each build one.
 */
import type { Kysely } from 'kysely'
import type { Database } from './schema.js'

/** How a driver error should surface: 503, 409, or as is (a bug). */
export type ErrorKind = 'unavailable' | 'conflict' | 'other'

/** The database-specific half of a store. */
export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres'
  readonly db: Kysely<Database>
  /** Column type of auto-incremented integer keys in `CREATE TABLE`. */
  readonly serialType: 'integer' | 'serial'
  /** Column type of timestamps in `CREATE TABLE`. */
  readonly timestampType: 'text' | 'timestamptz'
  /** Classify a driver error. */
  classify (e: unknown): ErrorKind
  /** Bind a boolean the way the database stores it. */
  bool (v: boolean): number | boolean
  /**
   * Run `fn` in a transaction that excludes concurrent writers: `BEGIN IMMEDIATE` on SQLite; on
   * PostgreSQL a plain transaction where `lockRows` makes reads `SELECT ... FOR UPDATE`.
   */
  writeTransaction<T> (fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>
  /** Whether reads in `writeTransaction` must add `FOR UPDATE` (PostgreSQL). */
  readonly lockRows: boolean
  /** Inside a migration transaction: serialize migrators (advisory lock) and create the schema. */
  prepareMigration (trx: Kysely<Database>): Promise<void>
  /** Release connections. */
  destroy (): Promise<void>
}
