/**
 * Migration 004: login sessions and the revocation list of stateless tokens.
 *
 * `fsa_sessions` has one row per session a token was issued for (ids are random, made in
 * JavaScript); a row stays until the session's last token expires, revoked or not, because the
 * token check refuses a session it cannot find: deleting a row early would revoke it too, never
 * resurrect it. `fsa_revoked_tokens` holds the SHA-256 of stateless tokens logged out, until they
 * expire. Sessions cascade with their user.
 */
import { sql } from 'kysely'
import type { Migration } from '../migrate.js'

/** fsa_sessions, fsa_revoked_tokens. */
export const migration004Sessions: Migration = {
  name: '004-sessions',
  async up (db, dialect) {
    const ts = sql.raw(dialect.timestampType)
    await db.schema.createTable('fsa_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('last_seen_at', ts, (c) => c.notNull())
      .addColumn('expires_at', ts, (c) => c.notNull())
      .addColumn('revoked_at', ts)
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .execute()
    await db.schema.createIndex('fsa_sessions_user_idx').on('fsa_sessions').columns(['user_id', 'expires_at']).execute()
    await db.schema.createIndex('fsa_sessions_expires_idx').on('fsa_sessions').column('expires_at').execute()
    await db.schema.createTable('fsa_revoked_tokens')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', ts, (c) => c.notNull())
      .execute()
    await db.schema.createIndex('fsa_revoked_tokens_expires_idx').on('fsa_revoked_tokens').column('expires_at').execute()
  },
  async down (db) {
    await db.schema.dropTable('fsa_revoked_tokens').execute()
    await db.schema.dropTable('fsa_sessions').execute()
  }
}
