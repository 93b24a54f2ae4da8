/**
 * Authorization callbacks cached in Redis, through the plugin: instances sharing one Redis share
 * answers, `uncacheUser` and `clearCaches` on one instance reach the others (pub/sub), and a Redis
 * that goes away mid-way leaves the application serving from its callbacks. The cache layer's own
 * behaviour is tested in cache-redis.test.ts; these tests only check what an application sees.
 * Needs FSA_TEST_REDIS_URL (shared server) and the redis-server binary (private server).
 */
import { describe, test, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { freePort, killRedisServers, noRedisServer, startRedisServer, until } from './helpers/redis-server.js'
import Fastify, { type FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'
import secure, { perm, type SecureOptions } from '../lib/index.js'
import { cacheSecretOf, sealedMember } from '../lib/cache/seal.js'

const CACHE_SECRET = 'cache-secret-of-the-authz-redis-tests-0123'
const groupKey = (prefix: string, key: string): string => prefix + sealedMember(cacheSecretOf(CACHE_SECRET), 'group', key)

const REDIS_URL = process.env.FSA_TEST_REDIS_URL
const noRedis = REDIS_URL === undefined ? 'FSA_TEST_REDIS_URL not set' : false
const noServer = noRedis === false ? noRedisServer() : noRedis
if (noRedis !== false) console.log('# authz-redis: skipped, FSA_TEST_REDIS_URL not set')

const apps: FastifyInstance[] = []
after(async () => {
  await Promise.all(apps.map((a) => a.close()))
  killRedisServers()
})

interface Instance { app: FastifyInstance, calls: string[], warnings: string[] }

/** One application instance on Redis `url` under `prefix`; its callbacks record their calls. */
async function instance (url: string, prefix: string, extra: Partial<SecureOptions> = {}): Promise<Instance> {
  const calls: string[] = []
  const warnings: string[] = []
  const app = Fastify({ logger: { level: 'warn', stream: { write: (line: string) => { warnings.push(JSON.parse(line).msg) } } } })
  apps.push(app)
  await app.register(secure, {
    auth: ['hdr', 'none'],
    schemes: { hdr: (req) => (req.headers['x-user'] as string | undefined) ?? null },
    userInGroup: async (login, group) => { calls.push(`g:${login}`); return group === 'staff' && login !== 'moe' },
    objectPerms: { stuff: async (login, sid) => { calls.push(`p:${login}:${String(sid)}`); return login === 'calvin' } },
    cache: { type: 'redis', redis: url, prefix, secret: CACHE_SECRET },
    ...extra
  })
  app.get('/staff', { config: { authorize: 'staff' } }, async () => 'staff')
  app.get('/stuff/:sid', { config: { authorize: perm('stuff', 'sid') } }, async () => 'stuff')
  await app.ready()
  return { app, calls, warnings }
}

const get = async (i: Instance, url: string, user: string): Promise<number> =>
  (await i.app.inject({ url, headers: { 'x-user': user } })).statusCode

describe('authorization answers shared through Redis', { skip: noRedis }, () => {
  const url = REDIS_URL as string

  test('a group answer computed on one instance is served by the other without calling its callback', async () => {
    const prefix = `fsa-test:${randomUUID()}:`
    const a = await instance(url, prefix)
    const b = await instance(url, prefix)
    const redis = new Redis(url)
    try {
      assert.equal(await get(a, '/staff', 'calvin'), 200)
      assert.equal(await get(a, '/staff', 'moe'), 403)
      await until(async () => (await redis.exists(groupKey(prefix, 'calvin\0staff'), groupKey(prefix, 'moe\0staff'))) === 2)
      assert.equal(await get(b, '/staff', 'calvin'), 200)
      assert.equal(await get(b, '/staff', 'moe'), 403, 'false is shared too')
      assert.deepEqual(a.calls, ['g:calvin', 'g:moe'])
      assert.deepEqual(b.calls, [])
      assert.equal(a.app.fsa.cacheStats().backend, 'redis')
      assert.deepEqual(b.app.fsa.cacheStats().byKind.group, { hits: 2, misses: 0 })
    } finally {
      redis.disconnect()
    }
  })

  test('uncacheUser on one instance makes the other call its callback again', async () => {
    const prefix = `fsa-test:${randomUUID()}:`
    const a = await instance(url, prefix)
    const b = await instance(url, prefix)
    assert.equal(await get(b, '/staff', 'hobbes'), 200)
    assert.equal(await get(b, '/stuff/x', 'hobbes'), 403)
    assert.equal(await get(b, '/staff', 'calvin'), 200)
    assert.deepEqual(b.calls, ['g:hobbes', 'p:hobbes:x', 'g:calvin'])
    await get(b, '/staff', 'hobbes')
    assert.equal(b.calls.length, 3, 'answered from its local layer')
    await a.app.fsa.uncacheUser('hobbes')
    const started = Date.now()
    await until(async () => { await get(b, '/staff', 'hobbes'); return b.calls.length > 3 }, 2000)
    assert.ok(Date.now() - started < 2000)
    assert.deepEqual(b.calls.slice(3), ['g:hobbes'])
    assert.equal(await get(b, '/stuff/x', 'hobbes'), 403)
    assert.equal(await get(b, '/staff', 'calvin'), 200)
    assert.deepEqual(b.calls.slice(4), ['p:hobbes:x'], 'calvin stays cached, hobbes is asked again')
  })

  test('clearCaches on one instance makes every instance call its callbacks again', async () => {
    const prefix = `fsa-test:${randomUUID()}:`
    const a = await instance(url, prefix)
    const b = await instance(url, prefix)
    assert.equal(await get(b, '/staff', 'calvin'), 200)
    assert.equal(await get(b, '/staff', 'susie'), 200)
    await a.app.fsa.clearCaches()
    await until(async () => { await get(b, '/staff', 'calvin'); return b.calls.length > 2 }, 2000)
    assert.equal(await get(b, '/staff', 'susie'), 200)
    assert.deepEqual(b.calls, ['g:calvin', 'g:susie', 'g:calvin', 'g:susie'])
  })
})

describe('authorization when Redis goes away', { skip: noServer }, () => {
  test('requests keep succeeding from the callbacks with a warning and never a 500', async () => {
    const port = await freePort()
    const server = await startRedisServer(port)
    const i = await instance(`redis://127.0.0.1:${port}`, 'fsa:')
    assert.equal(await get(i, '/staff', 'calvin'), 200)
    assert.equal(await get(i, '/stuff/a', 'calvin'), 200)
    const exited = new Promise((resolve) => server.once('exit', resolve))
    server.kill('SIGKILL')
    await exited
    const started = Date.now()
    const statuses: number[] = []
    for (let k = 0; k < 10; k++) {
      statuses.push(await get(i, '/staff', 'calvin')) // local layer
      statuses.push(await get(i, '/staff', `user${k}`)) // new users: callbacks
      statuses.push(await get(i, '/stuff/b', k % 2 === 0 ? 'calvin' : 'hobbes'))
      statuses.push(await get(i, '/staff', 'moe'))
    }
    assert.deepEqual(statuses, Array.from({ length: 10 }, (_, k) => [200, 200, k % 2 === 0 ? 200 : 403, 403]).flat())
    assert.ok(Date.now() - started < 3000, `40 requests took ${Date.now() - started} ms without Redis`)
    for (let k = 0; k < 10; k++) assert.ok(i.calls.includes(`g:user${k}`))
    await until(() => i.warnings.some((w) => w.includes('Redis cache unavailable')), 3000)
    assert.equal(i.warnings.filter((w) => w.includes('Redis cache unavailable')).length, 1, 'one warning, not one per request')
    assert.ok((i.app.fsa.cacheStats().redisErrors ?? 0) > 0)
    // invalidation while Redis is down is still honoured locally
    const before = i.calls.length
    await i.app.fsa.uncacheUser('calvin')
    assert.equal(await get(i, '/staff', 'calvin'), 200)
    assert.deepEqual(i.calls.slice(before), ['g:calvin'])
  })
})
