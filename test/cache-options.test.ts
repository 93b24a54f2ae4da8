import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Redis } from 'ioredis'
import { resolveCacheOptions, CacheOptionsSchema, type CacheOptions } from '../lib/cache/options.js'
import { cacheSecretOf } from '../lib/cache/seal.js'

const SECRET = 'a-cache-secret-of-at-least-32-bytes!'

test('no cache option resolves to an in-process cache with the documented defaults', () => {
  assert.deepEqual(resolveCacheOptions(), {
    type: 'memory', ttl: 600, userTtl: 5, secret: undefined, max: 262144, prefix: 'fsa:', redis: undefined, localTtl: 600, clock: undefined,
    credentials: { enabled: false, ttl: 60 }
  })
})

test('a clock is kept as given and must be an object with a now() method', () => {
  const clock = { now: () => 42 }
  assert.equal(resolveCacheOptions({ clock }).clock, clock)
  assert.equal(resolveCacheOptions({ clock: performance }).clock, performance)
  for (const bad of [{ now: 3 }, {}, 'performance', () => 1]) {
    assert.throws(() => resolveCacheOptions({ clock: bad as never }), { code: 'FSA_ERR_OPT_INVALID', message: /cache\.clock/ })
  }
})

test('the FlaskSimpleAuth names ttl and lru are aliases of memory', () => {
  assert.equal(resolveCacheOptions({ type: 'ttl' }).type, 'memory')
  assert.equal(resolveCacheOptions({ type: 'lru' }).type, 'memory')
  assert.equal(resolveCacheOptions({ type: 'none' }).type, 'none')
})

test('giving redis without a type selects the redis backend and localTtl follows ttl', () => {
  const o = resolveCacheOptions({ redis: 'redis://127.0.0.1:6379/2', ttl: 30, secret: SECRET })
  assert.equal(o.type, 'redis')
  assert.equal(o.redis, 'redis://127.0.0.1:6379/2')
  assert.equal(o.localTtl, 30)
  assert.equal(resolveCacheOptions({ type: 'redis', secret: SECRET }).redis, 'redis://127.0.0.1:6379')
  assert.equal(resolveCacheOptions({ type: 'redis', localTtl: 0, secret: SECRET }).localTtl, 0)
})

test('an ioredis instance is accepted as redis', () => {
  const client = new Redis({ lazyConnect: true })
  try {
    assert.equal(resolveCacheOptions({ redis: client, secret: SECRET }).redis, client)
  } finally {
    client.disconnect()
  }
})

test('credentials settings are filled in and fractional seconds are allowed', () => {
  const o = resolveCacheOptions({ ttl: 0.5, credentials: { enabled: true } })
  assert.deepEqual(o.credentials, { enabled: true, ttl: 60 })
  assert.equal(o.ttl, 0.5)
})

test('the input object is never mutated', () => {
  const input: CacheOptions = { type: 'lru', credentials: {} }
  const copy = structuredClone(input)
  resolveCacheOptions(input)
  assert.deepEqual(input, copy)
})

test('an unknown key is a start-up error naming the key and the allowed ones', () => {
  assert.throws(() => resolveCacheOptions({ size: 10 } as unknown as CacheOptions),
    (e: Error & { code: string }) => e.code === 'FSA_ERR_OPT_UNKNOWN' && /cache\.size/.test(e.message) && /ttl/.test(e.message))
  assert.throws(() => resolveCacheOptions({ credentials: { secret: 'x' } } as unknown as CacheOptions),
    (e: Error & { code: string }) => e.code === 'FSA_ERR_OPT_UNKNOWN' && /cache\.credentials\.secret/.test(e.message))
})

test('bad values are start-up errors naming the option', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ ttl: 0 }, /cache\.ttl/],
    [{ ttl: '60' }, /cache\.ttl/],
    [{ max: 1.5 }, /cache\.max/],
    [{ type: 'memcached' }, /cache\.type/],
    [{ redis: 'http://127.0.0.1' }, /cache\.redis/],
    [{ redis: { host: '127.0.0.1' } }, /cache\.redis/],
    [{ type: 'memory', redis: 'redis://127.0.0.1' }, /cache\.redis.*memory/],
    [{ localTtl: -1 }, /cache\.localTtl/],
    [{ credentials: { enabled: 'yes' } }, /cache\.credentials\.enabled/],
    ['memory', /"cache"/],
    [[], /"cache"/]
  ]
  for (const [input, message] of cases) {
    assert.throws(() => resolveCacheOptions(input as CacheOptions),
      (e: Error & { code: string }) => e.code === 'FSA_ERR_OPT_INVALID' && message.test(e.message), JSON.stringify(input))
  }
})

test('the schema rejects additional properties so the plugin option schema can embed it', () => {
  assert.equal((CacheOptionsSchema as { additionalProperties?: unknown }).additionalProperties, false)
  assert.equal((CacheOptionsSchema.properties.credentials as { additionalProperties?: unknown }).additionalProperties, false)
})

test('userTtl defaults to 5 s and never exceeds ttl', () => {
  assert.equal(resolveCacheOptions().userTtl, 5)
  assert.equal(resolveCacheOptions({ userTtl: 30 }).userTtl, 30)
  assert.equal(resolveCacheOptions({ ttl: 2 }).userTtl, 2)
  assert.throws(() => resolveCacheOptions({ userTtl: 0 }), { code: 'FSA_ERR_OPT_INVALID', message: /cache\.userTtl/ })
})

test('a shared cache needs a secret: cache.secret, or the token secret it is derived from; never a random one', () => {
  assert.throws(() => resolveCacheOptions({ type: 'redis' }), { code: 'FSA_ERR_OPT_CACHE_SECRET', message: /needs cache\.secret/ })
  assert.throws(() => resolveCacheOptions({ type: 'redis', secret: 'short' }), { code: 'FSA_ERR_OPT_CACHE_SECRET', message: /shorter than 32 bytes \(5\)/ })
  assert.deepEqual(resolveCacheOptions({ type: 'redis', secret: SECRET }).secret, cacheSecretOf(SECRET))
  const derived = resolveCacheOptions({ type: 'redis' }, 'the-token-secret-of-the-application-0123')
  assert.deepEqual(derived.secret, cacheSecretOf('the-token-secret-of-the-application-0123'))
  assert.notDeepEqual(derived.secret, Buffer.from('the-token-secret-of-the-application-0123'), 'derived, not the token secret itself')
  assert.equal(resolveCacheOptions({ secret: SECRET }).secret, undefined, 'the in-process cache neither names nor seals entries')
})
