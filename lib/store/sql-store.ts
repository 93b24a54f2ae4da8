/**
 * The one `UserStore` implementation, over Kysely: identical SQL for SQLite and PostgreSQL, the
 * differences (connection, error classes, locking) behind a `StoreDialect`. Every public method
 * runs through `#run`, the single place driver errors are mapped to 503 / 409.
 */
import { sql, type Kysely } from 'kysely'
import { FSA_ERR_STORE_INVALID, FSA_ERR_STORE_NOT_FOUND } from '../errors/catalogue.js'
import type { StoreDialect } from './dialect.js'
import { conflictingKey, toStoreError } from './errors.js'
import { checkDepth, encodeData, isJsonObject, mergePatch } from './merge-patch.js'
import { migrate, type MigrationResult } from './migrate.js'
import { migrations } from './migrations/index.js'
import { checkLogin, checkName, keyOf, loginKey, lookupKey, RECORD_COLUMNS, toRecord } from './records.js'
import { hasControl } from '../core/control.js'
import { newUniquifier } from './migrations/002-uniquifier.js'
import type { Database, UsersTable } from './schema.js'
import { addMembership, groupsOfUser, isGroupName, sortNames, hasMembership, membersOfGroup, removeMembership } from './sql-groups.js'
import { SqlSessionStore } from './sql-sessions.js'
import type { ListUsersOptions, NewUser, PasswordInfo, UserRecord, UserStore } from './store.js'

const notFound = (login: string) => new FSA_ERR_STORE_NOT_FOUND(`no such user "${login}"`)

/** A `UserStore` over a Kysely database; build it with `openStore()`. */
export class SqlUserStore implements UserStore {
  readonly dialect: 'sqlite' | 'postgres'
  readonly #d: StoreDialect
  readonly #db: Kysely<Database>
  readonly sessions: SqlSessionStore
  #closed = false

