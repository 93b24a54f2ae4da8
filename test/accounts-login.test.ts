// POST /auth/login and /auth/logout: tokens in JSON or cookie, login tracking, refusals, revocation.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import users from '../plugins/users.js'
import { buildApp } from './helpers/app.js'
import { addUser, basic, bearer, buildAccountsApp, FAST_PASSWORD, SECRET, tempSqliteUrl } from './helpers/accounts-app.js'

const login = (login: string, password: string) => ({ method: 'POST' as const, url: '/auth/login', payload: { login, password } })

test('logging in returns a token that authenticates the next requests and records the login', async (t) => {
  const { app, store } = await buildAccountsApp(t)
  await addUser(app, 'calvin', 'hobbes')
  const res = await app.inject(login('Calvin', 'hobbes'))
  assert.equal(res.statusCode, 200)
  const { login: who, token } = res.json()
  assert.equal(who, 'calvin', 'the stored spelling of the login')
  assert.equal(typeof token, 'string')
  assert.equal(res.headers['set-cookie'], undefined)
  const me = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) })
  assert.equal(me.statusCode, 200)
  assert.equal(me.json().login, 'calvin')
  await app.inject(login('calvin', 'hobbes'))
  const user = await store.getUser('calvin')
  assert.equal(user?.loginCount, 2)
  assert.equal(user?.lastLoginIp, '127.0.0.1')
  assert.ok(user?.lastLoginAt instanceof Date && Date.now() - user.lastLoginAt.getTime() < 10_000)
})

test('a wrong password and an unknown login get the same 401 and record nothing', async (t) => {
  const { app, store } = await buildAccountsApp(t)
  await addUser(app, 'calvin', 'hobbes')
  const wrong = await app.inject(login('calvin', 'tiger'))
  const unknown = await app.inject(login('susie', 'tiger'))
  assert.equal(wrong.statusCode, 401)
  assert.equal(unknown.statusCode, 401)
  assert.equal(wrong.body, unknown.body)
  assert.equal((await store.getUser('calvin'))?.loginCount, 0)
})

test('inactive users cannot log in, unconfirmed ones only when requireConfirmed is off', async (t) => {
  const { app } = await buildAccountsApp(t)
  await addUser(app, 'moe', 'bully', { active: false })
  await addUser(app, 'susie', 'derkins', { confirmed: false })
  assert.equal((await app.inject(login('moe', 'bully'))).statusCode, 401)
  assert.equal((await app.inject(login('susie', 'derkins'))).statusCode, 200)
  const strict = await buildAccountsApp(t, { users: { requireConfirmed: true } })
  await addUser(strict.app, 'susie', 'derkins', { confirmed: false })
  const res = await strict.app.inject(login('susie', 'derkins'))
  assert.equal(res.statusCode, 401)
  assert.equal(res.body, 'account disabled or not confirmed')
  await strict.store.setConfirmed('susie', true)
  assert.equal((await strict.app.inject(login('susie', 'derkins'))).statusCode, 200)
})

test('with a cookie carrier the login sets an HttpOnly auth cookie that logout clears', async (t) => {
  const { app } = await buildAccountsApp(t, { secure: { token: { carrier: 'cookie', name: 'auth' } }, users: { loginToken: 'cookie' } })
  await addUser(app, 'calvin', 'hobbes')
  const res = await app.inject(login('calvin', 'hobbes'))
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), { login: 'calvin' })
  const cookie = res.cookies.find((c) => c.name === 'auth')
  assert.ok(cookie !== undefined)
  assert.equal(cookie.httpOnly, true)
  const me = await app.inject({ method: 'GET', url: '/auth/me', cookies: { auth: cookie.value } })
  assert.equal(me.statusCode, 200)
  const out = await app.inject({ method: 'POST', url: '/auth/logout', cookies: { auth: cookie.value } })
  assert.equal(out.statusCode, 204)
  const cleared = out.cookies.find((c) => c.name === 'auth')
  assert.equal(cleared?.value, '')
  assert.ok(cleared?.expires !== undefined && cleared.expires.getTime() <= Date.now())
})

test('loginToken both returns the token in the body and in the cookie', async (t) => {
  const { app } = await buildAccountsApp(t, { secure: { token: { carrier: 'cookie' } }, users: { loginToken: 'both' } })
  await addUser(app, 'calvin', 'hobbes')
  const res = await app.inject(login('calvin', 'hobbes'))
  assert.equal(typeof res.json().token, 'string')
  assert.equal(res.cookies.length, 1)
  assert.equal(res.cookies[0]?.value, res.json().token)
})

