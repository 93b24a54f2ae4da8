import { describe, test, after } from 'node:test'
import assert from 'node:assert/strict'
import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { freePort, noRedisServer, startRedisServer, until } from './helpers/redis-server.js'
import { Redis } from 'ioredis'
import { createCacheLayer, type CacheLayer } from '../lib/cache/layer.js'
import { resolveCacheOptions, type CacheOptions } from '../lib/cache/options.js'
import { cacheSecretOf, loginSetName, SEAL_LENGTH, sealedMember } from '../lib/cache/seal.js'

const REDIS_URL = process.env.FSA_TEST_REDIS_URL
const noRedis = REDIS_URL === undefined ? 'FSA_TEST_REDIS_URL not set' : false
const noServer = noRedis === false ? noRedisServer() : noRedis
if (noRedis !== false) console.log('cache-redis: Redis tests skipped, FSA_TEST_REDIS_URL not set')

interface Log { warn (o: unknown, msg?: string): void, info (o: unknown, msg?: string): void, warnings: unknown[], infos: unknown[] }
function recorder (): Log {
  const l: Log = { warnings: [], infos: [], warn: (o) => { l.warnings.push(o) }, info: (o) => { l.infos.push(o) } }
  return l
}

const layers: CacheLayer[] = []
const clients: Redis[] = []
after(async () => {
  await Promise.all(layers.map((l) => l.close()))
  for (const c of clients) c.disconnect()
})

async function layer (o: CacheOptions, log: Log = recorder()): Promise<CacheLayer> {
  const l = await createCacheLayer(resolveCacheOptions({ type: 'redis', secret: SECRET, ...o }), log)
  layers.push(l)
  return l
}

function raw (url = REDIS_URL): Redis {
  const c = new Redis(url as string)
  clients.push(c)
  return c
}

const SECRET = 'cache-secret-for-the-redis-tests-0123456789'
const KEY = cacheSecretOf(SECRET)
/** The Redis key of an entry, and of a login's set, under the test secret. */
const K = (prefix: string, kind: Parameters<typeof sealedMember>[1], key: string): string => prefix + sealedMember(KEY, kind, key)
const L = (prefix: string, login: string): string => prefix + loginSetName(KEY, login)

const uniquePrefix = (): string => `fsa-test:${randomUUID()}:`

function counter<T> (value: T): { calls: number, fn: () => Promise<T> } {
  const c = { calls: 0, fn: async () => { c.calls++; return value } }
  return c
}

