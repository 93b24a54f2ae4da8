/**
 * The memoization logic shared by the 'memory' and 'redis' backends: an in-process layer
 * (LocalStore), a map of pending computations so that concurrent misses share one compute, and
 * an optional remote store (Redis) consulted on a local miss.
 *
 * Invalidation race: a compute that started before an invalidation may finish after it with a
 * stale value. Every invalidation bumps `#epoch`, and a compute only stores its result when the
 * epoch has not moved since it started (its callers still receive the value).
 *
 * Session liveness (kind `session`) is never written to Redis: a revocation whose Redis delete
 * failed must not come back from there. It lives locally for at most SESSION_TTL_S (memory) or
 * SESSION_TTL_REDIS_S (redis, where pub/sub drops it at once): the bound after which every
 * instance asks the store, the truth, again.
 */
import type { CacheLayer, CacheLog, CacheStats } from './layer.js'
import { CACHE_KINDS, copyByKind, emptyByKind, perKind, type CacheKind } from './kinds.js'
import { LocalStore } from './memory.js'
import type { ResolvedCacheOptions } from './options.js'

/** What the tiered cache needs from a shared store (implemented by redis.ts). */
export interface RemoteStore {
  /** The JSON text under (kind, key); undefined on a miss or when the store fails (never rejects). */
  get (kind: CacheKind, key: string): Promise<string | undefined>
  /** Store JSON text, tagged with a login; fire and forget (never throws). */
  set (kind: CacheKind, key: string, json: string, login: string | undefined, ttlMs: number): void
  /** Remove from the store and tell every instance to drop it locally (never rejects). */
  delete (kind: CacheKind, key: string): Promise<void>
  uncacheUser (login: string): Promise<void>
  clear (): Promise<void>
  /** Failed or skipped commands so far. */
  readonly errors: number
  /** Values refused for a bad seal so far. */
  readonly rejected: number
  close (): Promise<void>
}

/** Longest a session's liveness stays in the local layer without Redis (seconds). */
export const SESSION_TTL_S = 5
/** Longest it stays with Redis, whose invalidations normally drop it at once (seconds). */
export const SESSION_TTL_REDIS_S = 60

/** Kinds that never leave the process. */
const localOnly = (kind: CacheKind): boolean => kind === 'credentials' || kind === 'session'

/** Kinds that answer from user records and memberships, which change outside the process: capped at `userTtl`. */
const USER_KINDS: ReadonlySet<CacheKind> = new Set(['user', 'group'])

type Login<T> = string | ((value: T) => string | undefined) | undefined

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as PromiseLike<unknown>).then === 'function'

/** The 'memory' backend, and the 'redis' one once a remote store is attached. */
export class TieredCache implements CacheLayer {
  readonly #local: LocalStore
  readonly #pending: Record<CacheKind, Map<string, Promise<unknown>>>
  readonly #credentials: boolean
  readonly #remoteTtlMs: Record<CacheKind, number>
  #remote: RemoteStore | undefined
  #log: CacheLog | undefined
  #epoch = 0
  #hits = 0
  #misses = 0
  #sets = 0
  readonly #byKind = emptyByKind()

  constructor (opts: ResolvedCacheOptions) {
    const redis = opts.type === 'redis'
    const ttlMs = Math.round((redis ? opts.localTtl : opts.ttl) * 1000)
    const userMs = Math.round(opts.userTtl * 1000)
    // credentials keep their own ttl: every hit is checked against the user record (userTtl), see passwords/credentials.ts
    const credMs = Math.round(opts.credentials.ttl * 1000)
    // verified credentials never leave the process (see redis.ts), so they live locally whatever localTtl says
    const credentialsMs = opts.credentials.enabled ? (redis && ttlMs > 0 ? Math.min(ttlMs, credMs) : credMs) : 0
    const sessionCapMs = (redis ? SESSION_TTL_REDIS_S : SESSION_TTL_S) * 1000
    // not kept locally at all, a session token would cost a store query per request
    const sessionMs = ttlMs > 0 ? Math.min(ttlMs, sessionCapMs) : sessionCapMs
    // user records and memberships change outside the process (CLI, SQL): userTtl bounds how long a change goes unseen
    const localMs = (kind: CacheKind): number => kind === 'credentials'
      ? credentialsMs
      : kind === 'session' ? sessionMs : USER_KINDS.has(kind) ? Math.min(ttlMs, userMs) : ttlMs
    this.#local = new LocalStore(opts.max, perKind(localMs), opts.clock)
    this.#credentials = opts.credentials.enabled
    const remoteMs = Math.round(opts.ttl * 1000)
    this.#remoteTtlMs = perKind((kind) => USER_KINDS.has(kind) ? Math.min(remoteMs, userMs) : remoteMs)
    this.#pending = perKind(() => new Map())
  }

  /** Put a shared store behind the local layer (done once by createCacheLayer). */
  attachRemote (remote: RemoteStore, log?: CacheLog): void {
    this.#remote = remote
    this.#log = log
  }

