// Password change (current password required), forgot/reset with a mailed single-use token.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addUser, basic, bearer, buildAccountsApp, mailedToken } from './helpers/accounts-app.js'
import { logCapture } from './helpers/auth-app.js'
import { fakeTime } from './helpers/time.js'

const change = (login: string, password: string, body: object) => ({ method: 'POST' as const, url: '/auth/password', headers: { authorization: basic(login, password) }, payload: body })
const canLogIn = async (app: { inject: (o: object) => Promise<{ statusCode: number }> }, password: string) =>
  (await app.inject({ method: 'POST', url: '/auth/login', payload: { login: 'calvin', password } })).statusCode === 200

test('changing the password needs the current one, applies the rules and revokes old tokens', async (t) => {
  const { app } = await buildAccountsApp(t, { secure: { token: { type: 'jwt' }, password: { allowWeak: true, memoryCost: 1024, timeCost: 1, minLength: 6 } } })
  await addUser(app, 'calvin', 'hobbes')
  const token = await app.createToken('calvin')
  const wrong = await app.inject(change('calvin', 'hobbes', { current: 'tiger!', password: 'stuffed tiger' }))
  assert.equal(wrong.statusCode, 403)
  assert.equal(wrong.body, 'current password is incorrect')
  const weak = await app.inject(change('calvin', 'hobbes', { current: 'hobbes', password: 'tiny' }))
  assert.equal(weak.statusCode, 400)
  assert.match(weak.body, /at least 6/)
  assert.ok(await canLogIn(app, 'hobbes'))
  const ok = await app.inject(change('calvin', 'hobbes', { current: 'hobbes', password: 'stuffed tiger' }))
  assert.equal(ok.statusCode, 204)
  assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: basic('calvin', 'hobbes') } })).statusCode, 401, 'the cached old password no longer works')
  assert.ok(await canLogIn(app, 'stuffed tiger'))
  const old = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) })
  assert.equal(old.statusCode, 401)
  assert.equal(old.body, 'revoked token')
})

test('with revokeOnPasswordChange off, tokens survive a password change', async (t) => {
  const { app } = await buildAccountsApp(t, { secure: { token: { type: 'jwt' } }, users: { revokeOnPasswordChange: false } })
  await addUser(app, 'calvin', 'hobbes')
  const token = await app.createToken('calvin')
  assert.equal((await app.inject(change('calvin', 'hobbes', { current: 'hobbes', password: 'tiger' }))).statusCode, 204)
  assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) })).statusCode, 200)
})

test('forgot answers the same for known and unknown addresses and mails a link only to a known one', async (t) => {
  const logs = logCapture()
  const { app, mailer } = await buildAccountsApp(t, { fastify: { logger: { level: 'info', stream: logs.stream } }, users: { mailer: undefined } })
  await addUser(app, 'calvin', 'hobbes')
  const known = await app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: 'calvin@example.com' } })
  const unknown = await app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: 'susie@example.com' } })
  assert.equal(known.statusCode, 202)
  assert.equal(unknown.statusCode, 202)
  assert.equal(known.body, unknown.body)
  assert.equal(mailer.outbox.length, 0, 'the default mailer is used, not the test one')
  assert.match(logs.text(), /mail sent/)
  assert.match(logs.text(), /calvin@example\.com/)
  assert.doesNotMatch(logs.text(), /token=/, 'the link is a secret: never logged')
})

test('a mailed reset token sets a new password once, confirms the email and revokes tokens', async (t) => {
  const { app, mailer, store } = await buildAccountsApp(t, { secure: { token: { type: 'jwt' } } })
  await addUser(app, 'calvin', 'hobbes', { confirmed: false })
  const session = await app.createToken('calvin')
  await app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: 'CALVIN@example.com' } })
  const token = mailedToken(mailer, 'calvin@example.com')
  assert.match(mailer.last()?.text ?? '', /\/auth\/password\/reset\?token=/)
  const reset = await app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password: 'tiger' } })
  assert.equal(reset.statusCode, 204)
  assert.ok(await canLogIn(app, 'tiger'))
  assert.ok(!await canLogIn(app, 'hobbes'))
  assert.equal((await store.getUser('calvin'))?.confirmed, true)
  assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(session) })).statusCode, 401)
  const again = await app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password: 'again' } })
  assert.equal(again.statusCode, 400)
  assert.equal(again.body, 'invalid or expired reset token')
  assert.ok(await canLogIn(app, 'tiger'))
})

