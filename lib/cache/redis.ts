/**
 * The shared store behind the local layer when `cache.type` is 'redis' (ioredis).
 *
 * Layout (see seal.ts): an entry lives under `prefix + kind + ':' + HMAC(secret, kind, key)` with
 * a PX TTL, its value the JSON text behind a seal (HMAC over name and JSON); a value whose seal
 * does not match (another application's secret, a forged SET) is a miss. Each login has a set
 * `prefix + 'L:' + HMAC(secret, login)` of its members so that uncacheUser deletes a user's
 * entries in one server-side script. Keys never show a token, a login or a group in clear.
 * Invalidations are published on `prefix + 'inval'` as `'d' + kind + ':' + key`, `'u' + login` or
 * `'c'`, and every instance (the sender included, which is harmless) drops them from its local
 * layer; they are not sealed: a forged one can only cause misses.
 *
 * Failure mode: Redis is an accelerator, never a dependency of a request. Commands are skipped
 * while the client is not ready, time out quickly, and every failure degrades to "miss": the
 * value is computed by the callback. One warning per WARN_INTERVAL_MS, counted in stats. When the
 * subscriber comes back after an outage, the local layer is cleared because invalidations
 * published meanwhile were missed.
 */
import { Redis } from 'ioredis'
import { FSA_ERR_OPT_CACHE_SECRET } from '../errors/catalogue.js'
import { member, parseMember, type CacheKind } from './kinds.js'
import { loginSetName, seal, sealedMember, unseal } from './seal.js'
import { withTimeout } from './redis-client.js'
import type { CacheLog } from './layer.js'
import type { RemoteStore, TieredCache } from './memo.js'
import type { ResolvedCacheOptions } from './options.js'

/** Longest a request waits for Redis before computing the value itself. */
export const COMMAND_TIMEOUT_MS = 500
/** At most one "Redis unavailable" warning per this period. */
export const WARN_INTERVAL_MS = 30_000
const CONNECT_TIMEOUT_MS = 1000

// Deletes every member of a login set then the set itself, atomically.
const UNCACHE_USER = `local m = redis.call('SMEMBERS', KEYS[1])
for i = 1, #m do redis.call('UNLINK', ARGV[1] .. m[i]) end
redis.call('UNLINK', KEYS[1])
return #m`

const OWN_CLIENT = {
  enableOfflineQueue: false, // fail at once while disconnected instead of queueing
  maxRetriesPerRequest: 1,
  commandTimeout: COMMAND_TIMEOUT_MS,
  connectTimeout: CONNECT_TIMEOUT_MS,
  lazyConnect: true,
  autoResubscribe: false, // the subscriber resubscribes itself on every 'ready'
  retryStrategy: (times: number) => Math.min(times * 100, 1000)
} as const

const escapeGlob = (s: string): string => s.replace(/[*?[\]\\]/g, '\\$&')

/** The Redis side of a 'redis' cache layer. */
export class RedisRemote implements RemoteStore {
  readonly #client: Redis
  readonly #sub: Redis
  readonly #ownsClient: boolean
  readonly #prefix: string
  readonly #channel: string
  readonly #loginSetTtlMs: number
  readonly #log: CacheLog
  readonly #cache: TieredCache
  readonly #secret: Buffer
  #errors = 0
  #rejected = 0
  #lastWarn = -Infinity
  #down = false
  #closed = false

