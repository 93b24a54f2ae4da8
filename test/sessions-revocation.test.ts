// Session tokens and revocation beyond one instance (issue 12, problem 4): the token layouts, the
// session option of createToken, expiry of revocation entries (fake time), the bound after which
// an instance without Redis refuses a session revoked elsewhere, and a Redis outage during logout.
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { createHash } from 'node:crypto'
import type { UserStore } from '../lib/index.js'
import { SESSION_TTL_REDIS_S, SESSION_TTL_S } from '../lib/cache/memo.js'
import { buildApp } from './helpers/app.js'
import { addUser, bearer, buildAccountsApp, FAST_PASSWORD, SECRET, tempSqliteUrl } from './helpers/accounts-app.js'
import { fakeTime } from './helpers/time.js'
import { freePort, killRedisServers, noRedisServer, startRedisServer } from './helpers/redis-server.js'

const loginReq = (login: string, password: string) => ({ method: 'POST' as const, url: '/auth/login', payload: { login, password } })
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/** The session field of a token, verified with the user's current version and uniquifier. */
async function sessionOf (app: FastifyInstance, token: string): Promise<string | undefined> {
  const login = app.fsa.tokens?.loginOf?.(token) ?? ''
  const p = await app.fsa.store?.getPasswordHash(login)
  return app.fsa.tokens?.verify(token, app.fsa.realm, p?.tokenVersion ?? 0, p?.uniquifier).session
}

test('fsa session tokens add a signed session field; plain tokens keep FlaskSimpleAuth\'s layout', async (t) => {
  const { app } = await buildAccountsApp(t)
  await addUser(app, 'calvin', 'hobbes')
  const plain = await app.createToken('calvin')
  assert.match(plain, /^[A-Za-z0-9-]+:calvin:\d{14}:[0-9a-f]+$/)
  const session = (await app.inject(loginReq('calvin', 'hobbes'))).json().token as string
  const m = /^([A-Za-z0-9-]+):calvin:(\d{14}):([A-Za-z0-9_-]{22}):([0-9a-f]+)$/.exec(session)
  assert.ok(m !== null, session)
  const sid = m[3] as string
  assert.equal((await app.inject({ url: '/auth/me', headers: bearer(session) })).statusCode, 200)
  const other = sid.startsWith('A') ? 'B' + sid.slice(1) : 'A' + sid.slice(1)
  const forged = session.replace(`:${sid}:`, `:${other}:`)
  assert.equal((await app.inject({ url: '/auth/me', headers: bearer(forged) })).statusCode, 401, 'the signature covers the session id')
  const dropped = session.replace(`:${sid}`, '')
  assert.equal((await app.inject({ url: '/auth/me', headers: bearer(dropped) })).statusCode, 401, 'nor can it be dropped')
  assert.equal(await sessionOf(app, session), sid)
})

test('JWT session tokens carry a sid claim, and logout revokes them', async (t) => {
  const { app } = await buildAccountsApp(t, { secure: { token: { type: 'jwt' } } })
  await addUser(app, 'calvin', 'hobbes')
  const token = (await app.inject(loginReq('calvin', 'hobbes'))).json().token as string
  const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as { sid?: string }
  assert.match(claims.sid ?? '', /^[A-Za-z0-9_-]{22}$/)
  assert.equal((await app.inject({ url: '/auth/me', headers: bearer(token) })).statusCode, 200)
  assert.equal((await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(token) })).statusCode, 204)
  assert.equal((await app.inject({ url: '/auth/me', headers: bearer(token) })).statusCode, 401)
  const stateless = await app.createToken('calvin')
  assert.equal(JSON.parse(Buffer.from(stateless.split('.')[1] as string, 'base64url').toString()).sid, undefined)
})

test('createToken is stateless unless asked; session: true records one, a foreign or dead id is refused', async (t) => {
  const { app, store } = await buildAccountsApp(t)
  await addUser(app, 'calvin', 'hobbes')
  await addUser(app, 'hobbes', 'calvin')
  assert.equal(await sessionOf(app, await app.createToken('calvin')), undefined)
  const token = await app.createToken('calvin', { session: true, client: { ip: '10.0.0.1', userAgent: 'cli\u0000\n' } })
  const sid = await sessionOf(app, token) as string
  const s = await store.sessions.getSession(sid)
  assert.equal(s?.login, 'calvin')
  assert.equal(s?.ip, '10.0.0.1')
  assert.equal(s?.userAgent, 'cli', 'control characters dropped')
  assert.ok(Math.abs((s?.expiresAt.getTime() ?? 0) - (Date.now() + 60 * 60_000)) < 5_000, 'until the token expires')
  const again = await app.createToken('calvin', { session: sid })
  assert.equal((await app.inject({ url: '/auth/me', headers: bearer(again) })).statusCode, 200)
  await assert.rejects(app.createToken('hobbes', { session: sid }), { code: 'FSA_ERR_TOKEN_REVOKED' })
  await assert.rejects(app.createToken('calvin', { session: 'A'.repeat(22) }), { code: 'FSA_ERR_TOKEN_REVOKED' })
  await assert.rejects(app.createToken('calvin', { session: 'bad id' }), { code: 'FSA_ERR_TOKEN_REVOKED' })
  await assert.rejects(app.createToken('nobody', { session: true }), { code: 'FSA_ERR_STORE_NOT_FOUND' })
  const bare = await buildApp(t, { auth: ['token'], token: { secret: SECRET } })
  await assert.rejects(bare.createToken('calvin', { session: true }), { code: 'FSA_ERR_OPT_INVALID' })
})

