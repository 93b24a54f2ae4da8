/**
 * The SQL implementation of {@link SessionStore} (SQLite and PostgreSQL), beside the user queries
 * to keep each file small. Sessions reference `users.id` (cascading), logins are matched through
 * their case-insensitive key. Creating a session or a revocation also purges expired rows of the
 * same table, so the tables stay as small as the live tokens.
 */
import type { Kysely, Selectable } from 'kysely'
import { FSA_ERR_STORE_INVALID, FSA_ERR_STORE_NOT_FOUND } from '../errors/catalogue.js'
import { keyOf } from './records.js'
import type { Database, SessionsTable } from './schema.js'
import { isSessionId, newSessionId, type NewSession, type SessionRecord, type SessionStore } from './sessions.js'

/** Longest user agent kept; longer ones are cut. */
export const MAX_USER_AGENT = 255
const SHA256_HEX = /^[0-9a-f]{64}$/
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g

const toDate = (v: string | Date): Date => v instanceof Date ? v : new Date(v)
const iso = (d: Date): string => d.toISOString()

/** A client-supplied text cut and stripped of control characters, or null. */
function clean (v: string | null | undefined, max: number): string | null {
  return typeof v === 'string' && v !== '' ? v.replace(CONTROL, '').slice(0, max) : null
}

function checkDate (what: string, d: unknown): Date {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new FSA_ERR_STORE_INVALID(`invalid ${what}: must be a valid Date`)
  return d
}

type Row = Selectable<SessionsTable> & { login: string }

function toSession (r: Row): SessionRecord {
  return {
    id: r.id,
    login: r.login,
    createdAt: toDate(r.created_at),
    lastSeenAt: toDate(r.last_seen_at),
    expiresAt: toDate(r.expires_at),
    revokedAt: r.revoked_at == null ? null : toDate(r.revoked_at),
    ip: r.ip,
    userAgent: r.user_agent
  }
}

const floorMinute = (d: Date): Date => new Date(Math.floor(d.getTime() / 60_000) * 60_000)

/** Sessions over a Kysely database; `run` maps driver errors (the store's `#run`). */
export class SqlSessionStore implements SessionStore {
  readonly #db: Kysely<Database>
  readonly #run: <T>(fn: () => Promise<T>) => Promise<T>

  constructor (db: Kysely<Database>, run: <T>(fn: () => Promise<T>) => Promise<T>) {
    this.#db = db
    this.#run = run
  }

