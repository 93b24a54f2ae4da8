/**
 * Row ↔ record conversion and input checks shared by the store: normalized keys for
 * case-insensitive lookups, dates and booleans read back the same way from both databases,
 * and a 400 for inputs no database should see.
 */
import type { Selectable } from 'kysely'
import { FSA_ERR_STORE_INVALID } from '../errors/catalogue.js'
import { hasControl } from '../core/control.js'
import type { UsersTable } from './schema.js'
import type { UserRecord } from './store.js'

/** Longest login, email or group name accepted. */
export const MAX_NAME_LENGTH = 255


/** The case-insensitive key of an email: Unicode NFC, then lower case. */
export function keyOf (name: string): string {
  return name.normalize('NFC').toLowerCase()
}

// Fullwidth and halfwidth forms (and the ideographic space): the characters whose compatibility
// decomposition is <wide> or <narrow>, which RFC 8265's width mapping rule maps.
const WIDE = /[\u3000\uFF01-\uFFEE]/g
const HAS_WIDE = /[\u3000\uFF01-\uFFEE]/
// What a login may not contain (RFC 8264 IdentifierClass, approximated by general categories):
// controls (Cc), format characters such as zero-width and bidi controls (Cf), unassigned (Cn),
// private use (Co), lone surrogates (Cs), spaces and separators (Z), and the colon of Basic.
const NOT_IN_LOGIN = /[\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Cs}\p{Z}:]/u

/** RFC 8265 width mapping: fullwidth and halfwidth characters to their usual forms. */
function widthMap (s: string): string {
  return HAS_WIDE.test(s) ? s.replace(WIDE, (c) => c.normalize('NFKC')) : s
}

/**
 * The case-insensitive key of a login, in the spirit of PRECIS UsernameCaseMapped (RFC 8265
 * section 3.3.2): width mapping, then case mapping (toLowerCase), then NFC. `ｃａｌｖｉｎ`,
 * `Calvin` and `calvin` share one key.
 */
export function loginKey (login: string): string {
  return widthMap(login).toLowerCase().normalize('NFC')
}

/**
 * The key to look a login up with, or `null` when no stored login can have it (not a string,
 * empty, too long, or with a control character): such lookups answer "unknown" without touching
 * the database (PostgreSQL refuses NUL in text with an error).
 */
export function lookupKey (login: unknown): string | null {
  if (typeof login !== 'string' || login.length === 0 || login.length > MAX_NAME_LENGTH * 2 || hasControl(login)) return null
  return loginKey(login)
}

/**
 * Check a new login and return the form to store: width-mapped and NFC (its case kept for
 * display). Refused (400): what {@link checkName} refuses, format characters (zero-width, bidi
 * controls), unassigned code points, private use, lone surrogates, spaces, the colon, and
 * compatibility characters (ligatures, superscripts: anything NFKC would still change).
 */
export function checkLogin (v: unknown): string {
  const login = widthMap(checkName('login', v)).normalize('NFC')
  if (NOT_IN_LOGIN.test(login) || login.normalize('NFKC') !== login) {
    throw new FSA_ERR_STORE_INVALID('invalid login: no spaces, colons, control, format, unassigned or compatibility characters')
  }
  return login
}

/** Check a login, email or group name: a non-empty string of at most 255 characters without control characters. */
export function checkName (what: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_NAME_LENGTH || hasControl(v)) {
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
    tokenVersion: Number(row.token_version),
    confirmCount: Number(row.confirm_count)
  }
}

/** The columns of {@link toRecord}: every column but `password` and `data`. */
export const RECORD_COLUMNS = ['id', 'login', 'login_lower', 'email', 'email_lower', 'active', 'confirmed', 'created_at',
  'last_login_at', 'last_login_ip', 'login_count', 'token_version', 'confirm_count'] as const

/** A column of {@link RECORD_COLUMNS}. */
export type RecordColumn = typeof RECORD_COLUMNS[number]
