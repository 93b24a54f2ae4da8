/**
 * Migration 002: a per-user uniquifier (Flask-Security's `fs_uniquifier`), a random value every
 * token of the user is bound to (mixed into fsa signatures, a JWT claim). Deleting a user and
 * creating one with the same login gives a new value, so the old account's tokens are refused;
 * the token version stays the way to revoke a living account's tokens.
 *
 * Existing rows get random values here, one UPDATE per row (values come from node:crypto, so both
 * databases get the same kind of value); new rows get theirs from `createUser`. The column is
 * unique; it is nullable in the schema only because SQLite cannot add a NOT NULL column without a
 * default, and the store always writes it.
 */
import { randomBytes } from 'node:crypto'
import type { Migration } from '../migrate.js'

/** Bytes of randomness of a uniquifier (128 bits, base64url in the column: 22 characters). */
export const UNIQUIFIER_BYTES = 16

/** A fresh uniquifier. */
export function newUniquifier (): string {
  return randomBytes(UNIQUIFIER_BYTES).toString('base64url')
}

/** users.uniquifier, filled for existing rows. */
export const migration002Uniquifier: Migration = {
  name: '002-uniquifier',
  async up (db) {
    await db.schema.alterTable('users').addColumn('uniquifier', 'text').execute()
    const rows = await db.selectFrom('users').select('id').execute() as Array<{ id: number }>
    for (const row of rows) {
      await db.updateTable('users').set({ uniquifier: newUniquifier() }).where('id', '=', row.id).execute()
    }
    await db.schema.createIndex('users_uniquifier_key').on('users').column('uniquifier').unique().execute()
  },
  async down (db) {
    await db.schema.dropIndex('users_uniquifier_key').execute()
    await db.schema.alterTable('users').dropColumn('uniquifier').execute()
  }
}