  constructor (client: Redis, sub: Redis, ownsClient: boolean, opts: ResolvedCacheOptions, log: CacheLog, cache: TieredCache) {
    this.#client = client
    this.#sub = sub
    this.#ownsClient = ownsClient
    this.#prefix = opts.prefix
    this.#channel = opts.prefix + 'inval'
    // A login set must outlive every member it lists, whatever their kind.
    this.#loginSetTtlMs = Math.round(Math.max(opts.ttl, opts.credentials.ttl) * 1000)
    this.#log = log
    this.#cache = cache
    if (opts.secret === undefined) throw new FSA_ERR_OPT_CACHE_SECRET('a shared (redis) cache needs a secret')
    this.#secret = opts.secret
    client.on('error', (e: Error) => this.#fail(e))
    sub.on('error', (e: Error) => this.#fail(e))
    sub.on('message', (channel: string, message: string) => { if (channel === this.#channel) this.#apply(message) })
    sub.on('ready', () => { this.#subscribe() })
    // a subscriber that lost its connection missed what was published meanwhile (at most once), even without an error
    sub.on('close', () => { if (!this.#closed) this.#down = true })
  }

  get errors (): number {
    return this.#errors
  }

  /** Values read with a seal that did not match (foreign or forged), treated as misses. */
  get rejected (): number {
    return this.#rejected
  }

  async get (kind: CacheKind, key: string): Promise<string | undefined> {
    if (!this.#ready()) return undefined
    const name = this.#prefix + sealedMember(this.#secret, kind, key)
    let text: string | null
    try {
      text = await withTimeout(this.#client.get(name), COMMAND_TIMEOUT_MS)
    } catch (e) {
      this.#fail(e)
      return undefined
    }
    if (text === null) return undefined
    const json = unseal(this.#secret, name, text)
    if (json === undefined) this.#reject(kind)
    return json
  }

  set (kind: CacheKind, key: string, json: string, login: string | undefined, ttlMs: number): void {
    if (!this.#ready()) return
    const member = sealedMember(this.#secret, kind, key)
    const name = this.#prefix + member
    const pipeline = this.#client.pipeline().set(name, seal(this.#secret, name, json), 'PX', ttlMs)
    if (login !== undefined) {
      const set = this.#prefix + loginSetName(this.#secret, login)
      pipeline.sadd(set, member).pexpire(set, this.#loginSetTtlMs)
    }
    pipeline.exec().then((results) => {
      const failed = results?.find(([e]) => e !== null)
      if (failed !== undefined) this.#fail(failed[0])
    }, (e: unknown) => this.#fail(e))
  }

  async delete (kind: CacheKind, key: string): Promise<void> {
    await this.#run(() => this.#client.unlink(this.#prefix + sealedMember(this.#secret, kind, key)))
    await this.#publish('d' + member(kind, key))
  }

  async uncacheUser (login: string): Promise<void> {
    await this.#run(() => this.#client.eval(UNCACHE_USER, 1, this.#prefix + loginSetName(this.#secret, login), this.#prefix))
    await this.#publish('u' + login)
  }

  async clear (): Promise<void> {
    await this.#run(async () => {
      const match = escapeGlob(this.#prefix) + '*'
      let cursor = '0'
      do {
        const [next, keys] = await withTimeout(this.#client.scan(cursor, 'MATCH', match, 'COUNT', 1000), COMMAND_TIMEOUT_MS)
        if (keys.length > 0) await withTimeout(this.#client.unlink(...keys), COMMAND_TIMEOUT_MS)
        cursor = next
      } while (cursor !== '0')
    })
    await this.#publish('c')
  }

  async close (): Promise<void> {
    this.#closed = true
    this.#sub.disconnect()
    if (!this.#ownsClient) return
    try {
      if (this.#client.status === 'ready') await withTimeout(this.#client.quit(), COMMAND_TIMEOUT_MS)
    } catch { /* going away anyway */ }
    this.#client.disconnect()
  }

  /** Subscribe (again) on every connection of the subscriber, and catch up after an outage. */
  #subscribe (): void {
    this.#sub.subscribe(this.#channel).then(() => {
      if (this.#down) {
        this.#down = false
        this.#cache.clearLocal()
        this.#log.info?.({ channel: this.#channel }, 'fastify-simple-auth: Redis cache reachable again, local layer cleared')
      }
    }, (e: unknown) => this.#fail(e))
  }

  #apply (message: string): void {
    const op = message[0]
    if (op === 'c') return this.#cache.clearLocal()
    if (op === 'u') return this.#cache.dropLocalUser(message.slice(1))
    const entry = op === 'd' ? parseMember(message.slice(1)) : undefined
    if (entry !== undefined) this.#cache.dropLocal(entry.kind, entry.key)
  }

  #ready (): boolean {
    if (this.#client.status === 'ready') return true
    this.#errors++
    return false
  }

  async #run (command: () => Promise<unknown>): Promise<void> {
    if (!this.#ready()) return
    try {
      await withTimeout(command(), COMMAND_TIMEOUT_MS * 4)
    } catch (e) {
      this.#fail(e)
    }
  }

  async #publish (message: string): Promise<void> {
    await this.#run(() => this.#client.publish(this.#channel, message))
  }

  /** A value whose seal does not match: another application's entry, or a forged one. */
  #reject (kind: CacheKind): void {
    this.#rejected++
    const now = Date.now()
    if (now - this.#lastWarn < WARN_INTERVAL_MS) return
    this.#lastWarn = now
    this.#log.warn({ kind, rejected: this.#rejected }, 'fastify-simple-auth: Redis cache entry with a bad seal ignored (another application on this prefix, or a forged entry)')
  }

  #fail (e: unknown): void {
    if (this.#closed) return
    this.#errors++
    this.#down = true
    const now = Date.now()
    if (now - this.#lastWarn < WARN_INTERVAL_MS) return
    this.#lastWarn = now
    // Only the message: ioredis errors name host and port, never the password.
    this.#log.warn({ err: e instanceof Error ? e.message : String(e), redisErrors: this.#errors },
      'fastify-simple-auth: Redis cache unavailable, serving from callbacks and the local layer')
  }
}

/**
 * Connect to Redis (a URL, or a duplicate of the caller's ioredis instance for pub/sub) and
 * wire invalidation messages into `cache`. Never rejects: an unreachable server is a warning and
 * the clients keep reconnecting in the background.
 *
 * @example
 *   const cache = new TieredCache(opts)
 *   cache.attachRemote(await connectRedisRemote(opts, app.log, cache), app.log)
 */
export async function connectRedisRemote (opts: ResolvedCacheOptions, log: CacheLog, cache: TieredCache): Promise<RedisRemote> {
  const given = opts.redis
  const ownsClient = typeof given === 'string' || given === undefined
  // the option check made sure a given client is an ioredis instance (the public type is structural)
  const client = ownsClient ? new Redis(given ?? 'redis://127.0.0.1:6379', OWN_CLIENT) : given as Redis
  const sub = client.duplicate(OWN_CLIENT)
  const remote = new RedisRemote(client, sub, ownsClient, opts, log, cache)
  const connect = async (r: Redis): Promise<void> => {
    if (r.status !== 'wait') return
    try { await r.connect() } catch { /* reported through the 'error' event; reconnects by itself */ }
  }
  await Promise.all([connect(client), connect(sub)])
  cache.attachRemote(remote, log)
  return remote
}
