/**
 * Throttling counters shared by every instance through the cache's Redis (cache `type: 'redis'`):
 * same prefix, counter names HMAC-keyed with the cache secret like the cache's entries (no login
 * or address in clear on Redis), incremented with their expiry in one Lua script (one round trip
 * after a failure, none before a verification). Refusals are published on `prefix + 'throttle'`
 * so that every instance refuses from its local map without asking Redis.
 *
 * Its own two connections (commands, subscriber), so that a slow cache never delays a count.
 * When Redis is unreachable, `increment` rejects at once and the throttle counts in its process
 * (FSAWRN_THROTTLE_LOCAL, once per outage).
 */
import { createHmac } from 'node:crypto'
import { Redis } from 'ioredis'
import { withTimeout } from '../cache/redis-client.js'
import { FSAWRN_THROTTLE_LOCAL, warn, type WarningLog } from '../errors/warnings.js'
import type { ResolvedCacheOptions } from '../cache/options.js'
import type { CounterStore } from './counters.js'

const TIMEOUT_MS = 500

// INCR each key, give a new one its window, return the counts: atomic, one round trip.
const INCREMENT = `local r = {}
for i = 1, #KEYS do
  local n = redis.call('INCR', KEYS[i])
  if n == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
  r[i] = n
end
return r`

const OWN_CLIENT = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: TIMEOUT_MS,
  connectTimeout: 1000,
  lazyConnect: true,
  autoResubscribe: true,
  retryStrategy: (times: number) => Math.min(times * 100, 1000)
} as const

/** Counters on Redis, with the refusals of every instance. */
export class RedisCounters implements CounterStore {
  readonly #client: Redis
  readonly #sub: Redis
  readonly #prefix: string
  readonly #channel: string
  readonly #secret: Buffer
  readonly #log: WarningLog
  #down = false
  #onRefused: ((name: string, ms: number) => void) | undefined

  constructor (client: Redis, sub: Redis, opts: ResolvedCacheOptions, log: WarningLog) {
    this.#client = client
    this.#sub = sub
    this.#prefix = opts.prefix
    this.#channel = opts.prefix + 'throttle'
    this.#secret = opts.secret!
    this.#log = log
    client.on('error', (e: Error) => { this.#fail(e) })
    sub.on('error', () => {})
    sub.on('message', (channel: string, message: string) => { if (channel === this.#channel) this.#received(message) })
  }

  /** The name of a throttling key, on Redis and in every instance's map of refusals. */
  name (key: string): string {
    return 'T:' + createHmac('sha256', this.#secret).update('T\0' + key, 'utf8').digest('base64url')
  }

  async increment (keys: readonly string[], windowMs: number): Promise<number[]> {
    try {
      const names = keys.map((k) => this.#prefix + this.name(k))
      const counts = await withTimeout(this.#client.eval(INCREMENT, names.length, ...names, windowMs) as Promise<number[]>, TIMEOUT_MS)
      this.#down = false
      return counts
    } catch (e) {
      this.#fail(e)
      throw e
    }
  }

  async reset (key: string): Promise<void> {
    try {
      await withTimeout(this.#client.unlink(this.#prefix + this.name(key)), TIMEOUT_MS)
    } catch (e) {
      this.#fail(e)
    }
  }

  /** Tell every instance (this one included) that `name` is refused for `ms`. */
  publish (name: string, ms: number): void {
    this.#client.publish(this.#channel, name + ' ' + String(Math.ceil(ms))).catch((e: unknown) => { this.#fail(e) })
  }

  /** Where refusals published by any instance go. */
  onRefused (apply: (name: string, ms: number) => void): void {
    this.#onRefused = apply
  }

  async subscribe (): Promise<void> {
    try { await this.#sub.subscribe(this.#channel) } catch (e) { this.#fail(e) }
  }

  async close (): Promise<void> {
    this.#down = true
    this.#sub.disconnect()
    try { if (this.#client.status === 'ready') await withTimeout(this.#client.quit(), TIMEOUT_MS) } catch { /* already gone: disconnect below */ }
    this.#client.disconnect()
  }

  #received (message: string): void {
    const space = message.indexOf(' ')
    const ms = Number(message.slice(space + 1))
    if (space > 0 && Number.isFinite(ms) && ms > 0) this.#onRefused?.(message.slice(0, space), ms)
  }

  #fail (e: unknown): void {
    if (this.#down) return
    this.#down = true
    // only the message: ioredis errors name host and port, never the password
    warn(this.#log, FSAWRN_THROTTLE_LOCAL(e instanceof Error ? e.message : String(e)))
  }
}

/**
 * Connect the shared counters (never rejects: an unreachable Redis is a warning, the counts
 * stay in the process until it answers).
 */
export async function connectRedisCounters (opts: ResolvedCacheOptions, log: WarningLog): Promise<RedisCounters> {
  const given = opts.redis
  const client = typeof given === 'string' || given === undefined
    ? new Redis(given ?? 'redis://127.0.0.1:6379', OWN_CLIENT)
    : (given as unknown as Redis).duplicate(OWN_CLIENT)
  const sub = client.duplicate(OWN_CLIENT)
  const counters = new RedisCounters(client, sub, opts, log)
  await Promise.all([client, sub].map(async (r) => { try { await r.connect() } catch { /* reported by 'error' */ } }))
  await counters.subscribe()
  return counters
}
