/**
 * Where throttling counts: a store of counters, each incremented atomically and forgotten a
 * window after its first increment. In memory for one process; lib/throttle/redis.ts shares them
 * between instances.
 */
import type { CacheClock } from '../cache/options.js'

/** Counters with expiry. */
export interface CounterStore {
  /** Add one to each key (a key starts its window at its first increment); the counts after. */
  increment (keys: readonly string[], windowMs: number): Promise<number[]>
  /** Forget a key. */
  reset (key: string): Promise<void>
}

/** Entries kept at most: an attacker making up logins cannot grow the process without bound. */
export const MAX_COUNTERS = 100_000

interface Count { n: number, expires: number }

/** Counters of this process. */
export class MemoryCounters implements CounterStore {
  readonly #counts = new Map<string, Count>()
  readonly #clock: CacheClock

  constructor (clock: CacheClock) {
    this.#clock = clock
  }

  /** The synchronous increment, also the fallback of the Redis counters. */
  incrementNow (keys: readonly string[], windowMs: number): number[] {
    const now = this.#clock.now()
    return keys.map((key) => {
      let c = this.#counts.get(key)
      if (c === undefined || c.expires <= now) {
        this.#counts.delete(key)
        c = { n: 0, expires: now + windowMs }
        if (this.#counts.size >= MAX_COUNTERS) this.#evictOldest()
        this.#counts.set(key, c)
      }
      return ++c.n
    })
  }

  async increment (keys: readonly string[], windowMs: number): Promise<number[]> {
    return this.incrementNow(keys, windowMs)
  }

  resetNow (key: string): void {
    this.#counts.delete(key)
  }

  async reset (key: string): Promise<void> {
    this.resetNow(key)
  }

  /** Counters kept (the fast "nothing to reset" check of a success). */
  get size (): number {
    return this.#counts.size
  }

  #evictOldest (): void {
    const first = this.#counts.keys().next()
    if (first.done !== true) this.#counts.delete(first.value)
  }
}
