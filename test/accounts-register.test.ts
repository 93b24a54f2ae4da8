// POST /auth/register: creation, password rules, enumeration-resistant duplicates, malformed input.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildAccountsApp } from './helpers/accounts-app.js'

test('registering creates an unconfirmed user with a hashed password and mails a confirmation link', async (t) => {
  const { app, store, mailer } = await buildAccountsApp(t)
  const res = await app.inject({ method: 'POST', url: '/auth/register', payload: { login: 'calvin', email: 'calvin@example.com', password: 'hobbes' } })
  assert.equal(res.statusCode, 201)
  const body = res.json()
  assert.equal(body.login, 'calvin')
  assert.equal(body.email, 'calvin@example.com')
  assert.equal(body.confirmed, false)
  assert.equal(body.active, true)
  assert.deepEqual(body.groups, [])
  assert.equal(body.password, undefined)
  const info = await store.getPasswordHash('calvin')
  assert.ok(info?.hash.startsWith('$argon2id$'))
  assert.ok((await app.fsa.passwords.verify('hobbes', info?.hash ?? '')).ok)
  const mail = mailer.last('calvin@example.com')
  assert.match(mail?.subject ?? '', /confirm/)
  assert.match(mail?.text ?? '', /\/auth\/confirm\?token=/)
})

test('a taken login and a taken email get the same 409 answer', async (t) => {
  const { app } = await buildAccountsApp(t)
  const ok = await app.inject({ method: 'POST', url: '/auth/register', payload: { login: 'calvin', email: 'calvin@example.com', password: 'hobbes' } })
  assert.equal(ok.statusCode, 201)
  const sameLogin = await app.inject({ method: 'POST', url: '/auth/register', payload: { login: 'CALVIN', email: 'other@example.com', password: 'hobbes' } })
  const sameEmail = await app.inject({ method: 'POST', url: '/auth/register', payload: { login: 'susie', email: 'Calvin@Example.com', password: 'hobbes' } })
  assert.equal(sameLogin.statusCode, 409)
  assert.equal(sameEmail.statusCode, 409)
  assert.equal(sameLogin.body, sameEmail.body)
  assert.equal(sameLogin.body, 'login or email already registered')
})

test('a password breaking the rules is a 400 and creates nothing', async (t) => {
  const { app, store } = await buildAccountsApp(t, { secure: { password: { allowWeak: true, memoryCost: 1024, timeCost: 1, minLength: 8 } } })
  const res = await app.inject({ method: 'POST', url: '/auth/register', payload: { login: 'calvin', email: 'calvin@example.com', password: 'short' } })
  assert.equal(res.statusCode, 400)
  assert.match(res.body, /at least 8/)
  assert.equal(await store.getUser('calvin'), null)
})

test('malformed registrations are 400 naming the field, and nothing is written', async (t) => {
  const { app, store, mailer } = await buildAccountsApp(t)
  const cases: Array<[unknown, RegExp]> = [
    [{ email: 'a@example.com', password: 'p' }, /login/],
    [{ login: 'calvin', password: 'p' }, /email/],
    [{ login: 'calvin', email: 'a@example.com' }, /password/],
    [{ login: 'calvin', email: 'not an email', password: 'p' }, /email/],
    [{ login: '', email: 'a@example.com', password: 'p' }, /login/],
    [{ login: 'cal:vin', email: 'a@example.com', password: 'p' }, /login/],
    [{ login: 'cal\nvin', email: 'a@example.com', password: 'p' }, /login/],
    [{ login: 'x'.repeat(256), email: 'a@example.com', password: 'p' }, /login/],
    [{ login: { a: 1 }, email: 'a@example.com', password: 'p' }, /login/],
    [{ login: 'calvin', email: 'a@example.com', password: '' }, /password/],
    [[1, 2], /body/]
  ]
  for (const [payload, field] of cases) {
    const res = await app.inject({ method: 'POST', url: '/auth/register', payload: payload as object })
    assert.equal(res.statusCode, 400, JSON.stringify(payload))
    assert.match(res.body, field, JSON.stringify(payload))
  }
  const notJson = await app.inject({ method: 'POST', url: '/auth/register', headers: { 'content-type': 'application/json' }, payload: '{"login":' })
  assert.equal(notJson.statusCode, 400)
  assert.deepEqual(await store.listUsers(), [])
  assert.equal(mailer.outbox.length, 0)
})

test('registration can be switched off, and the confirmation mail too', async (t) => {
  const off = await buildAccountsApp(t, { users: { routes: { register: false } } })
  assert.equal((await off.app.inject({ method: 'POST', url: '/auth/register', payload: { login: 'a', email: 'a@example.com', password: 'p' } })).statusCode, 404)
  const quiet = await buildAccountsApp(t, { users: { confirmOnRegister: false, prefix: '/account' } })
  const res = await quiet.app.inject({ method: 'POST', url: '/account/register', payload: { login: 'a', email: 'a@example.com', password: 'p' } })
  assert.equal(res.statusCode, 201)
  assert.equal(quiet.mailer.outbox.length, 0)
})
