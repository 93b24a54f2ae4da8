/**
 * The `cache` option of fastify-simple-auth: its TypeBox schema, its defaults and the resolution
 * step that turns what the user wrote into the fully populated object the cache layer expects.
 * Resolution happens once at start-up and throws `FSA_ERR_OPT_*` errors, never at request time.
 */
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import type { RedisClient } from './redis-client.js'
import { FSA_ERR_OPT_INVALID, FSA_ERR_OPT_UNKNOWN } from '../errors/catalogue.js'

const Seconds = (description: string) => Type.Number({ exclusiveMinimum: 0, description })

/** Schema of `options.cache` (unknown keys are rejected). */
export const CacheOptionsSchema = Type.Object({
  type: Type.Optional(Type.Union([
    Type.Literal('memory'), Type.Literal('none'), Type.Literal('redis'),
    // FlaskSimpleAuth names of the in-process cache: both mean 'memory' here.
    Type.Literal('ttl'), Type.Literal('lru')
  ], { description: "'memory' (default, aliases 'ttl' and 'lru'), 'redis', or 'none'" })),
  ttl: Type.Optional(Seconds('seconds an entry lives (default 600)')),
  max: Type.Optional(Type.Integer({ minimum: 1, description: 'entries per kind in the in-process layer (default 262144)' })),
  prefix: Type.Optional(Type.String({ description: "Redis key and channel prefix (default 'fsa:')" })),
  redis: Type.Optional(Type.Union([
    Type.String({ pattern: '^rediss?://', description: 'a redis:// or rediss:// URL' }),
    Type.Unsafe<RedisClient>({ type: 'object', description: 'an ioredis instance' })
  ])),
  localTtl: Type.Optional(Type.Number({ minimum: 0, description: 'seconds an entry stays in the in-process layer in front of Redis (default ttl, 0 disables it)' })),
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
  /** @default 262144 */
  max: number
  /** @default 'fsa:' */
  prefix: string
  /** URL or ioredis instance, only for type 'redis'. @default 'redis://127.0.0.1:6379' */
  redis: string | RedisClient | undefined
  /** @default ttl */
  localTtl: number
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
  max: 262144,
  prefix: 'fsa:',
  redis: 'redis://127.0.0.1:6379',
  credentialsTtl: 60
} as const)

const isRedisInstance = (r: unknown): r is RedisClient =>
  typeof r === 'object' && r !== null &&
  typeof (r as RedisClient).duplicate === 'function' && typeof (r as RedisClient).publish === 'function'

/**
 * Check `options.cache` and fill in the defaults. The input is never mutated.
 * Giving `redis` without `type` selects the Redis backend.
 *
 * @throws FSA_ERR_OPT_UNKNOWN on an unknown key, FSA_ERR_OPT_INVALID on a bad value.
 * @example
 *   resolveCacheOptions({ type: 'redis', redis: 'redis://127.0.0.1:6379', ttl: 300 })
 *   // → { type: 'redis', ttl: 300, localTtl: 300, max: 262144, prefix: 'fsa:', ... }
 */
export function resolveCacheOptions (input: CacheOptions | undefined = {}): ResolvedCacheOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new FSA_ERR_OPT_INVALID('cache', 'must be an object')
  }
  if (!Value.Check(CacheOptionsSchema, input)) {
    const allowed = Object.keys(CacheOptionsSchema.properties).join(', ')
    for (const key of Object.keys(input)) {
      if (!(key in CacheOptionsSchema.properties)) throw new FSA_ERR_OPT_UNKNOWN(`cache.${key}`, allowed)
    }
    const first = [...Value.Errors(CacheOptionsSchema, input)][0]
    const where = first?.instancePath.replace(/^\//, '').replaceAll('/', '.') ?? ''
    const unknown = first?.keyword === 'additionalProperties' || first?.message === 'schema is false'
    if (unknown) throw new FSA_ERR_OPT_UNKNOWN(`cache.${where}`, 'enabled, ttl')
    throw new FSA_ERR_OPT_INVALID(where === '' ? 'cache' : `cache.${where}`, first?.message ?? 'invalid value')
  }
  if (input.redis !== undefined && typeof input.redis !== 'string' && !isRedisInstance(input.redis)) {
    throw new FSA_ERR_OPT_INVALID('cache.redis', 'must be a redis:// URL or an ioredis instance')
  }
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
    max: input.max ?? CACHE_DEFAULTS.max,
    prefix: input.prefix ?? CACHE_DEFAULTS.prefix,
    redis: type === 'redis' ? (input.redis ?? CACHE_DEFAULTS.redis) : undefined,
    localTtl: input.localTtl ?? ttl,
    credentials: {
      enabled: input.credentials?.enabled ?? false,
      ttl: input.credentials?.ttl ?? CACHE_DEFAULTS.credentialsTtl
    }
  }
}