  constructor (dialect: StoreDialect) {
    this.dialect = dialect.name
    this.#d = dialect
    this.#db = dialect.db
    this.sessions = new SqlSessionStore(dialect.db, (fn) => this.#run(fn))
  }

  async #run<T> (fn: () => Promise<T>, conflict?: (e: unknown) => string): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      throw toStoreError(e, this.#d.classify, conflict?.(e))
    }
  }

  /** The lookup key of `login`, or 404 without touching the database when no login can match it. */
  #key (login: string): string {
    const key = lookupKey(login)
    if (key === null) throw notFound(String(login).replace(/[^\x20-\x7e]/g, '?'))
    return key
  }

  async #update (login: string, values: Partial<{ [K in keyof UsersTable]: unknown }>): Promise<void> {
    const result = await this.#db.updateTable('users').set(values as never).where('login_lower', '=', this.#key(login)).executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) throw notFound(login)
  }

  async #findBy (column: 'login_lower' | 'email_lower', value: string): Promise<UserRecord | null> {
    const key = column === 'login_lower' ? lookupKey(value) : typeof value === 'string' && !hasControl(value) ? keyOf(value) : null
    if (key === null) return null
    const row = await this.#db.selectFrom('users').select(RECORD_COLUMNS).where(column, '=', key).executeTakeFirst()
    return row === undefined ? null : toRecord(row)
  }

  async createUser (u: NewUser): Promise<UserRecord> {
    const login = checkLogin(u.login)
    const email = u.email == null ? null : checkName('email', u.email)
    if (typeof u.password !== 'string' || u.password.length === 0) throw new FSA_ERR_STORE_INVALID('invalid password hash')
    const data = u.data === undefined ? '{}' : encodeData(u.data, Infinity)
    return await this.#run(async () => {
      const row = await this.#db.insertInto('users').values({
        login,
        login_lower: loginKey(login),
        email,
        email_lower: email === null ? null : keyOf(email),
        password: u.password,
        active: this.#d.bool(u.active ?? true),
        confirmed: this.#d.bool(u.confirmed ?? false),
        confirm_count: u.confirmed === true ? 1 : 0,
        created_at: new Date().toISOString(),
        uniquifier: newUniquifier(),
        data
      }).returning(RECORD_COLUMNS).executeTakeFirstOrThrow()
      return toRecord(row)
    }, (e) => conflictingKey(e) === 'email' ? 'email already registered' : `login "${login}" already exists`)
  }

  async getUser (login: string): Promise<UserRecord | null> {
    return await this.#run(() => this.#findBy('login_lower', login))
  }

  async getUserByEmail (email: string): Promise<UserRecord | null> {
    return await this.#run(() => this.#findBy('email_lower', email))
  }

  async getPasswordHash (login: string): Promise<PasswordInfo | null> {
    const key = lookupKey(login)
    if (key === null) return null
    return await this.#run(async () => {
      const row = await this.#db.selectFrom('users').select(['login', 'password', 'active', 'confirmed', 'token_version', 'uniquifier'])
        .where('login_lower', '=', key).executeTakeFirst()
      if (row === undefined) return null
      // every row has one (migration 002, createUser); '' would bind tokens to nothing but stays a string
      return { login: row.login, hash: row.password, active: Boolean(row.active), confirmed: Boolean(row.confirmed), tokenVersion: Number(row.token_version), uniquifier: row.uniquifier ?? '' }
    })
  }

  async setPassword (login: string, hash: string, opts: { bumpTokenVersion?: boolean } = {}): Promise<void> {
    if (typeof hash !== 'string' || hash.length === 0) throw new FSA_ERR_STORE_INVALID('invalid password hash')
    const bump = opts.bumpTokenVersion === true ? 1 : 0
    await this.#run(() => this.#update(login, { password: hash, token_version: sql`token_version + ${bump}` }))
  }

  async setActive (login: string, active: boolean): Promise<void> {
    await this.#run(() => this.#update(login, { active: this.#d.bool(active) }))
  }

  async setConfirmed (login: string, confirmed: boolean): Promise<void> {
    await this.#run(() => this.#update(login, { confirmed: this.#d.bool(confirmed), confirm_count: sql`confirm_count + ${confirmed ? 1 : 0}` }))
  }

  async setEmail (login: string, email: string | null): Promise<void> {
    const value = email === null ? null : checkName('email', email)
    await this.#run(() => this.#update(login, { email: value, email_lower: value === null ? null : keyOf(value) }),
      () => 'email already registered')
  }

  async bumpTokenVersion (login: string): Promise<number> {
    return await this.#run(async () => {
      const row = await this.#db.updateTable('users').set({ token_version: sql`token_version + 1` })
        .where('login_lower', '=', this.#key(login)).returning('token_version').executeTakeFirst()
      if (row === undefined) throw notFound(login)
      return Number(row.token_version)
    })
  }

  async recordLogin (login: string, ip: string | null): Promise<void> {
    // One UPDATE: concurrent logins each add one, none is lost.
    await this.#run(() => this.#update(login, {
      last_login_at: new Date().toISOString(),
      last_login_ip: ip,
      login_count: sql`login_count + 1`
    }))
  }

  async listUsers (opts: ListUsersOptions = {}): Promise<UserRecord[]> {
    const offset = Math.max(0, Math.trunc(Number(opts.offset ?? 0)) || 0)
    const limit = Math.min(1000, Math.max(0, Math.trunc(Number(opts.limit ?? 100)) || 0))
    return await this.#run(async () => {
      let q = this.#db.selectFrom('users').select(RECORD_COLUMNS)
      if (typeof opts.search === 'string' && hasControl(opts.search)) return []
    if (typeof opts.search === 'string' && opts.search !== '') {
        const pattern = '%' + keyOf(opts.search).replace(/[\\%_]/g, (c) => '\\' + c) + '%'
        q = q.where(sql<boolean>`(login_lower like ${pattern} escape '\\' or email_lower like ${pattern} escape '\\')`)
      }
      const rows = await q.orderBy('login_lower').limit(limit).offset(offset).execute()
      return rows.map(toRecord)
    })
  }

  async deleteUser (login: string): Promise<boolean> {
    const key = lookupKey(login)
    if (key === null) return false
    return await this.#run(async () => {
      const result = await this.#db.deleteFrom('users').where('login_lower', '=', key).executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    })
  }

  async getData (login: string): Promise<unknown> {
    return await this.#run(async () => {
      const row = await this.#db.selectFrom('users').select('data').where('login_lower', '=', this.#key(login)).executeTakeFirst()
      if (row === undefined) throw notFound(login)
      return JSON.parse(row.data) as unknown
    })
  }

  async setData (login: string, data: unknown, maxBytes: number): Promise<void> {
    const text = encodeData(data, maxBytes)
    await this.#run(() => this.#update(login, { data: text }))
  }

  async patchData (login: string, patch: unknown, maxBytes: number): Promise<unknown> {
    if (!isJsonObject(patch)) throw new FSA_ERR_STORE_INVALID('a merge patch of custom data must be a JSON object')
    checkDepth(patch)
    const key = this.#key(login)
    return await this.#run(() => this.#d.writeTransaction(async (trx) => {
      let q = trx.selectFrom('users').select('data').where('login_lower', '=', key)
      if (this.#d.lockRows) q = q.forUpdate()
      const row = await q.executeTakeFirst()
      if (row === undefined) throw notFound(login)
      const merged = mergePatch(JSON.parse(row.data), patch)
      await trx.updateTable('users').set({ data: encodeData(merged, maxBytes) }).where('login_lower', '=', key).execute()
      return merged
    }))
  }

  async createGroup (name: string): Promise<void> {
    checkName('group', name)
    await this.#run(() => this.#db.insertInto('groups').values({ name }).execute(), () => `group "${name}" already exists`)
  }

  async deleteGroup (name: string): Promise<boolean> {
    if (!isGroupName(name)) return false
    return await this.#run(async () => {
      const result = await this.#db.deleteFrom('groups').where('name', '=', name).executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    })
  }

  async listGroups (): Promise<string[]> {
    return await this.#run(async () => sortNames((await this.#db.selectFrom('groups').select('name').execute()).map((r) => r.name)))
  }

  async addToGroup (login: string, group: string): Promise<boolean> {
    return await this.#run(() => addMembership(this.#db, login, group))
  }

  async removeFromGroup (login: string, group: string): Promise<boolean> {
    return await this.#run(() => removeMembership(this.#db, login, group))
  }

  async groupsOf (login: string): Promise<string[]> {
    return await this.#run(() => groupsOfUser(this.#db, login))
  }

  async membersOf (group: string): Promise<string[]> {
    return await this.#run(() => membersOfGroup(this.#db, group))
  }

  async isInGroup (login: string, group: string): Promise<boolean> {
    return await this.#run(() => hasMembership(this.#db, login, group))
  }

  async migrate (direction: 'up' | 'down' = 'up'): Promise<MigrationResult> {
    return await migrate(this.#d, migrations, direction)
  }

  async ping (): Promise<void> {
    await this.#run(() => sql`select 1`.execute(this.#db))
  }

  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#d.destroy()
  }
}
