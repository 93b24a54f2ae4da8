/**
 * The `UserStore` interface: what the plugin, the account routes and the `fsa` CLI need from a
 * user database. One Kysely-based implementation serves SQLite and PostgreSQL
 * (`lib/store/sql-store.ts`); the conformance suite (`storeConformance` of
 * `fastify-simple-auth/testing`) runs on both, and on any other implementation.
 *
 * Logins and emails are matched case-insensitively (Unicode NFC then lower case) but stored as
 * given. Every method maps "database unreachable or locked" to `FSA_ERR_STORE_UNAVAILABLE` (503)
 * and unique-constraint violations to `FSA_ERR_STORE_CONFLICT` (409).
 */
import type { MigrationResult } from './migrate.js'
import type { SessionStore } from './sessions.js'

/** The public view of a user: everything but the password hash and the custom data. */
export interface UserRecord {
  id: number
  login: string
  email: string | null
  active: boolean
  confirmed: boolean
  createdAt: Date
  lastLoginAt: Date | null
  lastLoginIp: string | null
  loginCount: number
  /** Incremented to revoke every token issued before (tokens carry the version they were issued at). */
  tokenVersion: number
  /** Times the email was confirmed: confirmation tokens are bound to it, so each works once. */
  confirmCount: number
}

/** What `createUser` needs. `password` is a hash (argon2id, bcrypt...), never a clear password. */
export interface NewUser {
  login: string
  /** @default null */
  email?: string | null
  password: string
  /** @default true */
  active?: boolean
  /** @default false */
  confirmed?: boolean
  /** Custom JSON object. @default {} */
  data?: unknown
}

/** What authentication needs about a login, in one query. */
export interface PasswordInfo {
  /** The login as stored (lookups are case-insensitive; this is the canonical spelling). */
  login: string
  hash: string
  active: boolean
  confirmed: boolean
  tokenVersion: number
  /**
   * Random per user, new for every created user: tokens are bound to it, so the tokens of a
   * deleted account are refused for a new account with the same login.
   */
  uniquifier: string
}

/** Paging and filtering for {@link UserStore.listUsers}. */
export interface ListUsersOptions {
  /** @default 0 */
  offset?: number
  /** @default 100 (at most 1000) */
  limit?: number
  /** Case-insensitive substring of the login or the email. */
  search?: string
}

/**
 * A user database. Obtain one with `openStore(url)` from `lib/store/open.ts`.
 *
 * @example
 *   const store = await openStore('sqlite://acme.db')
 *   await store.createUser({ login: 'calvin', password: await hash('hobbes') })
 *   const info = await store.getPasswordHash('Calvin')   // case-insensitive
 */
export interface UserStore {
  /** Which database this store talks to. */
  readonly dialect: 'sqlite' | 'postgres'

  /** Create a user; a login or email already taken (case-insensitively) is `FSA_ERR_STORE_CONFLICT` (409). */
  createUser (user: NewUser): Promise<UserRecord>
  /** The user with this login (case-insensitive), or `null`. */
  getUser (login: string): Promise<UserRecord | null>
  /** The user with this email (case-insensitive), or `null`. */
  getUserByEmail (email: string): Promise<UserRecord | null>
  /** Hash and account state for authentication, or `null` for an unknown login. */
  getPasswordHash (login: string): Promise<PasswordInfo | null>
  /** Replace the password hash; `bumpTokenVersion` also revokes every token issued so far. Unknown login: 404. */
  setPassword (login: string, hash: string, opts?: { bumpTokenVersion?: boolean }): Promise<void>
  /** Enable or disable the account. Unknown login: 404. */
  setActive (login: string, active: boolean): Promise<void>
  /** Mark the email as confirmed or not (confirming also counts one more confirmation). Unknown login: 404. */
  setConfirmed (login: string, confirmed: boolean): Promise<void>
  /** Change (or clear with `null`) the email; taken by another user: 409. Unknown login: 404. */
  setEmail (login: string, email: string | null): Promise<void>
  /** Increment and return the token version, revoking every token issued before. Unknown login: 404. */
  bumpTokenVersion (login: string): Promise<number>
  /** Record a successful login (time, client IP, count + 1) in one atomic statement. Unknown login: 404. */
  recordLogin (login: string, ip: string | null): Promise<void>
  /** Users ordered by their lower-case login (in the database collation). */
  listUsers (opts?: ListUsersOptions): Promise<UserRecord[]>
  /** Delete a user and its memberships; `false` when there was no such user. */
  deleteUser (login: string): Promise<boolean>

  /** The user's custom JSON object, `{}` when none. Unknown login: 404. */
  getData (login: string): Promise<unknown>
  /** Replace the custom JSON object; larger than `maxBytes` once serialized: 413. Not an object: 400. */
  setData (login: string, data: unknown, maxBytes: number): Promise<void>
  /**
   * Apply an RFC 7396 JSON merge patch atomically (concurrent patches never lose updates) and
   * return the new object. Keys `__proto__`, `constructor` and `prototype` are dropped.
   */
  patchData (login: string, patch: unknown, maxBytes: number): Promise<unknown>

  /** Create a group; an existing name is 409. */
  createGroup (name: string): Promise<void>
  /** Delete a group and its memberships; `false` when there was no such group. */
  deleteGroup (name: string): Promise<boolean>
  /** Group names, sorted by code units. */
  listGroups (): Promise<string[]>
  /** Add a user to a group: `false` when already a member; unknown user or group: 404. */
  addToGroup (login: string, group: string): Promise<boolean>
  /** Remove a user from a group: `false` when not a member. */
  removeFromGroup (login: string, group: string): Promise<boolean>
  /** The groups of a user, sorted; `[]` for an unknown login. */
  groupsOf (login: string): Promise<string[]>
  /** The logins in a group, sorted; unknown group: 404. */
  membersOf (group: string): Promise<string[]>
  /** Whether the user belongs to the group (`false` when either is unknown). */
  isInGroup (login: string, group: string): Promise<boolean>

  /** Login sessions and token revocations (migration 004). */
  readonly sessions: SessionStore

  /** Apply pending migrations (`up`) or revert the last applied one (`down`); never throws. */
  migrate (direction?: 'up' | 'down'): Promise<MigrationResult>
  /** Check the database answers; 503 when it does not. */
  ping (): Promise<void>
  /** Release connections; the store cannot be used afterwards. */
  close (): Promise<void>
}