test('a reset token dies when the password changes otherwise, or when tampered with', async (t) => {
  const { app, mailer } = await buildAccountsApp(t)
  await addUser(app, 'calvin', 'hobbes')
  const forgot = () => app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: 'calvin@example.com' } })
  const reset = (token: string) => app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password: 'new' } })
  await forgot()
  const first = mailedToken(mailer, 'calvin@example.com')
  assert.equal((await app.inject(change('calvin', 'hobbes', { current: 'hobbes', password: 'tiger' }))).statusCode, 204)
  assert.equal((await reset(first)).statusCode, 400, 'bound to the old hash')
  await forgot()
  const second = mailedToken(mailer, 'calvin@example.com')
  const [login, expiry, mac] = second.split('.') as [string, string, string]
  const other = Buffer.from('susie').toString('base64url')
  for (const bad of [`${other}.${expiry}.${mac}`, `${login}.${(parseInt(expiry, 36) + 999).toString(36)}.${mac}`, `${login}.${expiry}.${mac.slice(1)}A`, 'nonsense', 'a.b.c.d']) {
    assert.equal((await reset(bad)).statusCode, 400, bad)
  }
  assert.ok(await canLogIn(app, 'tiger'))
  assert.equal((await reset(second)).statusCode, 204, 'the untampered token still works')
})

test('a reset token expires after resetDelay minutes', async (t) => {
  const time = fakeTime(t)
  const { app, mailer } = await buildAccountsApp(t, { users: { resetDelay: 0.02 } })
  await addUser(app, 'calvin', 'hobbes')
  await app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: 'calvin@example.com' } })
  const token = mailedToken(mailer, 'calvin@example.com')
  time.tick(1300)
  assert.equal((await app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password: 'new' } })).statusCode, 400)
  assert.ok(await canLogIn(app, 'hobbes'))
})

test('inactive accounts get no reset mail and cannot use an earlier token', async (t) => {
  const { app, mailer, store } = await buildAccountsApp(t)
  await addUser(app, 'calvin', 'hobbes')
  await app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: 'calvin@example.com' } })
  const token = mailedToken(mailer, 'calvin@example.com')
  await store.setActive('calvin', false)
  mailer.clear()
  assert.equal((await app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: 'calvin@example.com' } })).statusCode, 202)
  assert.equal(mailer.outbox.length, 0)
  assert.equal((await app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password: 'x' } })).statusCode, 400)
})

test('malformed password requests are 400 naming the field and change nothing', async (t) => {
  const { app, store } = await buildAccountsApp(t)
  await addUser(app, 'calvin', 'hobbes')
  const before = (await store.getPasswordHash('calvin'))?.hash
  const cases: Array<[string, object, RegExp, boolean]> = [
    ['/auth/password', { current: 'hobbes' }, /password/, true],
    ['/auth/password', { password: 'x' }, /current/, true],
    ['/auth/password/forgot', { email: 'nope' }, /email/, false],
    ['/auth/password/forgot', {}, /email/, false],
    ['/auth/password/reset', { password: 'x' }, /token/, false],
    ['/auth/password/reset', { token: 'a.b.c' }, /password/, false],
    ['/auth/password/reset', { token: 'x'.repeat(3000), password: 'p' }, /token/, false]
  ]
  for (const [url, payload, field, authed] of cases) {
    const headers = authed ? { authorization: basic('calvin', 'hobbes') } : {}
    const res = await app.inject({ method: 'POST', url, payload, headers })
    assert.equal(res.statusCode, 400, `${url} ${JSON.stringify(payload)}`)
    assert.match(res.body, field)
  }
  assert.equal((await store.getPasswordHash('calvin'))?.hash, before)
})
