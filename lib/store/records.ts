/**
 * Row ↔ record conversion and input checks shared by the store: normalized keys for
 * case-insensitive lookups, dates and booleans read back the same way from both databases,
 * and a 400 for inputs no database should see.
 */
import type { Selectable } from 'kysely'
import { FSA_ERR_STORE_INVALID } from '../errors/catalogue.js'
import type { UsersTable } from './schema.js'
import type { UserRecord } from './store.js'

/** Longest login, email or group name accepted. */
export const MAX_NAME_LENGTH = 255

// Control characters have no business in names and break logs and token formats.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

/** The case-insensitive key of a login or email: Unicode NFC, then lower case. */
export function keyOf (name: string): string {
  return name.normalize('NFC').toLowerCase()
}

/** Check a login, email or group name: a non-empty string of at most 255 characters without control characters. */
export function checkName (what: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_NAME_LENGTH || CONTROL.test(v)) {
    throw new FSA_ERR_STORE_INVALID(`invalid ${what}: must be 1 to ${MAX_NAME_LENGTH} characters without control characters`)
  }
  return v
}

function toDate (v: string | Date): Date {
  return v instanceof Date ? v : new Date(v)
}

/** The public record of a `users` row. */
export function toRecord (row: Pick<Selectable<UsersTable>, RecordColumn>): UserRecord {
  return {
    id: Number(row.id),
    login: row.login,
    email: row.email,
    active: Boolean(row.active),
    confirmed: Boolean(row.confirmed),
    createdAt: toDate(row.created_at),
    lastLoginAt: row.last_login_at == null ? null : toDate(row.last_login_at),
    lastLoginIp: row.last_login_ip,
    loginCount: Number(row.login_count),
    tokenVersion: Number(row.token_version)
  }
}

/** The columns of {@link toRecord}: every column but `password` and `data`. */
export const RECORD_COLUMNS = ['id', 'login', 'login_lower', 'email', 'email_lower', 'active', 'confirmed', 'created_at',
  'last_login_at', 'last_login_ip', 'login_count', 'token_version'] as const

/** A column of {@link RECORD_COLUMNS}. */
export type RecordColumn = typeof RECORD_COLUMNS[number]