describe('Redis cache layer on a shared server', { skip: noRedis }, () => {
  test('two layers on one Redis share values and the second one does not compute', async () => {
    const prefix = uniquePrefix()
    const a = await layer({ redis: REDIS_URL, prefix })
    const b = await layer({ redis: REDIS_URL, prefix })
    const c = counter('hash-of-calvin')
    assert.equal(await a.memo('user', 'calvin', 'calvin', c.fn), 'hash-of-calvin')
    await until(async () => (await raw().get(K(prefix, 'user', 'calvin'))) !== null)
    const fromRedis = b.memo('user', 'calvin', 'calvin', c.fn)
    assert.ok(fromRedis instanceof Promise)
    assert.equal(await fromRedis, 'hash-of-calvin')
    assert.equal(b.memo('user', 'calvin', 'calvin', c.fn), 'hash-of-calvin') // now a local, synchronous hit
    assert.equal(c.calls, 1)
    assert.deepEqual(b.stats().byKind.user, { hits: 2, misses: 0 })
    assert.equal(b.stats().backend, 'redis')
    assert.equal(b.stats().redisErrors, 0)
    // null and false travel through Redis too
    await a.memo('perm', 'stuff|calvin|1|w', 'calvin', async () => null)
    await a.memo('group', 'calvin|admin', 'calvin', async () => false)
    const none = counter('computed')
    await until(async () => (await raw().exists(K(prefix, 'group', 'calvin|admin'))) === 1)
    assert.equal(await b.memo('perm', 'stuff|calvin|1|w', 'calvin', none.fn), null)
    assert.equal(await b.memo('group', 'calvin|admin', 'calvin', none.fn), false)
    assert.equal(none.calls, 0)
  })

  test('entries are sealed JSON under keyed names with the ttl: no key shows a token or a login', async () => {
    const prefix = uniquePrefix()
    const a = await layer({ redis: REDIS_URL, prefix, ttl: 30 })
    await a.memo('perm', 'doc|hobbes|1|r', 'hobbes', async () => ({ ok: true }))
    await a.memo('token', 'realm|secret-token', (v: { login: string }) => v.login, async () => ({ login: 'hobbes', exp: 1 }))
    const r = raw()
    const tokenKey = K(prefix, 'token', 'realm|secret-token')
    await until(async () => (await r.exists(tokenKey)) === 1)
    const sealed = await r.get(tokenKey) ?? ''
    assert.equal(sealed.slice(SEAL_LENGTH), '{"login":"hobbes","exp":1}')
    assert.match(sealed.slice(0, SEAL_LENGTH), /^[\w-]{43}$/)
    assert.equal((await r.get(K(prefix, 'perm', 'doc|hobbes|1|r')))?.slice(SEAL_LENGTH), '{"ok":true}')
    assert.ok(!(await r.keys(prefix + '*')).some((k) => k.includes('secret-token') || k.includes('hobbes')))
    const pttl = await r.pttl(K(prefix, 'perm', 'doc|hobbes|1|r'))
    assert.ok(pttl > 25_000 && pttl <= 30_000, String(pttl))
    assert.deepEqual((await r.smembers(L(prefix, 'hobbes'))).sort(), [tokenKey, K(prefix, 'perm', 'doc|hobbes|1|r')].map((k) => k.slice(prefix.length)).sort())
    assert.ok((await r.pttl(L(prefix, 'hobbes'))) > 25_000)
  })

  test('user records and memberships live userTtl on Redis too', async () => {
    const prefix = uniquePrefix()
    const a = await layer({ redis: REDIS_URL, prefix, ttl: 30, userTtl: 4 })
    await a.memo('user', 'hobbes', 'hobbes', async () => 'h')
    const r = raw()
    await until(async () => (await r.exists(K(prefix, 'user', 'hobbes'))) === 1)
    const pttl = await r.pttl(K(prefix, 'user', 'hobbes'))
    assert.ok(pttl > 0 && pttl <= 4000, String(pttl))
  })

  test('an invalidation on one instance reaches the local layer of the other through pub/sub', async () => {
    const prefix = uniquePrefix()
    const a = await layer({ redis: REDIS_URL, prefix })
    const b = await layer({ redis: REDIS_URL, prefix })
    await b.memo('user', 'calvin', 'calvin', async () => 'old')
    await b.memo('user', 'hobbes', 'hobbes', async () => 'tiger')
    assert.equal(b.memo('user', 'calvin', 'calvin', async () => 'never'), 'old')
    await a.delete('user', 'calvin')
    // b's local layer drops the entry: its next lookup is asynchronous and computes (Redis lost it too)
    await until(() => b.memo('user', 'calvin', 'calvin', async () => 'new') instanceof Promise)
    assert.equal(await b.memo('user', 'calvin', 'calvin', async () => 'newer'), 'new')
    assert.equal(b.memo('user', 'hobbes', 'hobbes', async () => 'never'), 'tiger')
  })

  test('uncacheUser drops only that user, on Redis and in every local layer', async () => {
    const prefix = uniquePrefix()
    const a = await layer({ redis: REDIS_URL, prefix })
    const b = await layer({ redis: REDIS_URL, prefix })
    await b.memo('user', 'calvin', 'calvin', async () => 'h1')
    await b.memo('group', 'calvin|admin', 'calvin', async () => true)
    await b.memo('token', 'tok-c', (v: string) => v, async () => 'calvin')
    await b.memo('user', 'hobbes', 'hobbes', async () => 'h2')
    const r = raw()
    await until(async () => (await r.scard(L(prefix, 'calvin'))) === 3 && (await r.exists(K(prefix, 'user', 'hobbes'))) === 1)
    await a.uncacheUser('calvin')
    assert.deepEqual((await r.keys(prefix + '*')).sort(), [L(prefix, 'hobbes'), K(prefix, 'user', 'hobbes')].sort())
    await until(() => b.memo('group', 'calvin|admin', 'calvin', async () => false) instanceof Promise)
    await until(() => b.memo('token', 'tok-c', undefined, async () => 'calvin') instanceof Promise)
    assert.equal(b.memo('user', 'hobbes', 'hobbes', async () => 'never'), 'h2')
  })

  test('clear drops every key under the prefix and nothing else, even with glob characters in the prefix', async () => {
    const prefix = uniquePrefix() + '[ab]*?:'
    const other = uniquePrefix()
    const a = await layer({ redis: REDIS_URL, prefix })
    const b = await layer({ redis: REDIS_URL, prefix })
    const c = await layer({ redis: REDIS_URL, prefix: other })
    await b.memo('user', 'calvin', 'calvin', async () => 'h1')
    await c.memo('user', 'calvin', 'calvin', async () => 'h1')
    const r = raw()
    await until(async () => (await r.exists(K(prefix, 'user', 'calvin'), K(other, 'user', 'calvin'))) === 2)
    await a.clear()
    assert.deepEqual(await r.keys(prefix + '*'), [])
    assert.equal(await r.exists(K(other, 'user', 'calvin')), 1)
    await until(() => b.stats().size === 0)
    assert.equal(c.memo('user', 'calvin', 'calvin', async () => 'never'), 'h1')
  })

  test('verified credentials stay in the process and never reach Redis', async () => {
    const prefix = uniquePrefix()
    const a = await layer({ redis: REDIS_URL, prefix, credentials: { enabled: true } })
    const c = counter('calvin')
    await a.memo('credentials', 'hmac', 'calvin', c.fn)
    assert.equal(a.memo('credentials', 'hmac', 'calvin', c.fn), 'calvin')
    await a.memo('user', 'calvin', 'calvin', async () => 'h')
    const r = raw()
    await until(async () => (await r.exists(K(prefix, 'user', 'calvin'))) === 1)
    assert.deepEqual((await r.keys(prefix + '*')).sort(), [L(prefix, 'calvin'), K(prefix, 'user', 'calvin')].sort())
    assert.equal(c.calls, 1)
  })

  test('with localTtl 0 every lookup goes to Redis and still computes once', async () => {
    const prefix = uniquePrefix()
    const a = await layer({ redis: REDIS_URL, prefix, localTtl: 0 })
    const c = counter('h')
    await a.memo('user', 'calvin', 'calvin', c.fn)
    await until(async () => (await raw().exists(K(prefix, 'user', 'calvin'))) === 1)
    const again = a.memo('user', 'calvin', 'calvin', c.fn)
    assert.ok(again instanceof Promise)
    assert.equal(await again, 'h')
    assert.equal(c.calls, 1)
    assert.equal(a.stats().size, 0)
  })

  test('an unsealed or corrupt value in Redis is a miss and a value that is not JSON stays local', async () => {
    const prefix = uniquePrefix()
    const log = recorder()
    const a = await layer({ redis: REDIS_URL, prefix }, log)
    await raw().set(K(prefix, 'user', 'calvin'), '{not json')
    assert.equal(await a.memo('user', 'calvin', 'calvin', async () => 'computed'), 'computed')
    assert.equal(await a.memo('perm', 'big', undefined, async () => 10n), 10n)
    assert.equal(a.memo('perm', 'big', undefined, async () => 0n), 10n)
    // one warning for the unsealed value, one for the value that is not JSON
    assert.equal(log.warnings.length, 2)
    assert.equal(a.stats().redisRejected, 1)
    assert.equal(await raw().exists(K(prefix, 'perm', 'big')), 0)
  })

  test('an ioredis instance given by the application is used and left open by close()', async () => {
    const prefix = uniquePrefix()
    const client = raw()
    const a = await createCacheLayer(resolveCacheOptions({ redis: client, prefix, secret: SECRET }), recorder())
    const b = await layer({ redis: REDIS_URL, prefix })
    await a.memo('user', 'calvin', 'calvin', async () => 'h')
    await until(async () => (await client.exists(K(prefix, 'user', 'calvin'))) === 1)
    await b.memo('user', 'calvin', 'calvin', async () => 'h')
    await b.delete('user', 'calvin')
    await until(() => a.memo('user', 'calvin', 'calvin', async () => 'h2') instanceof Promise)
    await a.close()
    assert.equal(client.status, 'ready')
    assert.equal(await client.ping(), 'PONG')
  })
})

