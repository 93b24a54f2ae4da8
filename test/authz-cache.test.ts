/**
 * Caching of authorization callbacks through the plugin (in-process backend): repeated requests
 * call each callback once, TTL expiry, `uncacheUser`, `clearCaches`, `cache: { type: 'none' }`,
 * and "not found" answers of object permissions that are never cached.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import argon2 from 'argon2'
import { perm, type SecureOptions } from '../lib/index.js'
import { buildApp } from './helpers/app.js'
import { fakeTime } from './helpers/time.js'

const HASH = argon2.hash('pass-of-calvin', { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 })
const basic = (login: string) => 'Basic ' + Buffer.from(`${login}:pass-of-${login}`).toString('base64')
const as = (user: string) => ({ 'x-user': user })

interface Counted { app: FastifyInstance, calls: Record<string, number>, objects: Set<string> }

/** An app whose callbacks count their calls per `kind:login[:id]`. */
async function build (t: TestContext, extra: Partial<SecureOptions> = {}): Promise<Counted> {
  const calls: Record<string, number> = {}
  const count = (key: string): void => { calls[key] = (calls[key] ?? 0) + 1 }
  const objects = new Set(['a'])
  const app = await buildApp(t, {
    auth: ['hdr', 'none'],
    schemes: { hdr: (req) => (req.headers['x-user'] as string | undefined) ?? null },
    userInGroup: async (login, group) => { count(`g:${login}`); return group === 'staff' },
    groupCheck: { admin: (login) => { count(`c:${login}`); return login === 'susie' } },
    objectPerms: { stuff: async (login, sid) => { count(`p:${login}:${String(sid)}`); return objects.has(sid) ? login !== 'moe' : null } },
    ...extra
  }, (app) => {
    app.get('/staff', { config: { authorize: 'staff' } }, async () => 'staff')
    app.get('/admin', { config: { authorize: 'admin' } }, async () => 'admin')
    app.get('/stuff/:sid', { config: { authorize: perm('stuff', 'sid', 'read') } }, async () => 'stuff')
  })
  return { app, calls, objects }
}

async function hit (app: FastifyInstance, url: string, user: string, times = 1): Promise<number[]> {
  const statuses: number[] = []
  for (let i = 0; i < times; i++) statuses.push((await app.inject({ url, headers: as(user) })).statusCode)
  return statuses
}

test('repeated requests call each callback once and the stats count the hits', async (t) => {
  const { app, calls } = await build(t)
  assert.deepEqual(await hit(app, '/staff', 'calvin', 5), [200, 200, 200, 200, 200])
  assert.deepEqual(await hit(app, '/admin', 'calvin', 4), [403, 403, 403, 403])
  assert.deepEqual(await hit(app, '/stuff/a', 'calvin', 3), [200, 200, 200])
  assert.deepEqual(await hit(app, '/stuff/a', 'moe', 3), [403, 403, 403])
  assert.deepEqual(calls, { 'g:calvin': 1, 'c:calvin': 1, 'p:calvin:a': 1, 'p:moe:a': 1 })
  const stats = app.fsa.cacheStats()
  assert.equal(stats.backend, 'memory')
  assert.deepEqual(stats.byKind.group, { hits: 4, misses: 1 })
  assert.deepEqual(stats.byKind.groupCheck, { hits: 3, misses: 1 })
  assert.deepEqual(stats.byKind.perm, { hits: 4, misses: 2 })
  assert.equal(stats.hits / (stats.hits + stats.misses), 11 / 15)
})

test('concurrent requests share one pending callback', async (t) => {
  let calls = 0
  // the callback answers once every request has either called it or joined a pending call,
  // however long the requests take to get there
  let release!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  const { app } = await build(t, { userInGroup: async () => { calls++; await gate; return true } })
  let settled = 0 // a request answered before the release failed: stop waiting, the assertions say why
  const pending = Promise.all(Array.from({ length: 8 }, () => app.inject({ url: '/staff', headers: as('calvin') }).finally(() => { settled++ })))
  while (settled === 0 && calls + app.fsa.cacheStats().byKind.group.hits < 8) await new Promise((resolve) => setImmediate(resolve))
  release()
  const results = await pending
  assert.deepEqual(results.map((r) => r.statusCode), Array(8).fill(200))
  assert.equal(calls, 1)
})

