/**
 * The cache layer interface every callback result of the plugin goes through, and the factory
 * that builds the configured backend ('none', 'memory', or 'redis' with a local layer in front).
 * See docs/reference/caching.md.
 */
import type { ResolvedCacheOptions } from './options.js'
import { TieredCache } from './memo.js'
import { loadPeer } from '../core/peers.js'
import { copyByKind, emptyByKind, type CacheKind } from './kinds.js'

export type { CacheKind } from './kinds.js'
export { CACHE_KINDS } from './kinds.js'

/** Counters of a cache layer since it was created (`size` is the current in-process size). */
export interface CacheStats {
  /** Lookups answered without calling compute (local, Redis, or joining a pending compute). */
  hits: number
  /** Lookups that called compute. */
  misses: number
  /** Values stored (undefined and errors are not). */
  sets: number
  /** Entries pushed out of the in-process layer by the `max` bound. */
  evictions?: number
  /** Entries currently held in the in-process layer (expired ones may linger until touched). */
  size: number
  byKind: Record<CacheKind, { hits: number, misses: number }>
  /** 'none', 'memory' or 'redis'. */
  backend: string
  /** Failed or skipped Redis commands and connection errors. */
  redisErrors?: number
  /** Redis values refused because their seal did not match (another application's or forged). */
  redisRejected?: number
}

/** The logger the layer needs: a Fastify/pino logger fits. */
export interface CacheLog {
  warn (o: unknown, msg?: string): void
  info? (o: unknown, msg?: string): void
}

/** One memoization layer for every callback of the plugin. */
export interface CacheLayer {
  /**
   * Memoize compute() under (kind, key). Returns the value SYNCHRONOUSLY on an in-process hit,
   * else a Promise (or compute's own sync value when the backend is 'none'/'memory' and compute
   * is sync). `login` tags the entry so uncacheUser(login) can drop it; it may be a function of
   * the computed value (tokens: the login is known only after verification). Thrown errors are
   * never cached; undefined is not cached; null and false are.
   *
   * @example
   *   const hash = cache.memo('user', login, login, () => getUserPass(login))
   *   const ok = cache.memo('group', login + '\0' + group, login, () => userInGroup(login, group))
   */
  memo<T> (kind: CacheKind, key: string, login: string | ((value: T) => string | undefined) | undefined, compute: () => T | Promise<T>): T | Promise<T>
  /** Drop one entry everywhere (local, Redis, and other instances' local layers). */
  delete (kind: CacheKind, key: string): Promise<void>
  /** Drop every entry tagged with this login everywhere. */
  uncacheUser (login: string): Promise<void>
  /** Drop every entry everywhere (with Redis: every key under the prefix). */
  clear (): Promise<void>
  /** A snapshot of the counters. */
  stats (): CacheStats
  /** Release connections and timers; the layer must not be used afterwards. */
  close (): Promise<void>
}

/** The 'none' backend: every call computes, nothing is kept. */
class NoCache implements CacheLayer {
  #misses = 0
  #byKind = emptyByKind()

  memo<T> (kind: CacheKind, _key: string, _login: unknown, compute: () => T | Promise<T>): T | Promise<T> {
    this.#misses++
    this.#byKind[kind].misses++
    return compute()
  }

  async delete (): Promise<void> {}
  async uncacheUser (): Promise<void> {}
  async clear (): Promise<void> {}
  async close (): Promise<void> {}

  stats (): CacheStats {
    return { hits: 0, misses: this.#misses, sets: 0, size: 0, byKind: copyByKind(this.#byKind), backend: 'none' }
  }
}

/**
 * Build the cache layer described by resolved options. With Redis, resolves once the first
 * connection attempt is over; an unreachable Redis is a warning, never an error: the layer
 * serves from the callbacks and its local layer and reconnects in the background.
 *
 * @example
 *   const cache = await createCacheLayer(resolveCacheOptions({ ttl: 300 }), app.log)
 *   const hash = await cache.memo('user', 'calvin', 'calvin', () => db.passwordHash('calvin'))
 *   app.addHook('onClose', () => cache.close())
 */
export async function createCacheLayer (opts: ResolvedCacheOptions, log: CacheLog): Promise<CacheLayer> {
  if (opts.type === 'none') return new NoCache()
  const cache = new TieredCache(opts)
  if (opts.type === 'redis') {
    // Imported lazily so that applications without Redis never load ioredis (an optional peer).
    const { connectRedisRemote } = await loadPeer('ioredis', "cache.type 'redis'", () => import('./redis.js'))
    await connectRedisRemote(opts, log, cache)
  }
  return cache
}
