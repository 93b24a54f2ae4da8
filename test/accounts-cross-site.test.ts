// The account forms (login, registration, password reset) refuse cross-site requests, before the
// body is read or a password checked; the admin routes refuse cross-site requests carrying Basic
// credentials. The same requests without browser headers (curl) are served.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addUser, basic, buildAccountsApp } from './helpers/accounts-app.js'

const FOREIGN = { origin: 'http://127.0.0.1:9999', 'sec-fetch-site': 'same-site' }
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

test('login CSRF: a cross-site form POST to /auth/login is a 403 and sets no cookie; from curl it logs in', async (t) => {
  const { app, store } = await buildAccountsApp(t, { secure: { token: { carrier: 'cookie' } }, users: { loginToken: 'cookie' } })
  await addUser(app, 'mallory', 'Mall0ry!')
  const forged = await app.inject({ method: 'POST', url: '/auth/login', headers: { ...FORM, ...FOREIGN }, payload: 'login=mallory&password=Mall0ry!' })
  assert.equal(forged.statusCode, 403)
  assert.equal(forged.body, 'cross-site request denied')
  assert.equal(forged.headers['set-cookie'], undefined)
  assert.equal((await store.getUser('mallory'))?.loginCount ?? 0, 0, 'no login recorded')
  const curl = await app.inject({ method: 'POST', url: '/auth/login', headers: FORM, payload: 'login=mallory&password=Mall0ry!' })
  assert.equal(curl.statusCode, 200)
  assert.match(String(curl.headers['set-cookie']), /^auth=/)
})

test('registration and password reset refuse cross-site requests and create or mail nothing', async (t) => {
  const { app, store, mailer } = await buildAccountsApp(t)
  await addUser(app, 'calvin', 'Hobb3s!!', { email: 'calvin@example.com' })
  const register = await app.inject({ method: 'POST', url: '/auth/register', headers: { ...FORM, origin: 'http://evil.example' }, payload: 'login=susie&email=susie@example.com&password=Derkins1' })
  assert.equal(register.statusCode, 403)
  assert.equal(await store.getUser('susie'), null)
  const forgot = await app.inject({ method: 'POST', url: '/auth/password/forgot', headers: { referer: 'http://evil.example/x' }, payload: { email: 'calvin@example.com' } })
  assert.equal(forgot.statusCode, 403)
  assert.equal(mailer.last('calvin@example.com'), undefined)
  const reset = await app.inject({ method: 'POST', url: '/auth/password/reset', headers: { 'sec-fetch-site': 'cross-site' }, payload: { token: 'x', password: 'Derkins1' } })
  assert.equal(reset.statusCode, 403)
  const own = await app.inject({ method: 'POST', url: '/auth/register', headers: { origin: 'http://localhost' }, payload: { login: 'susie', email: 'susie@example.com', password: 'Derkins1' } })
  assert.equal(own.statusCode, 201)
})

test('an admin\'s Basic credentials cannot create an admin user from another site\'s form', async (t) => {
  const { app, store } = await buildAccountsApp(t)
  await addUser(app, 'root', 'R00t!pass', { groups: ['admin'] })
  const headers = { ...FORM, authorization: basic('root', 'R00t!pass') }
  const payload = 'login=mallory&password=Mall0ry!&groups=admin'
  const forged = await app.inject({ method: 'POST', url: '/auth/users', headers: { ...headers, ...FOREIGN }, payload })
  assert.equal(forged.statusCode, 403)
  assert.equal(await store.getUser('mallory'), null)
  const curl = await app.inject({ method: 'POST', url: '/auth/users', headers, payload })
  assert.equal(curl.statusCode, 201, curl.body)
  assert.deepEqual(await store.groupsOf('mallory'), ['admin'])
})
