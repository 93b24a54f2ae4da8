// Issue 13, scale-out: Redis stopped during the run. Two acme processes on one PostgreSQL database
// and a Redis of the test's own (its own port, never the shared one) keep answering from
// PostgreSQL while it is down, each bound as docs/reference/scale-out.md states (cache: local
// only; invalidation: userTtl, 5 s; revocation: the store), and behave as one again once it is back.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { noCluster, startCluster, type ClusterNode } from './helpers/processes.js'
import { freePort, killRedisServers, noRedisServer, startRedisServer, until } from './helpers/redis-server.js'
import { ACME_SCRIPT, ADMIN, basic, bearer, createUser, loginToken, within } from './helpers/scale-out.js'

const USER_TTL_MS = 5000
const MARGIN_MS = 1500
const admin = basic(ADMIN.login, ADMIN.password)

after(killRedisServers)

async function subscribers (port: number, channel: string): Promise<number> {
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 })
  redis.on('error', () => {})
  try {
    await redis.connect()
    const [, n] = await redis.pubsub('NUMSUB', channel) as [string, number]
    return n
  } catch { return 0 } finally { redis.disconnect() }
}

test('Redis stopped during the run: both processes answer from PostgreSQL, and behave as one when it returns', { skip: noCluster() || noRedisServer() }, async (t) => {
  const port = await freePort()
  let server = await startRedisServer(port)
  const cluster = await startCluster(t, { count: 2, script: ACME_SCRIPT, env: { ACME_REDIS_URL: `redis://127.0.0.1:${port}/1`, FSA_TOKEN_SECRET: randomBytes(32).toString('hex') } })
  const [a, b] = cluster.nodes as [ClusterNode, ClusterNode]
  const channel = cluster.redisPrefix + 'inval'
  await until(async () => await subscribers(port, channel) === 2, 5000)
  assert.equal((await a.request('/user', { method: 'POST', headers: admin, json: { login: 'boss', email: 'boss@acme.test', password: 'Hobbes1x' } })).status, 201)
  assert.equal((await a.request('/auth/groups/admin/members/boss', { method: 'PUT', headers: admin })).status, 204)
  const kept = await loginToken(a, 'boss', 'Hobbes1x')
  for (const node of [a, b]) assert.equal((await node.request('/hello-me', { headers: basic('boss', 'Hobbes1x') })).status, 200)

  server.kill('SIGKILL')
  await new Promise((resolve) => server.once('exit', resolve))

  await t.test('while Redis is down: logins, Basic, tokens and admin routes answer on both', async () => {
    for (const node of [a, b]) {
      assert.equal((await node.request('/hello-me', { headers: basic('boss', 'Hobbes1x') })).status, 200, node.stderr())
      assert.equal((await node.request('/auth/me', { headers: bearer(kept) })).status, 200)
      assert.equal((await createUser(node, basic('boss', 'Hobbes1x'))).status, 201)
      assert.equal((await node.request('/hello-me', { headers: basic('boss', 'Wrong1xx') })).status, 401)
      await loginToken(node, 'boss', 'Hobbes1x')
    }
  })

  await t.test('while Redis is down: a password changed on A is refused on B within userTtl (5 s)', async (t) => {
    const old = basic('boss', 'Hobbes1x')
    assert.equal((await a.request('/auth/password', { method: 'POST', headers: old, json: { current: 'Hobbes1x', password: 'Calvin2y' } })).status, 204)
    assert.equal((await a.request('/hello-me', { headers: old })).status, 401, 'at once on the process that made the change')
    t.diagnostic(`old refused on B after ${Math.round(await within(USER_TTL_MS + MARGIN_MS, 401, 200, () => b.request('/hello-me', { headers: old })))} ms`)
    assert.equal((await b.request('/hello-me', { headers: basic('boss', 'Calvin2y') })).status, 200)
  })

  await t.test('while Redis is down: a token revoked on A is refused on B from the store', async () => {
    const token = await loginToken(a, 'boss', 'Calvin2y')
    assert.equal((await a.request('/auth/logout', { method: 'POST', headers: bearer(token) })).status, 204)
    assert.equal((await b.request('/auth/me', { headers: bearer(token) })).status, 401)
  })

  server = await startRedisServer(port)

  await t.test('Redis back: both resubscribe, and a change on A shows on B within 1 s again', async (t) => {
    await until(async () => await subscribers(port, channel) === 2, 10_000)
    const boss = basic('boss', 'Calvin2y')
    assert.equal((await createUser(b, boss)).status, 201)
    assert.equal((await a.request('/auth/groups/admin/members/boss', { method: 'DELETE', headers: admin })).status, 204)
    t.diagnostic(`refused on B after ${Math.round(await within(1000, 403, 201, () => createUser(b, boss)))} ms`)
    const redis = new Redis({ port, host: '127.0.0.1', db: 1 })
    try { assert.ok((await redis.keys(cluster.redisPrefix + '*')).length > 0, 'entries in database 1 of the URL') } finally { redis.disconnect() }
  })
})
