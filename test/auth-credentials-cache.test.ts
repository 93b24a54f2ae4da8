// The verified-credentials cache (cache.credentials.enabled): a successful password check is
// remembered for a short time under an HMAC of login and password, so repeated basic requests do
// not pay argon2 each time; a failed check is never remembered.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { basic, buildAuthApp } from './helpers/auth-app.js'

test('with the credentials cache on, a second basic request does not verify the password again', async (t) => {
  const app = await buildAuthApp(t, { auth: ['basic'], cache: { credentials: { enabled: true } } })
  const headers = { authorization: basic('calvin', 'hobbes') }
  assert.equal((await app.inject({ url: '/auth', headers })).statusCode, 200)
  assert.equal((await app.inject({ url: '/auth', headers })).statusCode, 200)
  assert.equal((await app.inject({ url: '/auth', headers })).statusCode, 200)
  const v = app.fsa.cacheStats().byKind.credentials
  assert.equal(v.misses, 1)
  assert.equal(v.hits, 2)
  assert.deepEqual(app.calls, ['calvin'], 'getUserPass called once')
})

test('a wrong password is never cached: each attempt is verified again', async (t) => {
  const app = await buildAuthApp(t, { auth: ['basic'], cache: { credentials: { enabled: true } } })
  const headers = { authorization: basic('calvin', 'wrong') }
  for (let i = 0; i < 3; i++) assert.equal((await app.inject({ url: '/auth', headers })).statusCode, 401)
  const v = app.fsa.cacheStats().byKind.credentials
  assert.equal(v.hits, 0)
  assert.equal(v.misses, 3)
  // the right password still works afterwards, and a wrong one after a right one still fails
  assert.equal((await app.inject({ url: '/auth', headers: { authorization: basic('calvin', 'hobbes') } })).statusCode, 200)
  assert.equal((await app.inject({ url: '/auth', headers })).statusCode, 401)
})

test('the cached entry is per login and password: another user or password is verified on its own', async (t) => {
  const app = await buildAuthApp(t, { auth: ['basic'], cache: { credentials: { enabled: true } } })
  await app.inject({ url: '/auth', headers: { authorization: basic('calvin', 'hobbes') } })
  const other = await app.inject({ url: '/auth', headers: { authorization: basic('hobbes', 'calvin') } })
  assert.equal(other.json().user, 'hobbes')
  assert.equal(app.fsa.cacheStats().byKind.credentials.misses, 2)
})

test('without the credentials cache (the default), every request verifies the password', async (t) => {
  const app = await buildAuthApp(t, { auth: ['basic'] })
  const headers = { authorization: basic('calvin', 'hobbes') }
  await app.inject({ url: '/auth', headers })
  await app.inject({ url: '/auth', headers })
  const { credentials, user } = app.fsa.cacheStats().byKind
  assert.deepEqual(credentials, { hits: 0, misses: 0 })
  assert.equal(user.hits, 1, 'the hash lookup itself is cached (kind user)')
})

test('clearCaches forgets verified credentials', async (t) => {
  const app = await buildAuthApp(t, { auth: ['basic'], cache: { credentials: { enabled: true } } })
  const headers = { authorization: basic('calvin', 'hobbes') }
  await app.inject({ url: '/auth', headers })
  await app.fsa.clearCaches()
  await app.inject({ url: '/auth', headers })
  assert.equal(app.fsa.cacheStats().byKind.credentials.hits, 0)
  assert.deepEqual(app.calls, ['calvin', 'calvin'])
})