test('revocation entries live until the token expires, then are purged; the token stays refused', async (t) => {
  const time = fakeTime(t)
  const { app, store } = await buildAccountsApp(t, { secure: { token: { delay: 2 }, cache: { clock: time.clock } } })
  await addUser(app, 'calvin', 'hobbes')
  const session = (await app.inject(loginReq('calvin', 'hobbes'))).json().token as string
  const stateless = await app.createToken('calvin')
  for (const token of [session, stateless]) assert.equal((await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(token) })).statusCode, 204)
  time.tick(60_000)
  assert.equal(await store.sessions.purgeExpired(), 0, 'kept while the tokens live')
  assert.equal(await store.sessions.isTokenRevoked(sha256(stateless)), true)
  for (const token of [session, stateless]) assert.equal((await app.inject({ url: '/auth/me', headers: bearer(token) })).statusCode, 401)
  time.tick(61_000)
  assert.equal(await store.sessions.purgeExpired(), 2, 'one session, one token hash')
  assert.equal(await store.sessions.isTokenRevoked(sha256(stateless)), false)
  for (const token of [session, stateless]) {
    const res = await app.inject({ url: '/auth/me', headers: bearer(token) })
    assert.equal(res.statusCode, 401)
    assert.match(res.body, /expired/)
  }
})

test(`without Redis, another instance refuses a session revoked elsewhere within ${SESSION_TTL_S} s`, async (t) => {
  const time = fakeTime(t)
  const { url } = tempSqliteUrl(t)
  const secure = { cache: { clock: time.clock } }
  const a = await buildAccountsApp(t, { store: url, secure })
  const b = await buildAccountsApp(t, { store: url, secure })
  await addUser(a.app, 'calvin', 'hobbes')
  const token = (await a.app.inject(loginReq('calvin', 'hobbes'))).json().token as string
  assert.equal((await b.app.inject({ url: '/auth/me', headers: bearer(token) })).statusCode, 200, 'B caches the session as live')
  assert.equal((await a.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(token) })).statusCode, 204)
  assert.equal((await a.app.inject({ url: '/auth/me', headers: bearer(token) })).statusCode, 401, 'at once where it was revoked')
  time.tick(SESSION_TTL_S * 1000 + 1)
  assert.equal((await b.app.inject({ url: '/auth/me', headers: bearer(token) })).statusCode, 401, 'B asks the store again')
})

describe('Redis down during logout', { skip: noRedisServer() }, () => {
  after(killRedisServers)
  test('the store still refuses the revoked session, and liveness never lives on Redis', async (t) => {
    const time = fakeTime(t)
    const port = await freePort()
    const server = await startRedisServer(port)
    const { url } = tempSqliteUrl(t)
    const secure = { cache: { type: 'redis' as const, redis: `redis://127.0.0.1:${port}`, prefix: `fsa-sess-${process.pid}:`, clock: time.clock } }
    const a = await buildAccountsApp(t, { store: url, secure })
    const b = await buildAccountsApp(t, { store: url, secure })
    await addUser(a.app, 'calvin', 'hobbes')
    const token = (await a.app.inject(loginReq('calvin', 'hobbes'))).json().token as string
    assert.equal((await b.app.inject({ url: '/auth/me', headers: bearer(token) })).statusCode, 200)
    const { Redis } = await import('ioredis')
    const probe = new Redis({ port, host: '127.0.0.1' })
    assert.deepEqual(await probe.keys('*session:*'), [], 'no liveness on Redis')
    probe.disconnect()
    server.kill('SIGKILL')
    await new Promise((resolve) => server.once('exit', resolve))
    assert.equal((await a.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(token) })).statusCode, 204, 'logout works without Redis')
    assert.equal((await a.app.inject({ url: '/auth/me', headers: bearer(token) })).statusCode, 401)
    time.tick(SESSION_TTL_REDIS_S * 1000 + 1)
    assert.equal((await b.app.inject({ url: '/auth/me', headers: bearer(token) })).statusCode, 401, 'B missed the message but asks the store')
    const c = await buildAccountsApp(t, { store: url, secure })
    assert.equal((await c.app.inject({ url: '/auth/me', headers: bearer(token) })).statusCode, 401, 'a new instance too')
  })
})

