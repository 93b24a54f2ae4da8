/**
 * The `cache` option of fastify-simple-auth: its schema, its defaults and the resolution
 * step that turns what the user wrote into the fully populated object the cache layer expects.
 * Resolution happens once at start-up and throws `FSA_ERR_OPT_*` errors, never at request time.
 */
import { Type, Fn, type Static } from '../options/schema.js'
import { checkOptions } from '../options/check.js'
import type { RedisClient } from './redis-client.js'
import { FSA_ERR_OPT_CACHE_SECRET, FSA_ERR_OPT_INVALID } from '../errors/catalogue.js'
import { cacheSecretOf } from './seal.js'

const Seconds = (description: string) => Type.Number({ exclusiveMinimum: 0, description })

/** An ioredis client, recognized by the methods the cache uses. */
const RedisInstance = Type.Unsafe<RedisClient>({
  type: 'object',
  properties: { duplicate: Fn(), publish: Fn() },
  required: ['duplicate', 'publish'],
  expected: 'an ioredis instance'
})

/**
 * The time source of the in-process layer's entry lifetimes, in milliseconds (only differences
 * matter). The default is `performance`, which fake timers do not move; a test that fakes `Date`
 * (node:test's `mock.timers`) passes `{ now: () => Date.now() }` so entries expire when it
 * advances the time, like tokens do.
 */
export interface CacheClock {
  now (): number
}

/** Schema of `options.cache` (unknown keys are rejected). */
export const CacheOptionsSchema = Type.Object({
  type: Type.Optional(Type.Union([
    Type.Literal('memory'), Type.Literal('none'), Type.Literal('redis'),
    // FlaskSimpleAuth names of the in-process cache: both mean 'memory' here.
    Type.Literal('ttl'), Type.Literal('lru')
  ], { description: "'memory' (default, aliases 'ttl' and 'lru'), 'redis', or 'none'" })),
  ttl: Type.Optional(Seconds('seconds an entry lives (default 600)')),
  userTtl: Type.Optional(Seconds('seconds user records and group memberships live at most (default 5): the bound on changes made where no invalidation reaches')),
  secret: Type.Optional(Type.String({ description: 'key of Redis entry names and entry seals, at least 32 bytes (default: derived from token.secret; required with Redis otherwise)' })),
  max: Type.Optional(Type.Integer({ minimum: 1, description: 'entries per kind in the in-process layer (default 262144)' })),
  prefix: Type.Optional(Type.String({ description: "Redis key and channel prefix (default 'fsa:')" })),
  redis: Type.Optional(Type.Union([
    Type.String({ pattern: '^rediss?://', description: 'a redis:// or rediss:// URL' }),
    RedisInstance
  ], { expected: 'a redis:// or rediss:// URL or an ioredis instance' })),
  localTtl: Type.Optional(Type.Number({ minimum: 0, description: 'seconds an entry stays in the in-process layer in front of Redis (default ttl, 0 disables it)' })),
  clock: Type.Optional(Type.Unsafe<CacheClock>({
    type: 'object',
    properties: { now: Fn() },
    required: ['now'],
    expected: 'an object with a now() method returning milliseconds',
    description: 'the time source of entry lifetimes: { now(): milliseconds } (default performance)'
  })),
  credentials: Type.Optional(Type.Object({
    enabled: Type.Optional(Type.Boolean({ description: 'cache successful password verifications (default false)' })),
    ttl: Type.Optional(Seconds('seconds a verified password stays cached (default 60)'))
  }, { additionalProperties: false }))
}, { additionalProperties: false })

/** What users may pass as `options.cache`. */
export type CacheOptions = Static<typeof CacheOptionsSchema>

