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
  /** Times the email was confirmed (migration 003); confirmation tokens are bound to it. */
  confirm_count: Generated<number>
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

/** The `fsa_sessions` table (migration 004): one row per login session. */
export interface SessionsTable {
  id: string
  user_id: number
  created_at: string | Date
  last_seen_at: string | Date
  expires_at: string | Date
  revoked_at: string | Date | null
  ip: string | null
  user_agent: string | null
}

/** The `fsa_revoked_tokens` table (migration 004): SHA-256 of stateless tokens logged out. */
export interface RevokedTokensTable {
  hash: string
  expires_at: string | Date
}

/** The whole database, for `Kysely<Database>`. */
export interface Database {
  users: UsersTable
  groups: GroupsTable
  memberships: MembershipsTable
  fsa_migrations: MigrationsTable
  fsa_sessions: SessionsTable
  fsa_revoked_tokens: RevokedTokensTable
}
