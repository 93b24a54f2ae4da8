// Sign-in by email: the login route takes an email where a login is expected; registration keeps
// email-shaped logins to their owner's own address, so an email never names two accounts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addUser, basic, buildAccountsApp } from './helpers/accounts-app.js'

const login = (login: string, password: string) => ({ method: 'POST' as const, url: '/auth/login', payload: { login, password } })
const register = (login: string, email: string) => ({ method: 'POST' as const, url: '/auth/register', payload: { login, email, password: 'a long enough passphrase' } })

test('the login route accepts the email (any case) as well as the login name', async (t) => {
  const { app } = await buildAccountsApp(t)
  await addUser(app, 'kevin', 'hobbes-tiger', { email: 'Kevin@Example.com' })
  const byEmail = await app.inject(login('kevin@example.COM', 'hobbes-tiger'))
  assert.equal(byEmail.statusCode, 200)
  assert.equal(byEmail.json().login, 'kevin', 'the token is issued to the login name')
  assert.equal((await app.inject(login('kevin', 'hobbes-tiger'))).statusCode, 200)
  const wrong = await app.inject(login('kevin@example.com', 'wrong-password'))
  const unknown = await app.inject(login('nobody@example.com', 'wrong-password'))
  assert.equal(wrong.statusCode, 401)
  assert.equal(unknown.statusCode, 401)
  assert.equal(wrong.body, unknown.body, 'the message does not say which part was wrong')
})

test('Basic authentication keeps login names: an email is not a Basic user-id', async (t) => {
  const { app } = await buildAccountsApp(t)
  await addUser(app, 'kevin', 'hobbes-tiger', { email: 'kevin@example.com' })
  assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: basic('kevin', 'hobbes-tiger') } })).statusCode, 200)
  assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: basic('kevin@example.com', 'hobbes-tiger') } })).statusCode, 401)
})

test('registration refuses a login shaped like an email unless it is the registrant\'s own email', async (t) => {
  const { app, store } = await buildAccountsApp(t)
  await addUser(app, 'victim', 'victim-password', { email: 'victim@example.com' })
  const squat = await app.inject(register('victim@example.com', 'attacker@example.com'))
  assert.equal(squat.statusCode, 400)
  assert.match(squat.body, /must be your own email/)
  assert.equal(await store.getUser('victim@example.com'), null, 'nothing created')
  const other = await app.inject(register('someone@else.example', 'attacker@example.com'))
  assert.equal(other.statusCode, 400)
  const own = await app.inject(register('Me@Example.com', 'me@example.com'))
  assert.equal(own.statusCode, 201)
  assert.equal((await app.inject(login('me@example.com', 'a long enough passphrase'))).json().login, 'Me@Example.com')
  // emails stay unique: the victim's address cannot be registered again, in any case
  assert.equal((await app.inject(register('thief', 'VICTIM@example.com'))).statusCode, 409)
})
