/**
 * Migration 003: login keys in the spirit of PRECIS UsernameCaseMapped (RFC 8265), and a count of
 * email confirmations.
 *
 * - `login_lower` was NFC then lower case; it becomes width mapping, lower case, NFC
 *   (`loginKey` of records.ts), so `ｃａｌｖｉｎ` and `calvin` share a key. Every stored key is
 *   recomputed in JavaScript (identical on SQLite and PostgreSQL). Two accounts whose logins now
 *   share a key are never merged: the migration fails, names them, and changes nothing (one
 *   transaction); rename or delete one of each pair by id in SQL and start again (not with
 *   `fsa user remove LOGIN`: before this migration a lookup by login may reach the other one).
 * - `confirm_count` counts the times an email was confirmed; confirmation tokens are bound to it,
 *   so a used one stays dead even after an administrator un-confirms the account.
 */
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { Migration } from '../migrate.js'
import { keyOf, loginKey } from '../records.js'

/** Thrown (and reported by `migrate()`) when recomputed login keys collide. */
export class LoginKeyCollision extends Error {
  readonly code = 'FSA_LOGIN_KEY_COLLISION'
  constructor (readonly collisions: Array<Array<{ id: number, login: string }>>) {
    super(`login keys collide, accounts not merged: ${collisions.map((c) => c.map((u) => `${JSON.stringify(u.login)} (id ${u.id})`).join(' and ')).join('; ')}; ` +
      // by id in SQL: until this migration runs, lookups by login (fsa user ...) use the new keys
      // and could reach the other account of a pair
      'rename or delete one of each by id in SQL (users.login, users.login_lower), then migrate again')
  }
}

/** Recompute every `login_lower` with `key`; fail on collisions without changing anything. */
async function rekey (db: Kysely<any>, key: (login: string) => string): Promise<void> {
  const rows = await db.selectFrom('users').select(['id', 'login', 'login_lower']).execute() as Array<{ id: number, login: string, login_lower: string }>
  const byKey = new Map<string, Array<{ id: number, login: string }>>()
  for (const r of rows) byKey.set(key(r.login), [...(byKey.get(key(r.login)) ?? []), { id: Number(r.id), login: r.login }])
  const collisions = [...byKey.values()].filter((users) => users.length > 1)
  if (collisions.length > 0) throw new LoginKeyCollision(collisions)
  const changed = rows.filter((r) => key(r.login) !== r.login_lower)
  // two steps, so that a key moving to a value another row still holds never trips the unique
  // index halfway: first a placeholder no login can have (a control character), then the key
  for (const r of changed) await db.updateTable('users').set({ login_lower: `\u0001${r.id}` }).where('id', '=', r.id).execute()
  for (const r of changed) await db.updateTable('users').set({ login_lower: key(r.login) }).where('id', '=', r.id).execute()
}

/** Login keys per RFC 8265's mappings; `confirm_count`. */
export const migration003LoginKeys: Migration = {
  name: '003-login-keys',
  async up (db) {
    await rekey(db, loginKey)
    await db.schema.alterTable('users').addColumn('confirm_count', 'integer', (c) => c.notNull().defaultTo(0)).execute()
    // accounts confirmed before this migration count one confirmation
    await db.updateTable('users').set({ confirm_count: sql`case when confirmed then 1 else 0 end` }).execute()
  },
  async down (db) {
    await db.schema.alterTable('users').dropColumn('confirm_count').execute()
    await rekey(db, keyOf)
  }
}
