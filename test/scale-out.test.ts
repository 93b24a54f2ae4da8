// Issue 13, scale-out: two acme demo processes on one PostgreSQL database and one Redis behave as
// one. Each change made through A (or the fsa CLI with --redis) shows on B within 1 s, polled
// against a deadline. One cluster serves every case (start-up is the slow part).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { CLUSTER_REDIS_URL, noCluster, startCluster, type ClusterNode } from './helpers/processes.js'
import { ACME_SCRIPT, ADMIN, basic, bearer, createUser, fsaCli, loginToken, within } from './helpers/scale-out.js'

const DEADLINE_MS = 1000
const BOSS = 'boss'
const admin = basic(ADMIN.login, ADMIN.password)

test('two acme processes on one PostgreSQL and one Redis behave as one', { skip: noCluster() }, async (t) => {
  const secret = randomBytes(32).toString('hex')
  const cluster = await startCluster(t, { count: 2, script: ACME_SCRIPT, env: { FSA_TOKEN_SECRET: secret } })
  const [a, b] = cluster.nodes as [ClusterNode, ClusterNode]
  let password = 'Hobbes1x'
  const res = await a.request('/user', { method: 'POST', headers: admin, json: { login: BOSS, email: 'boss@acme.test', password } })
  assert.equal(res.status, 201, await res.text())
  assert.equal((await a.request(`/auth/groups/admin/members/${BOSS}`, { method: 'PUT', headers: admin })).status, 204)

  await t.test('a user removed from admin on A: POST /user refused on B; added back: accepted', async (t) => {
    const boss = basic(BOSS, password)
    assert.equal((await createUser(b, boss)).status, 201, 'B caches boss as an admin')
    assert.equal((await a.request(`/auth/groups/admin/members/${BOSS}`, { method: 'DELETE', headers: admin })).status, 204)
    t.diagnostic(`refused on B after ${Math.round(await within(DEADLINE_MS, 403, 201, () => createUser(b, boss)))} ms`)
    assert.equal((await a.request(`/auth/groups/admin/members/${BOSS}`, { method: 'PUT', headers: admin })).status, 204)
    t.diagnostic(`accepted on B after ${Math.round(await within(DEADLINE_MS, 201, 403, () => createUser(b, boss)))} ms`)
  })

  await t.test('a password changed through A: the old password refused on B, the new one accepted', async (t) => {
    const old = basic(BOSS, password)
    assert.equal((await b.request('/hello-me', { headers: old })).status, 200, 'B caches the verified old password')
    assert.equal((await b.request('/hello-me', { headers: old })).status, 200)
    const next = 'Calvin2y'
    const change = await a.request('/auth/password', { method: 'POST', headers: old, json: { current: password, password: next } })
    assert.equal(change.status, 204, await change.text())
    password = next
    t.diagnostic(`old refused on B after ${Math.round(await within(DEADLINE_MS, 401, 200, () => b.request('/hello-me', { headers: old })))} ms`)
    assert.equal((await b.request('/hello-me', { headers: basic(BOSS, next) })).status, 200)
    assert.equal((await a.request('/hello-me', { headers: old })).status, 401)
  })

  await t.test('"log out everywhere" on A: the old token refused on B', async (t) => {
    const token = await loginToken(a, BOSS, password)
    assert.equal((await b.request('/auth/me', { headers: bearer(token) })).status, 200, 'B caches the token as live')
    assert.equal((await b.request('/auth/me', { headers: bearer(token) })).status, 200)
    assert.equal((await a.request('/auth/logout?everywhere=true', { method: 'POST', headers: bearer(token) })).status, 204)
    t.diagnostic(`refused on B after ${Math.round(await within(DEADLINE_MS, 401, 200, () => b.request('/auth/me', { headers: bearer(token) })))} ms`)
    assert.equal((await a.request('/auth/me', { headers: bearer(token) })).status, 401)
  })

  await t.test('5 failed logins on A, then the 6th on B is throttled (429)', async () => {
    // an unknown login is counted like a known one; boss stays usable for the cases after this one
    const wrong = basic('intruder', 'Wrong1xx')
    for (let i = 0; i < 5; i++) assert.equal((await a.request('/hello-me', { headers: wrong })).status, 401)
    const sixth = await b.request('/hello-me', { headers: wrong })
    assert.equal(sixth.status, 429)
    assert.ok(sixth.headers.get('retry-after') !== null)
  })

  await t.test('an fsa CLI change with --redis is visible on both processes', async (t) => {
    const boss = basic(BOSS, password)
    for (const node of [a, b]) assert.equal((await createUser(node, boss)).status, 201, 'both cache boss as an admin')
    const cli = ['--db', cluster.dbUrl, '--redis', CLUSTER_REDIS_URL as string, '--redis-prefix', cluster.redisPrefix]
    const env = { FSA_TOKEN_SECRET: secret }
    const del = await fsaCli(['group', 'deluser', 'admin', BOSS, ...cli], env)
    assert.equal(del.code, 0, del.out)
    for (const node of [a, b]) t.diagnostic(`refused after ${Math.round(await within(DEADLINE_MS, 403, 201, () => createUser(node, boss)))} ms`)
    const add = await fsaCli(['group', 'adduser', 'admin', BOSS, ...cli], env)
    assert.equal(add.code, 0, add.out)
    for (const node of [a, b]) t.diagnostic(`accepted after ${Math.round(await within(DEADLINE_MS, 201, 403, () => createUser(node, boss)))} ms`)
  })

  await t.test('the cache entries of both processes are on the shared Redis, under the run\'s prefix', async () => {
    const redis = new Redis(CLUSTER_REDIS_URL as string)
    try {
      assert.ok((await redis.keys(cluster.redisPrefix + '*')).length > 0)
      const [, subscribers] = await redis.pubsub('NUMSUB', cluster.redisPrefix + 'inval') as [string, number]
      assert.equal(subscribers, 2, 'both processes listen for invalidations')
    } finally { redis.disconnect() }
  })
})