async function stopServer (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
}

describe('Redis cache layer when Redis goes away', { skip: noServer }, () => {
  const children: ChildProcess[] = []
  after(async () => { for (const c of children) await stopServer(c) })

  test('a Redis that dies mid-way degrades to computing, warns once, and recovers when it comes back', async () => {
    const port = await freePort()
    let server = await startRedisServer(port)
    children.push(server)
    const url = `redis://127.0.0.1:${port}`
    const log = recorder()
    const a = await layer({ redis: url, prefix: 'fsa:' }, log)
    const b = await layer({ redis: url, prefix: 'fsa:' })
    await a.memo('user', 'calvin', 'calvin', async () => 'h1')
    assert.equal(a.memo('user', 'calvin', 'calvin', async () => 'never'), 'h1')

    await stopServer(server)
    await until(() => log.warnings.length > 0)
    // local hits still served synchronously, misses computed quickly, nothing thrown
    assert.equal(a.memo('user', 'calvin', 'calvin', async () => 'never'), 'h1')
    const started = Date.now()
    for (let i = 0; i < 20; i++) {
      assert.equal(await a.memo('group', `user${i}|admin`, `user${i}`, async () => i % 2 === 0), i % 2 === 0)
    }
    assert.ok(Date.now() - started < 2000, `misses took ${Date.now() - started} ms`)
    await a.delete('user', 'hobbes')
    await a.uncacheUser('hobbes')
    await a.clear()
    assert.equal(log.warnings.length, 1)
    assert.ok((a.stats().redisErrors ?? 0) > 0)
    assert.equal(await a.memo('user', 'calvin', 'calvin', async () => 'h1-again'), 'h1-again')

    server = await startRedisServer(port)
    children.push(server)
    // recovery: the subscriber is back (local layer cleared) and values reach Redis again
    await until(() => log.infos.length > 0, 5000)
    const r = raw(url)
    // the main connection may come back after the subscriber, and a value computed before that
    // stays in the local layer only: wait until a fresh value reaches Redis
    let probe = 0
    await until(async () => {
      const key = `probe${++probe}`
      await a.memo('user', key, key, async () => 'p')
      return (await r.exists(K('fsa:', 'user', key))) === 1
    }, 5000)
    await until(async () => {
      await a.memo('user', 'susie', 'susie', async () => 'h3')
      return (await r.exists(K('fsa:', 'user', 'susie'))) === 1
    }, 5000)
    // pub/sub works again between the two instances
    await until(async () => (await b.memo('user', 'susie', 'susie', async () => 'h3')) === 'h3' && b.memo('user', 'susie', 'susie', async () => 'x') === 'h3', 5000)
    await a.uncacheUser('susie')
    await until(() => b.memo('user', 'susie', 'susie', async () => 'h4') instanceof Promise)
  })

  test('a Redis that is down at start-up does not stop the layer, which connects once it is up', async () => {
    const port = await freePort()
    const url = `redis://127.0.0.1:${port}`
    const log = recorder()
    const started = Date.now()
    const a = await layer({ redis: url, prefix: 'fsa:' }, log)
    assert.ok(Date.now() - started < 3000, `start-up took ${Date.now() - started} ms`)
    const c = counter('h')
    assert.equal(await a.memo('user', 'calvin', 'calvin', c.fn), 'h')
    assert.equal(a.memo('user', 'calvin', 'calvin', c.fn), 'h')
    assert.equal(log.warnings.length, 1)
    const server = await startRedisServer(port)
    children.push(server)
    const r = raw(url)
    await until(async () => {
      await a.memo('user', 'hobbes', 'hobbes', async () => 'h2')
      return (await r.exists(K('fsa:', 'user', 'hobbes'))) === 1
    }, 5000)
  })

  test('an instance whose subscription drops (Redis still up) clears its local layer when it subscribes again', async () => {
    const port = await freePort()
    const server = await startRedisServer(port)
    children.push(server)
    const url = `redis://127.0.0.1:${port}`
    const log = recorder()
    const b = await layer({ redis: url, prefix: 'fsa:' }, log)
    await b.memo('user', 'calvin', 'calvin', async () => 'old')
    assert.equal(b.memo('user', 'calvin', 'calvin', async () => 'never'), 'old')
    // invalidations published while b is not subscribed are lost (pub/sub delivers at most once)
    await raw(url).call('CLIENT', 'KILL', 'TYPE', 'pubsub')
    await until(() => log.infos.length > 0, 5000)
    assert.ok(b.memo('user', 'calvin', 'calvin', async () => 'new') instanceof Promise, 'the local entry is gone')
  })
})
