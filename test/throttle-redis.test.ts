/**
 * Throttling on Redis (issue 13): instances sharing the cache's Redis share their counts and
 * their refusals; counter names carry the cache prefix and a keyed hash, never a login; with
 * Redis unreachable each process counts alone, with a warning, and no login becomes a 5xx.
 * Needs FSA_TEST_REDIS_URL; each test has its own key prefix.
 */
import { describe, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { basic, buildAuthApp, PASSWORDS } from './helpers/auth-app.js'
import { freePort, until } from './helpers/redis-server.js'
import type { TestApp } from './helpers/app.js'

const REDIS_URL = process.env.FSA_TEST_REDIS_URL

async function instance (t: TestContext, redis: string, prefix: string): Promise<TestApp> {
  const app = await buildAuthApp(t, { auth: ['basic'], secure: false, cache: { type: 'redis', redis, prefix } })
  await app.ready()
  return app
}

const get = (app: TestApp, login: string, password: string, remoteAddress = '203.0.113.5') =>
  app.inject({ method: 'GET', url: '/auth', headers: { authorization: basic(login, password), remoteAddress }, remoteAddress })

describe('throttling on a shared Redis', { skip: REDIS_URL === undefined ? 'FSA_TEST_REDIS_URL not set' : false }, () => {
  test('two instances share counts and refusals', async (t) => {
    const prefix = `fsa-test-throttle-${randomUUID()}:`
    const a = await instance(t, REDIS_URL!, prefix)
    const b = await instance(t, REDIS_URL!, prefix)
    for (let i = 0; i < 3; i++) assert.equal((await get(a, 'calvin', 'nope')).statusCode, 401)
    assert.equal((await get(b, 'calvin', 'nope')).statusCode, 401)
    assert.equal((await get(b, 'calvin', 'nope')).statusCode, 401, 'the 5th failure, on B')
    // the refusal decided on B reaches A through pub/sub
    await until(async () => (await get(a, 'calvin', PASSWORDS.calvin!)).statusCode === 429, 2000)
    const res = await get(b, 'calvin', PASSWORDS.calvin!)
    assert.equal(res.statusCode, 429)
    assert.ok(Number(res.headers['retry-after']) >= 1)
    assert.equal((await get(a, 'hobbes', PASSWORDS.hobbes!)).statusCode, 200, 'another login from that address')
  })

  test('a password cached on one instance is refused there once another instance blocks it', async (t) => {
    const prefix = `fsa-test-throttle-${randomUUID()}:`
    const opts = { auth: ['basic'], secure: false, cache: { type: 'redis' as const, redis: REDIS_URL!, prefix, credentials: { enabled: true } } }
    const a = await buildAuthApp(t, opts)
    const b = await buildAuthApp(t, opts)
    assert.equal((await get(a, 'calvin', PASSWORDS.calvin!)).statusCode, 200)
    const ran = a.fsa.passwords.stats().ran
    assert.equal((await get(a, 'calvin', PASSWORDS.calvin!)).statusCode, 200)
    assert.equal(a.fsa.passwords.stats().ran, ran, 'A answers from its verified-credentials cache')
    for (let i = 0; i < 5; i++) assert.equal((await get(b, 'calvin', 'nope')).statusCode, 401)
    await until(async () => (await get(a, 'calvin', PASSWORDS.calvin!)).statusCode === 429, 2000)
  })

  test('counters live under the cache prefix with keyed names and an expiry, no login in clear', async (t) => {
    const prefix = `fsa-test-throttle-${randomUUID()}:`
    const a = await instance(t, REDIS_URL!, prefix)
    await get(a, 'calvin', 'nope')
    const r = new Redis(REDIS_URL!)
    t.after(() => r.disconnect())
    const keys = await r.keys(prefix + 'T:*')
    assert.equal(keys.length, 3, 'pair, address and login counters')
    for (const k of keys) {
      assert.ok(!k.includes('calvin') && !k.includes('203.0.113'), k)
      assert.equal(await r.get(k), '1')
      const ttl = await r.pttl(k)
      assert.ok(ttl > 0 && ttl <= 900_000, `expiry ${ttl}`)
    }
    assert.equal((await get(a, 'calvin', PASSWORDS.calvin!)).statusCode, 200)
    assert.equal((await r.keys(prefix + 'T:*')).length, 2, 'a success resets its (login, address) counter')
  })

  test('Redis unreachable: counts per process with a warning, never a 5xx', async (t) => {
    const port = await freePort()
    // the app has no logger: the warning goes through process.emitWarning
    const codes: string[] = []
    const onWarning = (w: Error & { code?: string }): void => { codes.push(String(w.code)) }
    process.on('warning', onWarning)
    t.after(() => process.off('warning', onWarning))
    const app = await buildAuthApp(t, { auth: ['basic'], secure: false, cache: { type: 'redis', redis: `redis://127.0.0.1:${port}`, prefix: 'fsa-test-down:', secret: 's'.repeat(40) } })
    await app.ready()
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) statuses.push((await get(app, 'calvin', 'nope')).statusCode)
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429])
    assert.equal((await get(app, 'hobbes', PASSWORDS.hobbes!)).statusCode, 200)
    await until(() => codes.includes('FSAWRN_THROTTLE_LOCAL'), 1000)
  })
})