/** `options.cache` after defaults: every key present, aliases resolved, times still in seconds. */
export interface ResolvedCacheOptions {
  type: 'memory' | 'none' | 'redis'
  /** @default 600 */
  ttl: number
  /** Cap of kinds `user` and `group` (seconds); verified credentials are checked against the `user` entry. @default 5 */
  userTtl: number
  /** @default 262144 */
  max: number
  /** @default 'fsa:' */
  prefix: string
  /** URL or ioredis instance, only for type 'redis'. @default 'redis://127.0.0.1:6379' */
  redis: string | RedisClient | undefined
  /** @default ttl */
  localTtl: number
  /**
   * Key of entry names and seals on Redis (HMAC-SHA256): `cache.secret`, else derived from the
   * token secret; `undefined` for the in-process backends, which neither name nor seal entries.
   */
  secret: Buffer | undefined
  /** Given by the user (tests); undefined means lru-cache's default, `performance`. */
  clock: CacheClock | undefined
  credentials: {
    /** @default false */
    enabled: boolean
    /** @default 60 */
    ttl: number
  }
}

/** Defaults of `options.cache`, as documented in docs/reference/caching.md. */
export const CACHE_DEFAULTS = Object.freeze({
  type: 'memory',
  ttl: 600,
  userTtl: 5,
  max: 262144,
  prefix: 'fsa:',
  redis: 'redis://127.0.0.1:6379',
  credentialsTtl: 60
} as const)

/**
 * Check `options.cache` and fill in the defaults. The input is never mutated.
 * Giving `redis` without `type` selects the Redis backend, which needs a secret: `cache.secret`,
 * else `derivedFrom` (the configured token secret); a random per-process secret would share nothing.
 *
 * @throws FSA_ERR_OPT_UNKNOWN on an unknown key, FSA_ERR_OPT_INVALID on a bad value,
 *   FSA_ERR_OPT_CACHE_SECRET for Redis without a secret or a short `cache.secret`.
 * @example
 *   resolveCacheOptions({ type: 'redis', redis: 'redis://127.0.0.1:6379', ttl: 300 })
 *   // → { type: 'redis', ttl: 300, localTtl: 300, max: 262144, prefix: 'fsa:', ... }
 */
export function resolveCacheOptions (input: CacheOptions | undefined = {}, derivedFrom?: string): ResolvedCacheOptions {
  checkOptions(CacheOptionsSchema, input, 'cache')
  const type = input.type === undefined
    ? (input.redis !== undefined ? 'redis' : CACHE_DEFAULTS.type)
    : (input.type === 'ttl' || input.type === 'lru' ? 'memory' : input.type)
  if (type !== 'redis' && input.redis !== undefined) {
    throw new FSA_ERR_OPT_INVALID('cache.redis', `only applies to type 'redis', not '${type}'`)
  }
  const ttl = input.ttl ?? CACHE_DEFAULTS.ttl
  return {
    type,
    ttl,
    userTtl: Math.min(ttl, input.userTtl ?? CACHE_DEFAULTS.userTtl),
    secret: type === 'redis' ? resolveCacheSecret(input.secret, derivedFrom) : undefined,
    max: input.max ?? CACHE_DEFAULTS.max,
    prefix: input.prefix ?? CACHE_DEFAULTS.prefix,
    redis: type === 'redis' ? (input.redis ?? CACHE_DEFAULTS.redis) : undefined,
    localTtl: input.localTtl ?? ttl,
    clock: input.clock,
    credentials: {
      enabled: input.credentials?.enabled ?? false,
      ttl: input.credentials?.ttl ?? CACHE_DEFAULTS.credentialsTtl
    }
  }
}

/** Bytes of the shortest accepted `cache.secret` (as for token secrets). */
export const MIN_CACHE_SECRET_BYTES = 32

/** The key of a shared cache: `cache.secret`, else one derived from the token secret; never random. */
export function resolveCacheSecret (secret: string | undefined, derivedFrom: string | undefined): Buffer {
  if (secret !== undefined) {
    const bytes = Buffer.byteLength(secret, 'utf8')
    if (bytes < MIN_CACHE_SECRET_BYTES) throw new FSA_ERR_OPT_CACHE_SECRET(`cache.secret is shorter than ${MIN_CACHE_SECRET_BYTES} bytes (${bytes})`)
    return cacheSecretOf(secret)
  }
  if (derivedFrom !== undefined && derivedFrom !== '') return cacheSecretOf(derivedFrom)
  throw new FSA_ERR_OPT_CACHE_SECRET("a shared (redis) cache needs cache.secret, or a configured token.secret to derive it from: instances must share it, so it cannot be random")
}