test('getUserPass is cached too while the password is still verified on each request', async (t) => {
  const hash = await HASH
  let calls = 0
  const { app } = await build(t, {
    auth: ['basic', 'none'],
    password: { allowWeak: true },
    getUserPass: (login) => { calls++; return login === 'calvin' ? hash : null }
  })
  for (let i = 0; i < 3; i++) assert.equal((await app.inject({ url: '/staff', headers: { authorization: basic('calvin') } })).statusCode, 200)
  const wrong = await app.inject({ url: '/staff', headers: { authorization: 'Basic ' + Buffer.from('calvin:nope').toString('base64') } })
  assert.equal(wrong.statusCode, 401)
  assert.equal(calls, 1)
  assert.deepEqual(app.fsa.cacheStats().byKind.user, { hits: 3, misses: 1 })
})

test('entries expire after the ttl and the callback is called again', async (t) => {
  const time = fakeTime(t)
  const { app, calls } = await build(t, { cache: { ttl: 0.3, clock: time.clock } })
  await hit(app, '/staff', 'calvin', 2)
  assert.equal(calls['g:calvin'], 1)
  time.tick(400)
  await hit(app, '/staff', 'calvin', 2)
  assert.equal(calls['g:calvin'], 2)
})

test('a ttl of one second keeps answers for that second', async (t) => {
  const time = fakeTime(t)
  const { app, calls } = await build(t, { cache: { ttl: 1, clock: time.clock } })
  await hit(app, '/admin', 'calvin')
  time.tick(500)
  await hit(app, '/admin', 'calvin')
  assert.equal(calls['c:calvin'], 1)
  time.tick(600)
  await hit(app, '/admin', 'calvin')
  assert.equal(calls['c:calvin'], 2)
})

test('uncacheUser makes the next request of that user call the callbacks again, and only that user', async (t) => {
  const { app, calls } = await build(t)
  for (const user of ['calvin', 'hobbes']) {
    await hit(app, '/staff', user)
    await hit(app, '/admin', user)
    await hit(app, '/stuff/a', user)
  }
  await app.fsa.uncacheUser('calvin')
  for (const user of ['calvin', 'hobbes']) {
    await hit(app, '/staff', user)
    await hit(app, '/admin', user)
    await hit(app, '/stuff/a', user)
  }
  assert.deepEqual(calls, {
    'g:calvin': 2, 'c:calvin': 2, 'p:calvin:a': 2,
    'g:hobbes': 1, 'c:hobbes': 1, 'p:hobbes:a': 1
  })
})

test('clearCaches makes every next request call the callbacks again', async (t) => {
  const { app, calls } = await build(t)
  await hit(app, '/staff', 'calvin')
  await hit(app, '/staff', 'hobbes')
  await app.fsa.clearCaches()
  await hit(app, '/staff', 'calvin')
  await hit(app, '/staff', 'hobbes')
  assert.deepEqual(calls, { 'g:calvin': 2, 'g:hobbes': 2 })
})

test('with the none cache every request calls every callback', async (t) => {
  const { app, calls } = await build(t, { cache: { type: 'none' } })
  await hit(app, '/staff', 'calvin', 3)
  await hit(app, '/stuff/a', 'calvin', 3)
  assert.deepEqual(calls, { 'g:calvin': 3, 'p:calvin:a': 3 })
  const stats = app.fsa.cacheStats()
  assert.equal(stats.backend, 'none')
  assert.equal(stats.hits, 0)
  assert.deepEqual(stats.byKind.perm, { hits: 0, misses: 3 })
})

test('an object not found is not cached so that it is reachable as soon as it exists', async (t) => {
  const { app, calls, objects } = await build(t)
  assert.deepEqual(await hit(app, '/stuff/b', 'calvin', 2), [404, 404])
  assert.equal(calls['p:calvin:b'], 2)
  objects.add('b')
  assert.deepEqual(await hit(app, '/stuff/b', 'calvin', 2), [200, 200])
  assert.equal(calls['p:calvin:b'], 3)
})

test('a denied permission is cached until the user is uncached', async (t) => {
  const { app, calls } = await build(t)
  assert.deepEqual(await hit(app, '/stuff/a', 'moe', 2), [403, 403])
  assert.equal(calls['p:moe:a'], 1)
  await app.fsa.uncacheUser('moe')
  assert.deepEqual(await hit(app, '/stuff/a', 'moe'), [403])
  assert.equal(calls['p:moe:a'], 2)
})

test('a callback error is not cached', async (t) => {
  let fail = true
  let calls = 0
  const { app } = await build(t, { groupCheck: { admin: () => { calls++; if (fail) throw new Error('db down'); return true } } })
  assert.deepEqual(await hit(app, '/admin', 'susie'), [500])
  fail = false
  assert.deepEqual(await hit(app, '/admin', 'susie', 2), [200, 200])
  assert.equal(calls, 2)
})