test('logout everywhere revokes every token of the user on every instance sharing the store', async (t) => {
  const { url } = tempSqliteUrl(t)
  const jwt = { token: { type: 'jwt' as const } }
  const a = await buildAccountsApp(t, { store: url, secure: jwt })
  const b = await buildAccountsApp(t, { store: url, secure: jwt })
  await addUser(a.app, 'calvin', 'hobbes')
  const t1 = (await a.app.inject(login('calvin', 'hobbes'))).json().token as string
  const t2 = (await b.app.inject(login('calvin', 'hobbes'))).json().token as string
  assert.equal((await b.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(t1) })).statusCode, 200, 'instance b caches t1 as valid')
  const out = await a.app.inject({ method: 'POST', url: '/auth/logout?everywhere=true', headers: bearer(t1) })
  assert.equal(out.statusCode, 204)
  // b's cache is local (no Redis here): drop it the way a Redis invalidation would
  await b.app.fsa.uncacheUser('calvin')
  for (const app of [a.app, b.app]) {
    for (const token of [t1, t2]) {
      const res = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) })
      assert.equal(res.statusCode, 401)
      assert.equal(res.body, 'revoked token')
    }
  }
  const t3 = (await b.app.inject(login('calvin', 'hobbes'))).json().token as string
  assert.equal((await a.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(t3) })).statusCode, 200, 'a new login works')
})

test('a plain logout keeps tokens valid and needs authentication', async (t) => {
  const { app } = await buildAccountsApp(t)
  await addUser(app, 'calvin', 'hobbes')
  assert.equal((await app.inject({ method: 'POST', url: '/auth/logout' })).statusCode, 401)
  const res = await app.inject({ method: 'POST', url: '/auth/logout', headers: { authorization: basic('calvin', 'hobbes') } })
  assert.equal(res.statusCode, 204)
  assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: basic('calvin', 'hobbes') } })).statusCode, 200)
  const bad = await app.inject({ method: 'POST', url: '/auth/logout?everywhere=maybe', headers: { authorization: basic('calvin', 'hobbes') } })
  assert.equal(bad.statusCode, 400)
  assert.match(bad.body, /everywhere/)
})

test('malformed logins are 400 naming the field', async (t) => {
  const { app, store } = await buildAccountsApp(t)
  for (const [payload, field] of [[{ password: 'x' }, /login/], [{ login: 'calvin' }, /password/], [{ login: 'a', password: { x: 1 } }, /password/]] as const) {
    const res = await app.inject({ method: 'POST', url: '/auth/login', payload })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, field)
  }
  assert.deepEqual(await store.listUsers(), [])
})

test('the plugin refuses to start without a store, without tokens for login, or with a cookie the app cannot read', async (t) => {
  const noStore = buildApp(t, { getUserPass: () => null, password: FAST_PASSWORD, token: { secret: SECRET } }, (app) => app.register(users), { ready: true })
  await assert.rejects(noStore, { code: 'FSA_ERR_ACCOUNT_NO_STORE' })
  const noTokens = buildApp(t, { store: 'sqlite::memory:', auth: ['basic', 'none'], password: FAST_PASSWORD }, (app) => app.register(users), { ready: true })
  await assert.rejects(noTokens, { code: 'FSA_ERR_OPT_INVALID', message: /routes\.login/ })
  const bearerCookie = buildApp(t, { store: 'sqlite::memory:', password: FAST_PASSWORD, token: { secret: SECRET } }, (app) => app.register(users, { loginToken: 'cookie' }), { ready: true })
  await assert.rejects(bearerCookie, { code: 'FSA_ERR_OPT_INVALID', message: /loginToken/ })
})

test('without the login route the plugin runs with basic authentication only', async (t) => {
  const app = await buildApp(t, { store: 'sqlite::memory:', auth: ['basic', 'none'], password: FAST_PASSWORD }, (app) => app.register(users, { routes: { login: false } }))
  await addUser(app, 'calvin', 'hobbes')
  assert.equal((await app.inject(login('calvin', 'hobbes'))).statusCode, 404)
  const out = await app.inject({ method: 'POST', url: '/auth/logout', headers: { authorization: basic('calvin', 'hobbes') } })
  assert.equal(out.statusCode, 204)
})

test('logout everywhere also revokes fsa-format tokens, and a new login works', async (t) => {
  const { app } = await buildAccountsApp(t)
  await addUser(app, 'calvin', 'hobbes')
  const old = (await app.inject(login('calvin', 'hobbes'))).json().token as string
  assert.equal((await app.inject({ method: 'POST', url: '/auth/logout?everywhere=true', headers: bearer(old) })).statusCode, 204)
  assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(old) })).statusCode, 401)
  const fresh = (await app.inject(login('calvin', 'hobbes'))).json().token as string
  assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(fresh) })).statusCode, 200)
})
