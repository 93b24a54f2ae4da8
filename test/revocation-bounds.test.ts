/**
 * Issue 12, problem 1: a change made outside the running application (the `fsa` CLI) reaches it
 * within a documented bound. Without Redis: user records and memberships live at most
 * `cache.userTtl` (5 s), so the old password, the old token, a deactivated account and a removed
 * membership are refused once 5 s have passed (fake clock, no sleep); before, 600 s. With Redis:
 * the CLI deletes the user's entries and publishes the invalidation, and running instances refuse
 * them at once (the clock does not move). On SQLite and PostgreSQL (FSA_TEST_PG_URL), with Redis
 * (FSA_TEST_REDIS_URL, a key prefix per test).
 */
import { describe, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { Readable, Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { openStore, type SecureOptions, type UserStore } from '../lib/index.js'
import { main } from '../lib/cli/main.js'
import { buildApp } from './helpers/app.js'
import { basic, bearer, FAST_PASSWORD, PG_URL, SECRET, tempSqliteUrl } from './helpers/accounts-app.js'
import { fakeTime, type FakeTime } from './helpers/time.js'
import { until } from './helpers/redis-server.js'

const REDIS_URL = process.env.FSA_TEST_REDIS_URL

/** A database the app and the CLI share: `--db`/`--schema` for the CLI, a store for the app. */
interface Target { args: string[], open: () => Promise<UserStore> }

function sqliteTarget (t: TestContext): Target {
  const { url } = tempSqliteUrl(t)
  return { args: ['--db', url], open: () => openStore(url) }
}

let schemas = 0
function pgTarget (t: TestContext): Target {
  const schema = `fsa_bounds_${process.pid}_${Date.now()}_${++schemas}`
  t.after(async () => {
    const client = new pg.Client({ connectionString: PG_URL })
    await client.connect()
    try { await client.query(`drop schema if exists ${schema} cascade`) } finally { await client.end() }
  })
  return { args: ['--db', PG_URL as string, '--schema', schema], open: () => openStore(PG_URL as string, { schema }) }
}

/** Run `fsa args` as the CLI's main() with `input` on stdin; fails the test on a non-zero exit. */
async function fsa (args: string[], input = '', env: Record<string, string> = {}): Promise<string> {
  let out = ''
  let err = ''
  const sink = (add: (s: string) => void) => new Writable({ write (chunk, _enc, cb) { add(String(chunk)); cb() } })
  const code = await main(args, { stdin: Readable.from([input]), stdout: sink((s) => { out += s }), stderr: sink((s) => { err += s }), env })
  assert.equal(code, 0, err)
  return out
}

/** An app instance on `store`; `redisPrefix` puts a Redis cache behind it. */
async function instance (t: TestContext, store: UserStore, time: FakeTime, redisPrefix?: string, credentials = false): Promise<FastifyInstance> {
  const cache = redisPrefix === undefined
    ? { clock: time.clock, credentials: { enabled: credentials } }
    : { clock: time.clock, type: 'redis' as const, redis: REDIS_URL, prefix: redisPrefix }
  return await buildApp(t, { store, auth: ['token', 'basic', 'none'], password: FAST_PASSWORD, token: { secret: SECRET }, cache } as SecureOptions, (app) => {
    app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => req.authUser)
    app.get('/staff', { config: { authorize: 'staff' } }, async () => 'staff')
  }, { ready: true })
}

/** bob (password "old-password", in staff) and the store, closed after the test. */
async function seed (t: TestContext, target: Target): Promise<UserStore> {
  const store = await target.open()
  t.after(() => store.close())
  await fsa(['user', 'add', 'bob', ...target.args], 'old-password\n')
  await fsa(['group', 'add', 'staff', ...target.args])
  await fsa(['group', 'adduser', 'staff', 'bob', ...target.args])
  return store
}

const status = async (app: FastifyInstance, url: string, headers: Record<string, string>): Promise<number> =>
  (await app.inject({ url, headers })).statusCode

async function withoutRedis (t: TestContext, target: Target, credentials = false): Promise<void> {
  const time = fakeTime(t)
  const app = await instance(t, await seed(t, target), time, undefined, credentials)
  const token = await app.createToken('bob')
  const old = { authorization: basic('bob', 'old-password') }
  assert.equal(await status(app, '/me', old), 200)
  assert.equal(await status(app, '/me', bearer(token)), 200)
  assert.equal(await status(app, '/staff', old), 200)

  const said = await fsa(['user', 'passwd', 'bob', ...target.args], 'new-password\n')
  assert.match(said, /^password changed for bob, tokens revoked\ntakes effect within 5 s on running instances/)
  time.tick(5001)
  assert.equal(await status(app, '/me', old), 401, 'the old password is refused within 5 s')
  assert.equal(await status(app, '/me', bearer(token)), 401, 'the old token is refused within 5 s')
  const fresh = { authorization: basic('bob', 'new-password') }
  assert.equal(await status(app, '/me', fresh), 200, 'the new password works within 5 s')
  assert.equal(await status(app, '/staff', fresh), 200)

  await fsa(['group', 'deluser', 'staff', 'bob', ...target.args])
  assert.equal(await status(app, '/staff', fresh), 200, 'still cached: the bound is 5 s, not 0')
  time.tick(5001)
  assert.equal(await status(app, '/staff', fresh), 403, 'the membership is gone within 5 s')

  await fsa(['user', 'deactivate', 'bob', ...target.args])
  time.tick(5001)
  assert.equal(await status(app, '/me', fresh), 401, 'a deactivated account is refused within 5 s')
}

async function withRedis (t: TestContext, target: Target): Promise<void> {
  const time = fakeTime(t)
  const prefix = `fsa-test:${randomUUID()}:`
  const store = await seed(t, target)
  const [a, b] = [await instance(t, store, time, prefix), await instance(t, store, time, prefix)]
  const token = await a.createToken('bob')
  const old = { authorization: basic('bob', 'old-password') }
  for (const app of [a, b]) {
    assert.equal(await status(app, '/me', old), 200)
    assert.equal(await status(app, '/me', bearer(token)), 200)
    assert.equal(await status(app, '/staff', old), 200)
  }
  const cli = ['--redis', REDIS_URL as string, '--redis-prefix', prefix, ...target.args]
  const env = { FSA_TOKEN_SECRET: SECRET }
  const said = await fsa(['user', 'passwd', 'bob', ...cli], 'new-password\n', env)
  assert.match(said, new RegExp(`tokens revoked\\nrunning instances notified through Redis \\(prefix ${prefix}\\)\\n$`))
  // the clock does not move: only the invalidation can make these answers change
  for (const app of [a, b]) {
    await until(async () => await status(app, '/me', old) === 401)
    assert.equal(await status(app, '/me', bearer(token)), 401)
    assert.equal(await status(app, '/me', { authorization: basic('bob', 'new-password') }), 200)
  }
  const fresh = { authorization: basic('bob', 'new-password') }
  await fsa(['group', 'deluser', 'staff', 'bob', ...cli], '', env)
  for (const app of [a, b]) await until(async () => await status(app, '/staff', fresh) === 403)
  await fsa(['user', 'deactivate', 'bob', ...cli], '', env)
  for (const app of [a, b]) await until(async () => await status(app, '/me', fresh) === 401)
}

describe('on SQLite', () => {
  test('CLI changes (passwd, group deluser, deactivate) reach a running app within userTtl (5 s) without Redis', async (t) => {
    await withoutRedis(t, sqliteTarget(t))
  })
  test('with Redis, CLI changes reach every running instance at once', { skip: REDIS_URL === undefined ? 'FSA_TEST_REDIS_URL not set' : false }, async (t) => {
    await withRedis(t, sqliteTarget(t))
  })
  test('with the verified-credentials cache (60 s) on, the old password still goes within userTtl (5 s)', async (t) => {
    await withoutRedis(t, sqliteTarget(t), true)
  })
})

describe('on PostgreSQL', { skip: PG_URL === undefined ? 'FSA_TEST_PG_URL not set' : false }, () => {
  test('CLI changes (passwd, group deluser, deactivate) reach a running app within userTtl (5 s) without Redis', async (t) => {
    await withoutRedis(t, pgTarget(t))
  })
  test('with Redis, CLI changes reach every running instance at once', { skip: REDIS_URL === undefined ? 'FSA_TEST_REDIS_URL not set' : false }, async (t) => {
    await withRedis(t, pgTarget(t))
  })
})
