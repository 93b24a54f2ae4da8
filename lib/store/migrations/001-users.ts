/**
 * Migration 001: users, groups and memberships. Case-insensitive uniqueness uses stored
 * `login_lower` / `email_lower` columns (computed in JavaScript, identical on both databases,
 * and plain indexed equality for lookups) rather than `lower()` indexes, whose Unicode behaviour
 * differs between SQLite and PostgreSQL.
 */
import { sql } from 'kysely'
import type { Migration } from '../migrate.js'

/** users, groups, memberships. */
export const migration001Users: Migration = {
  name: '001-users',
  async up (db, dialect) {
    const serial = sql.raw(dialect.serialType)
    const ts = sql.raw(dialect.timestampType)
    const bool = dialect.name === 'postgres' ? sql.raw('boolean') : sql.raw('integer')
    const no = sql.raw(dialect.name === 'postgres' ? 'false' : '0')
    const yes = sql.raw(dialect.name === 'postgres' ? 'true' : '1')
    await db.schema.createTable('users')
      .addColumn('id', serial, (c) => dialect.name === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey())
      .addColumn('login', 'text', (c) => c.notNull())
      .addColumn('login_lower', 'text', (c) => c.notNull().unique())
      .addColumn('email', 'text')
      .addColumn('email_lower', 'text', (c) => c.unique())
      .addColumn('password', 'text', (c) => c.notNull())
      .addColumn('active', bool, (c) => c.notNull().defaultTo(yes))
      .addColumn('confirmed', bool, (c) => c.notNull().defaultTo(no))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('last_login_at', ts)
      .addColumn('last_login_ip', 'text')
      .addColumn('login_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute()
    await db.schema.createTable('groups')
      .addColumn('id', serial, (c) => dialect.name === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .execute()
    await db.schema.createTable('memberships')
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('memberships_pkey', ['user_id', 'group_id'])
      .execute()
    // The primary key serves lookups by user; this one serves "members of a group".
    await db.schema.createIndex('memberships_group_idx').on('memberships').columns(['group_id', 'user_id']).execute()
  },
  async down (db) {
    await db.schema.dropTable('memberships').execute()
    await db.schema.dropTable('groups').execute()
    await db.schema.dropTable('users').execute()
  }
}
