/**
 * Kysely table types of the user store (what migration 001 creates). Booleans are `number` on
 * SQLite and `boolean` on PostgreSQL, dates ISO text on SQLite and `Date` on PostgreSQL: rows
 * are normalized in `records.ts`.
 */
import type { Generated } from 'kysely'

/** The `users` table. `login_lower` and `email_lower` carry the unique, case-insensitive keys. */
export interface UsersTable {
  id: Generated<number>
  login: string
  login_lower: string
  email: string | null
  email_lower: string | null
  password: string
  active: number | boolean
  confirmed: number | boolean
  created_at: string | Date
  last_login_at: string | Date | null
  last_login_ip: string | null
  login_count: Generated<number>
  token_version: Generated<number>
  /** Random per user (migration 002): tokens are bound to it, so a re-created login does not inherit them. */
  uniquifier: string | null
  data: Generated<string>
}

/** The `groups` table. */
export interface GroupsTable {
  id: Generated<number>
  name: string
}

/** The `memberships` table: (user_id, group_id), both cascading on delete. */
export interface MembershipsTable {
  user_id: number
  group_id: number
}

/** The `fsa_migrations` table: one row per applied migration. */
export interface MigrationsTable {
  name: string
  applied_at: string
}

/** The whole database, for `Kysely<Database>`. */
export interface Database {
  users: UsersTable
  groups: GroupsTable
  memberships: MembershipsTable
  fsa_migrations: MigrationsTable
}