  #select () {
    return this.#db.selectFrom('fsa_sessions').innerJoin('users', 'users.id', 'fsa_sessions.user_id')
      .selectAll('fsa_sessions').select('users.login')
  }

  #userId (login: string) {
    return this.#db.selectFrom('users').select('id').where('login_lower', '=', keyOf(login))
  }

  async createSession (s: NewSession): Promise<SessionRecord> {
    const expiresAt = checkDate('expiresAt', s.expiresAt)
    if (typeof s.login !== 'string') throw new FSA_ERR_STORE_NOT_FOUND('no such user')
    return await this.#run(async () => {
      const user = await this.#userId(s.login).select('login').executeTakeFirst()
      if (user === undefined) throw new FSA_ERR_STORE_NOT_FOUND(`no such user "${s.login}"`)
      const now = new Date()
      await this.#db.deleteFrom('fsa_sessions').where('expires_at', '<', iso(now)).execute()
      const row = {
        id: newSessionId(),
        user_id: user.id,
        created_at: iso(now),
        last_seen_at: iso(floorMinute(now)),
        expires_at: iso(expiresAt),
        revoked_at: null,
        ip: clean(s.ip, 64),
        user_agent: clean(s.userAgent, MAX_USER_AGENT)
      }
      await this.#db.insertInto('fsa_sessions').values(row).execute()
      return toSession({ ...row, login: user.login })
    })
  }

  async getSession (id: string): Promise<SessionRecord | null> {
    if (!isSessionId(id)) return null
    return await this.#run(async () => {
      const row = await this.#select().where('fsa_sessions.id', '=', id).executeTakeFirst()
      return row === undefined ? null : toSession(row)
    })
  }

  async listSessions (login: string, now = new Date()): Promise<SessionRecord[]> {
    if (typeof login !== 'string') return []
    return await this.#run(async () => {
      const rows = await this.#select().where('users.login_lower', '=', keyOf(login))
        .where('fsa_sessions.revoked_at', 'is', null).where('fsa_sessions.expires_at', '>', iso(now))
        .orderBy('fsa_sessions.created_at', 'desc').orderBy('fsa_sessions.id').execute()
      return rows.map(toSession)
    })
  }

  async touchSession (id: string, at: Date): Promise<void> {
    if (!isSessionId(id)) return
    const minute = iso(floorMinute(checkDate('at', at)))
    await this.#run(() => this.#db.updateTable('fsa_sessions').set({ last_seen_at: minute })
      .where('id', '=', id).where('last_seen_at', '<', minute).execute())
  }

  async extendSession (id: string, login: string, expiresAt: Date): Promise<boolean> {
    const until = iso(checkDate('expiresAt', expiresAt))
    if (!isSessionId(id) || typeof login !== 'string') return false
    return await this.#run(async () => {
      const now = iso(new Date())
      const mine = this.#db.selectFrom('fsa_sessions').select('id').where('id', '=', id)
        .where('user_id', 'in', this.#userId(login)).where('revoked_at', 'is', null).where('expires_at', '>', now)
      if ((await mine.executeTakeFirst()) === undefined) return false
      await this.#db.updateTable('fsa_sessions').set({ expires_at: until }).where('id', '=', id).where('expires_at', '<', until).execute()
      return true
    })
  }

  async revokeSession (id: string, login: string): Promise<boolean> {
    if (!isSessionId(id) || typeof login !== 'string') return false
    return await this.#run(async () => {
      const r = await this.#db.updateTable('fsa_sessions').set({ revoked_at: iso(new Date()) })
        .where('id', '=', id).where('user_id', 'in', this.#userId(login))
        .where('revoked_at', 'is', null).where('expires_at', '>', iso(new Date()))
        .executeTakeFirst()
      return Number(r.numUpdatedRows) > 0
    })
  }

  async revokeSessions (login: string): Promise<number> {
    if (typeof login !== 'string') return 0
    return await this.#run(async () => {
      const r = await this.#db.updateTable('fsa_sessions').set({ revoked_at: iso(new Date()) })
        .where('user_id', 'in', this.#userId(login)).where('revoked_at', 'is', null)
        .executeTakeFirst()
      return Number(r.numUpdatedRows)
    })
  }

  async revokeToken (hash: string, expiresAt: Date): Promise<void> {
    if (!SHA256_HEX.test(hash)) throw new FSA_ERR_STORE_INVALID('invalid token hash: 64 lower-case hex digits')
    const until = iso(checkDate('expiresAt', expiresAt))
    await this.#run(async () => {
      await this.#db.deleteFrom('fsa_revoked_tokens').where('expires_at', '<', iso(new Date())).execute()
      await this.#db.insertInto('fsa_revoked_tokens').values({ hash, expires_at: until })
        .onConflict((oc) => oc.column('hash').doUpdateSet({ expires_at: until })).execute()
    })
  }

  async isTokenRevoked (hash: string): Promise<boolean> {
    if (!SHA256_HEX.test(hash)) return false
    return await this.#run(async () =>
      (await this.#db.selectFrom('fsa_revoked_tokens').select('hash').where('hash', '=', hash).executeTakeFirst()) !== undefined)
  }

  async purgeExpired (now = new Date()): Promise<number> {
    const at = iso(checkDate('now', now))
    return await this.#run(async () => {
      const a = await this.#db.deleteFrom('fsa_sessions').where('expires_at', '<', at).executeTakeFirst()
      const b = await this.#db.deleteFrom('fsa_revoked_tokens').where('expires_at', '<', at).executeTakeFirst()
      return Number(a.numDeletedRows) + Number(b.numDeletedRows)
    })
  }
}