test('the session token of a deleted user is a 401 (its sessions went with it), never a 5xx', async (t) => {
  const { app, store } = await buildAccountsApp(t, { secure: { password: FAST_PASSWORD } })
  await addUser(app, 'calvin', 'hobbes')
  const token = (await app.inject(loginReq('calvin', 'hobbes'))).json().token as string
  await (store as UserStore).deleteUser('calvin')
  await app.fsa.uncacheUser('calvin')
  assert.equal((await app.inject({ url: '/auth/me', headers: bearer(token) })).statusCode, 401)
})

test('migration 004-sessions reverts alone (users stay) and reapplies', async (t) => {
  const { openStore } = await import('../lib/index.js')
  const store = await openStore('sqlite::memory:')
  t.after(() => store.close())
  await store.createUser({ login: 'calvin', password: 'h' })
  assert.deepEqual(await store.migrate('down'), { direction: 'down', applied: ['004-sessions'], errors: [] })
  assert.equal((await store.getUser('calvin'))?.login, 'calvin')
  await assert.rejects(store.sessions.getSession('A'.repeat(22)), /fsa_sessions/)
  assert.deepEqual(await store.migrate('up'), { direction: 'up', applied: ['004-sessions'], errors: [] })
  const s = await store.sessions.createSession({ login: 'calvin', expiresAt: new Date(Date.now() + 60_000) })
  assert.equal((await store.sessions.getSession(s.id))?.login, 'calvin')
  assert.equal(await store.sessions.getSession('not an id'), null, 'malformed ids never reach the database')
  await assert.rejects(store.sessions.revokeToken('zz', new Date()), { statusCode: 400 })
})

test('a renewed session cookie stays in its session: logging out with the old cookie ends the new one', async (t) => {
  const time = fakeTime(t)
  const { app } = await buildAccountsApp(t, {
    secure: { token: { carrier: 'cookie', name: 'auth', delay: 10, renewal: 0.5 }, cache: { clock: time.clock } },
    users: { loginToken: 'cookie' }
  })
  await addUser(app, 'calvin', 'hobbes')
  const first = (await app.inject(loginReq('calvin', 'hobbes'))).cookies.find((c) => c.name === 'auth')?.value as string
  time.tick(6 * 60_000)
  const renewed = (await app.inject({ url: '/auth/me', cookies: { auth: first } })).cookies.find((c) => c.name === 'auth')?.value
  assert.ok(renewed !== undefined && renewed !== first, 'renewed')
  assert.equal(await sessionOf(app, renewed), await sessionOf(app, first))
  assert.equal((await app.inject({ method: 'POST', url: '/auth/logout', cookies: { auth: first } })).statusCode, 204)
  assert.equal((await app.inject({ url: '/auth/me', cookies: { auth: renewed } })).statusCode, 401)
})

test('malformed session fields are 401, never 5xx', async (t) => {
  const { app } = await buildAccountsApp(t, { secure: { token: { type: 'jwt' } } })
  await addUser(app, 'calvin', 'hobbes')
  const { createSigner } = await import('fast-jwt')
  const sign = createSigner({ key: SECRET, algorithm: 'HS256' })
  const exp = Math.floor(Date.now() / 1000) + 600
  for (const sid of ['short', 42, 'A'.repeat(21) + '\u0000', 'A'.repeat(22) + ':', null]) {
    const res = await app.inject({ url: '/auth/me', headers: bearer(sign({ sub: 'calvin', aud: app.fsa.realm, exp, sid })) })
    assert.equal(res.statusCode, 401, String(sid))
  }
  const unknown = sign({ sub: 'calvin', aud: app.fsa.realm, exp, sid: 'A'.repeat(22) })
  assert.equal((await app.inject({ url: '/auth/me', headers: bearer(unknown) })).statusCode, 401, 'a well-formed id the store does not know')
})

test('the users plugin refuses, at start-up, a store of the application\'s own without sessions', async (t) => {
  const { openStore } = await import('../lib/index.js')
  const store = await openStore('sqlite::memory:')
  t.after(() => store.close())
  const withoutSessions = Object.create(store, { sessions: { value: undefined } }) as UserStore
  await assert.rejects(buildAccountsApp(t, { store: withoutSessions }), { code: 'FSA_ERR_OPT_INVALID', message: /sessions/ })
})

test('activity moves lastSeenAt, at minute resolution and at most once a minute', async (t) => {
  const time = fakeTime(t, Date.UTC(2026, 10, 29, 8, 0, 10))
  const { app, store } = await buildAccountsApp(t, { secure: { cache: { clock: time.clock } } })
  await addUser(app, 'calvin', 'hobbes')
  const token = (await app.inject(loginReq('calvin', 'hobbes'))).json().token as string
  const sid = await sessionOf(app, token) as string
  const seen = async () => (await store.sessions.getSession(sid))?.lastSeenAt.toISOString()
  assert.equal(await seen(), '2026-11-29T08:00:00.000Z')
  time.tick(3 * 60_000)
  assert.equal((await app.inject({ url: '/auth/me', headers: bearer(token) })).statusCode, 200)
  const { until } = await import('./helpers/redis-server.js')
  await until(async () => (await seen()) === '2026-11-29T08:03:00.000Z')
})
