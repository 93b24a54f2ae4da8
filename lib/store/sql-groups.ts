/**
 * Group and membership queries of the SQL store, apart from the user queries to keep each file
 * small. Group names are case-sensitive (they are identifiers in route declarations); logins
 * are matched through their case-insensitive key.
 */
import type { Kysely } from 'kysely'
import { FSA_ERR_STORE_NOT_FOUND } from '../errors/catalogue.js'
import { hasControl } from '../core/control.js'
import { lookupKey } from './records.js'
import type { Database } from './schema.js'

/** Sort in JavaScript (code units, optionally by a key) so both databases agree whatever their collation. */
export function sortNames (names: string[], key: (s: string) => string = (s) => s): string[] {
  return names.sort((a, b) => { const ka = key(a); const kb = key(b); return ka < kb ? -1 : ka > kb ? 1 : 0 })
}

/** Whether `name` can be a stored group name; others are answered without a query. */
export const isGroupName = (name: unknown): name is string => typeof name === 'string' && name !== '' && !hasControl(name)

// Logins and group names no store can hold (control characters: PostgreSQL refuses NUL in text)
// are answered "unknown" without a query.
async function userId (db: Kysely<Database>, login: string): Promise<number | undefined> {
  const key = lookupKey(login)
  if (key === null) return undefined
  const row = await db.selectFrom('users').select('id').where('login_lower', '=', key).executeTakeFirst()
  return row?.id
}

async function groupId (db: Kysely<Database>, name: string): Promise<number | undefined> {
  if (!isGroupName(name)) return undefined
  const row = await db.selectFrom('groups').select('id').where('name', '=', name).executeTakeFirst()
  return row?.id
}

/** Insert a membership; `false` when it already existed; 404 naming the missing user or group. */
export async function addMembership (db: Kysely<Database>, login: string, group: string): Promise<boolean> {
  const [uid, gid] = await Promise.all([userId(db, login), groupId(db, group)])
  if (uid === undefined) throw new FSA_ERR_STORE_NOT_FOUND(`no such user "${login}"`)
  if (gid === undefined) throw new FSA_ERR_STORE_NOT_FOUND(`no such group "${group}"`)
  const result = await db.insertInto('memberships').values({ user_id: uid, group_id: gid })
    .onConflict((oc) => oc.columns(['user_id', 'group_id']).doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0
}

/** Delete a membership; `false` when there was none. */
export async function removeMembership (db: Kysely<Database>, login: string, group: string): Promise<boolean> {
  const key = lookupKey(login)
  if (key === null || !isGroupName(group)) return false
  const result = await db.deleteFrom('memberships')
    .where('user_id', '=', (eb) => eb.selectFrom('users').select('id').where('login_lower', '=', key))
    .where('group_id', '=', (eb) => eb.selectFrom('groups').select('id').where('name', '=', group))
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/** Group names of a login, sorted. */
export async function groupsOfUser (db: Kysely<Database>, login: string): Promise<string[]> {
  const key = lookupKey(login)
  if (key === null) return []
  const rows = await db.selectFrom('groups')
    .innerJoin('memberships', 'memberships.group_id', 'groups.id')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select('groups.name')
    .where('users.login_lower', '=', key)
    .execute()
  return sortNames(rows.map((r) => r.name))
}

/** Logins of a group, sorted case-insensitively; 404 for an unknown group. */
export async function membersOfGroup (db: Kysely<Database>, group: string): Promise<string[]> {
  const gid = await groupId(db, group)
  if (gid === undefined) throw new FSA_ERR_STORE_NOT_FOUND(`no such group "${group}"`)
  const rows = await db.selectFrom('users')
    .innerJoin('memberships', 'memberships.user_id', 'users.id')
    .select('users.login')
    .where('memberships.group_id', '=', gid)
    .execute()
  return sortNames(rows.map((r) => r.login), (l) => lookupKey(l) ?? l)
}

/** Whether the membership exists, in one indexed query. */
export async function hasMembership (db: Kysely<Database>, login: string, group: string): Promise<boolean> {
  const key = lookupKey(login)
  if (key === null || !isGroupName(group)) return false
  const row = await db.selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('groups', 'groups.id', 'memberships.group_id')
    .select('memberships.user_id')
    .where('users.login_lower', '=', key)
    .where('groups.name', '=', group)
    .executeTakeFirst()
  return row !== undefined
}