  memo<T> (kind: CacheKind, key: string, login: Login<T>, compute: () => T | Promise<T>): T | Promise<T> {
    if (kind === 'credentials' && !this.#credentials) return compute()
    const entry = this.#local.get(kind, key)
    if (entry !== undefined) {
      this.#hits++
      this.#byKind[kind].hits++
      return entry.v as T
    }
    const pending = this.#pending[kind].get(key)
    if (pending !== undefined) {
      this.#hits++
      this.#byKind[kind].hits++
      return pending as Promise<T>
    }
    // Verified credentials are never sent to the shared store: their keys depend on a secret of this process.
    if (this.#remote !== undefined && !localOnly(kind)) return this.#share(kind, key, this.#fetch(kind, key, login, compute, this.#remote))
    this.#miss(kind)
    const epoch = this.#epoch
    const value = compute()
    if (!isThenable(value)) {
      this.#store(kind, key, login, value)
      return value
    }
    return this.#share(kind, key, Promise.resolve(value).then((v) => {
      if (epoch === this.#epoch) this.#store(kind, key, login, v)
      return v
    }))
  }

  async delete (kind: CacheKind, key: string): Promise<void> {
    this.dropLocal(kind, key)
    await this.#remote?.delete(kind, key)
  }

  async uncacheUser (login: string): Promise<void> {
    this.dropLocalUser(login)
    await this.#remote?.uncacheUser(login)
  }

  async clear (): Promise<void> {
    this.clearLocal()
    await this.#remote?.clear()
  }

  /** Drop one entry from this process only (pub/sub messages land here). */
  dropLocal (kind: CacheKind, key: string): void {
    this.#epoch++
    this.#pending[kind].delete(key)
    this.#local.delete(kind, key)
  }

  /** Drop a user's entries from this process only. */
  dropLocalUser (login: string): void {
    this.#epoch++
    // Pending computes do not know their login yet: forget them all (only deduplication is lost).
    for (const k of CACHE_KINDS) this.#pending[k].clear()
    this.#local.deleteUser(login)
  }

  /** Drop everything from this process only (also after a Redis outage, when messages may have been missed). */
  clearLocal (): void {
    this.#epoch++
    for (const k of CACHE_KINDS) this.#pending[k].clear()
    this.#local.clear()
  }

  stats (): CacheStats {
    const stats: CacheStats = {
      hits: this.#hits,
      misses: this.#misses,
      sets: this.#sets,
      evictions: this.#local.evictions,
      size: this.#local.size,
      byKind: copyByKind(this.#byKind),
      backend: this.#remote === undefined ? 'memory' : 'redis'
    }
    if (this.#remote !== undefined) {
      stats.redisErrors = this.#remote.errors
      stats.redisRejected = this.#remote.rejected
    }
    return stats
  }

  async close (): Promise<void> {
    this.clearLocal()
    await this.#remote?.close()
  }

  /** Register a pending computation so that concurrent misses join it, and forget it once settled. */
  #share<T> (kind: CacheKind, key: string, p: Promise<T>): Promise<T> {
    const map = this.#pending[kind]
    const done = (): void => { if (map.get(key) === p) map.delete(key) }
    p.then(done, done)
    map.set(key, p)
    return p
  }

  async #fetch<T> (kind: CacheKind, key: string, login: Login<T>, compute: () => T | Promise<T>, remote: RemoteStore): Promise<T> {
    const epoch = this.#epoch
    const json = await remote.get(kind, key)
    if (json !== undefined) {
      let value: T | undefined
      try { value = JSON.parse(json) as T } catch { value = undefined } // foreign or corrupt value: a miss
      if (value !== undefined) {
        this.#hits++
        this.#byKind[kind].hits++
        if (epoch === this.#epoch) this.#local.set(kind, key, value, tagOf(login, value))
        return value
      }
    }
    this.#miss(kind)
    const value = await compute()
    if (epoch === this.#epoch) this.#store(kind, key, login, value)
    return value
  }

  #store<T> (kind: CacheKind, key: string, login: Login<T>, value: T): void {
    if (value === undefined) return
    const tag = tagOf(login, value)
    this.#sets++
    this.#local.set(kind, key, value, tag)
    if (this.#remote === undefined || localOnly(kind)) return
    let json: string
    try {
      json = JSON.stringify(value)
    } catch (e) {
      this.#log?.warn({ kind, err: (e as Error).message }, 'fastify-simple-auth: cache value is not JSON-serializable, kept in the local layer only')
      return
    }
    this.#remote.set(kind, key, json, tag, this.#remoteTtlMs[kind])
  }

  #miss (kind: CacheKind): void {
    this.#misses++
    this.#byKind[kind].misses++
  }
}

function tagOf<T> (login: Login<T>, value: T): string | undefined {
  return typeof login === 'function' ? login(value) : login
}
