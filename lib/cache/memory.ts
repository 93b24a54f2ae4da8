/**
 * The in-process layer: one lru-cache per kind (created on first use, since lru-cache
 * preallocates `max` slots) and an index login → entries so that uncacheUser(login) costs the
 * number of entries of that user, not a scan. The index is cleaned through lru-cache's `dispose`
 * hook, which fires on eviction, expiry, overwrite and deletion, so it never outgrows the caches.
 *
 * One cache per kind keeps the hot path free of allocation: a lookup uses the caller's key
 * string as is instead of building `kind + key`.
 */
import { LRUCache } from 'lru-cache'
import { member, parseMember, type CacheKind } from './kinds.js'
import type { CacheClock } from './options.js'

/** A cached value and the login it belongs to (wrapped so that null and false can be stored). */
export interface Entry {
  readonly v: unknown
  readonly login: string | undefined
}

/** In-process entries of every kind, bounded by `max` per kind and by a TTL per kind. */
export class LocalStore {
  readonly #max: number
  readonly #ttlMs: Record<CacheKind, number>
  readonly #caches: Partial<Record<CacheKind, LRUCache<string, Entry>>> = {}
  readonly #index = new Map<string, Set<string>>()
  readonly #clock: CacheClock | undefined
  #evictions = 0

  /**
   * @param max entries per kind
   * @param ttlMs time to live per kind in milliseconds; 0 means "do not keep this kind locally"
   * @param clock time source of the TTLs (tests); lru-cache's default, `performance`, when undefined
   */
  constructor (max: number, ttlMs: Record<CacheKind, number>, clock?: CacheClock) {
    this.#max = max
    this.#ttlMs = ttlMs
    this.#clock = clock
  }

  /** The live entry under (kind, key), if any. Allocation-free. */
  get (kind: CacheKind, key: string): Entry | undefined {
    const cache = this.#caches[kind]
    return cache === undefined ? undefined : cache.get(key)
  }

  /** Store a value (its login, if any, is indexed for deleteUser). */
  set (kind: CacheKind, key: string, v: unknown, login: string | undefined): void {
    const cache = this.#caches[kind] ?? this.#create(kind)
    if (cache === undefined) return
    // set() disposes a previous entry (unindexing it) before we index the new one.
    cache.set(key, { v, login })
    if (login !== undefined) {
      let keys = this.#index.get(login)
      if (keys === undefined) this.#index.set(login, keys = new Set())
      keys.add(member(kind, key))
    }
  }

  /** Drop one entry; whether it was there. */
  delete (kind: CacheKind, key: string): boolean {
    return this.#caches[kind]?.delete(key) ?? false
  }

  /** Drop every entry tagged with `login`; how many were dropped. */
  deleteUser (login: string): number {
    const keys = this.#index.get(login)
    if (keys === undefined) return 0
    this.#index.delete(login)
    let n = 0
    for (const m of keys) {
      const entry = parseMember(m)
      if (entry !== undefined && this.#caches[entry.kind]?.delete(entry.key) === true) n++
    }
    return n
  }

  /** Drop everything. */
  clear (): void {
    this.#index.clear()
    for (const cache of Object.values(this.#caches)) cache.clear()
  }

  /** Entries held (expired entries not yet touched included). */
  get size (): number {
    let n = 0
    for (const cache of Object.values(this.#caches)) n += cache.size
    return n
  }

  /** Entries pushed out by the `max` bound so far. */
  get evictions (): number {
    return this.#evictions
  }

  /** Logins currently indexed (for tests and diagnostics). */
  get indexedLogins (): number {
    return this.#index.size
  }

  #create (kind: CacheKind): LRUCache<string, Entry> | undefined {
    const ttl = this.#ttlMs[kind]
    if (ttl <= 0) return undefined
    const cache = new LRUCache<string, Entry>({
      max: this.#max,
      ttl,
      updateAgeOnGet: false,
      // An injected clock is read on every check (lru-cache otherwise reuses a reading for 1 ms
      // of real time), so a test that moves it sees entries expire at once; the default clock
      // keeps lru-cache's default.
      ...(this.#clock === undefined ? {} : { perf: this.#clock, ttlResolution: 0 }),
      dispose: (entry, key, reason) => {
        if (reason === 'evict') this.#evictions++
        if (entry.login !== undefined) this.#unindex(entry.login, member(kind, key))
      }
    })
    this.#caches[kind] = cache
    return cache
  }

  #unindex (login: string, member: string): void {
    const keys = this.#index.get(login)
    if (keys === undefined) return
    keys.delete(member)
    if (keys.size === 0) this.#index.delete(login)
  }
}
