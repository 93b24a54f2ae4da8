// Email confirmation: mailed token bound to the address, GET link and POST, resend without enumeration.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addUser, buildAccountsApp, mailedToken } from './helpers/accounts-app.js'

const register = { method: 'POST' as const, url: '/auth/register', payload: { login: 'calvin', email: 'calvin@example.com', password: 'hobbes' } }

test('the link mailed at registration confirms the email with a GET', async (t) => {
  const { app, mailer, store } = await buildAccountsApp(t)
  await app.inject(register)
  const link = /\/auth\/confirm\?token=\S+/.exec(mailer.last('calvin@example.com')?.text ?? '')?.[0] as string
  const res = await app.inject({ method: 'GET', url: link })
  assert.equal(res.statusCode, 204)
  assert.equal((await store.getUser('calvin'))?.confirmed, true)
  assert.equal((await app.inject({ method: 'GET', url: link })).statusCode, 400, 'a used confirmation link is dead')
})

test('POST confirm works too; a confirmation token cannot reset a password', async (t) => {
  const { app, mailer, store } = await buildAccountsApp(t, { users: { confirmLink: (token) => `https://acme.example/confirm#${token}` } })
  await app.inject(register)
  const text = mailer.last()?.text ?? ''
  assert.match(text, /https:\/\/acme\.example\/confirm#/)
  const token = /#(\S+)/.exec(text)?.[1] as string
  assert.equal((await app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password: 'x' } })).statusCode, 400)
  assert.equal((await app.inject({ method: 'POST', url: '/auth/confirm', payload: { token } })).statusCode, 204)
  assert.equal((await store.getUser('calvin'))?.confirmed, true)
})

test('a confirmation token dies when the email changes', async (t) => {
  const { app, mailer, store } = await buildAccountsApp(t)
  await app.inject(register)
  const token = mailedToken(mailer, 'calvin@example.com')
  await store.setEmail('calvin', 'spaceman.spiff@example.com')
  const res = await app.inject({ method: 'POST', url: '/auth/confirm', payload: { token } })
  assert.equal(res.statusCode, 400)
  assert.equal(res.body, 'invalid or expired confirmation token')
  assert.equal((await store.getUser('calvin'))?.confirmed, false)
  for (const bad of ['x', 'a.b.c', `${Buffer.from('ghost').toString('base64url')}.zzzzzz.abc`]) {
    assert.equal((await app.inject({ method: 'GET', url: `/auth/confirm?token=${bad}` })).statusCode, 400)
  }
  const missing = await app.inject({ method: 'GET', url: '/auth/confirm' })
  assert.equal(missing.statusCode, 400)
  assert.match(missing.body, /token/)
})

test('resending answers the same for any address and mails only unconfirmed active accounts', async (t) => {
  const { app, mailer } = await buildAccountsApp(t)
  await addUser(app, 'calvin', 'hobbes', { confirmed: false })
  await addUser(app, 'susie', 'derkins', { confirmed: true })
  const send = (email: string) => app.inject({ method: 'POST', url: '/auth/confirm/send', payload: { email } })
  const answers = await Promise.all(['calvin@example.com', 'susie@example.com', 'nobody@example.com'].map(send))
  assert.deepEqual(answers.map((r) => r.statusCode), [202, 202, 202])
  assert.equal(new Set(answers.map((r) => r.body)).size, 1)
  assert.deepEqual(mailer.outbox.map((m) => m.to), ['calvin@example.com'])
  const token = mailedToken(mailer, 'calvin@example.com')
  assert.equal((await app.inject({ method: 'POST', url: '/auth/confirm', payload: { token } })).statusCode, 204)
  assert.equal((await send('bad address')).statusCode, 400)
})

test('a failing mailer is logged and does not change the answer', async (t) => {
  const failing = { send: async () => { throw new Error('smtp down') } }
  const { app, store } = await buildAccountsApp(t, { users: { mailer: failing } })
  const res = await app.inject(register)
  assert.equal(res.statusCode, 201)
  assert.notEqual(await store.getUser('calvin'), null)
  assert.equal((await app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: 'calvin@example.com' } })).statusCode, 202)
})
