// Issue 12, problem 5 (account tokens live too long) and the notices of problem 6: confirmation
// tokens work once, even after an administrator un-confirms the account; reset tokens die when
// the email (or the password) changes; password changes, resets and email changes are mailed to
// the owner. On SQLite and PostgreSQL.
import { describe, test } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { UserStore } from '../lib/index.js'
import { addUser, basic, buildAccountsApp, mailedToken, PG_URL, tempPgStore } from './helpers/accounts-app.js'

type StoreFactory = (t: TestContext) => Promise<string | UserStore>
const admin = { authorization: basic('root', 'root-pass') }

function lifetimeSuite (name: string, storeOf: StoreFactory): void {
  describe(`account token lifetime on ${name}`, () => {
    test(`a confirmation token works once, and stays dead after an admin un-confirms the account (${name})`, async (t) => {
      const { app, mailer, store } = await buildAccountsApp(t, { store: await storeOf(t) })
      await addUser(app, 'root', 'root-pass', { groups: ['admin'] })
      const reg = await app.inject({ method: 'POST', url: '/auth/register', payload: { login: 'calvin', email: 'calvin@example.com', password: 'hobbes-12' } })
      assert.equal(reg.statusCode, 201, reg.body)
      const token = mailedToken(mailer, 'calvin@example.com')
      assert.equal((await app.inject({ method: 'POST', url: '/auth/confirm', payload: { token } })).statusCode, 204)
      assert.equal((await app.inject({ method: 'POST', url: '/auth/confirm', payload: { token } })).statusCode, 400, 'used')
      const unconfirm = await app.inject({ method: 'PATCH', url: '/auth/users/calvin', headers: admin, payload: { confirmed: false } })
      assert.equal(unconfirm.statusCode, 200, unconfirm.body)
      const replay = await app.inject({ method: 'POST', url: '/auth/confirm', payload: { token } })
      assert.equal(replay.statusCode, 400, 'replayed after un-confirmation')
      assert.equal((await store.getUser('calvin'))?.confirmed, false)
      // a new token works
      assert.equal((await app.inject({ method: 'POST', url: '/auth/confirm/send', payload: { email: 'calvin@example.com' } })).statusCode, 202)
      await new Promise((resolve) => setImmediate(resolve))
      const fresh = mailedToken(mailer, 'calvin@example.com')
      assert.notEqual(fresh, token)
      assert.equal((await app.inject({ method: 'POST', url: '/auth/confirm', payload: { token: fresh } })).statusCode, 204)
    })

    test(`a reset token dies when the email changes, and the old address is told (${name})`, async (t) => {
      const { app, mailer } = await buildAccountsApp(t, { store: await storeOf(t) })
      await addUser(app, 'root', 'root-pass', { groups: ['admin'] })
      await addUser(app, 'calvin', 'hobbes-12')
      assert.equal((await app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: 'calvin@example.com' } })).statusCode, 202)
      await new Promise((resolve) => setImmediate(resolve))
      const token = mailedToken(mailer, 'calvin@example.com')
      const change = await app.inject({ method: 'PATCH', url: '/auth/users/calvin', headers: admin, payload: { email: 'calvin@elsewhere.org' } })
      assert.equal(change.statusCode, 200, change.body)
      const notice = mailer.last('calvin@example.com')
      assert.match(notice?.subject ?? '', /email address was changed/)
      assert.match(notice?.text ?? '', /no longer calvin@example\.com/)
      const reset = await app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password: 'Tiger-12345' } })
      assert.equal(reset.statusCode, 400, reset.body)
      assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: basic('calvin', 'hobbes-12') } })).statusCode, 200)
    })

    test(`a reset token works once, and the reset and a password change are mailed to the owner (${name})`, async (t) => {
      const { app, mailer } = await buildAccountsApp(t, { store: await storeOf(t) })
      await addUser(app, 'calvin', 'hobbes-12')
      await app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: 'calvin@example.com' } })
      await new Promise((resolve) => setImmediate(resolve))
      const token = mailedToken(mailer, 'calvin@example.com')
      assert.equal((await app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password: 'Tiger-12345' } })).statusCode, 204)
      assert.match(mailer.last('calvin@example.com')?.subject ?? '', /your password was reset/)
      assert.equal((await app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password: 'Other-12345' } })).statusCode, 400)
      const change = await app.inject({
        method: 'POST', url: '/auth/password', headers: { authorization: basic('calvin', 'Tiger-12345') }, payload: { current: 'Tiger-12345', password: 'Wagon-12345' }
      })
      assert.equal(change.statusCode, 204, change.body)
      const notice = mailer.last('calvin@example.com')
      assert.match(notice?.subject ?? '', /your password was changed/)
      assert.doesNotMatch(notice?.text ?? '', /Wagon|Tiger/, 'no password in the notice')
    })
  })
}

lifetimeSuite('SQLite', async () => 'sqlite::memory:')
if (PG_URL !== undefined) lifetimeSuite('PostgreSQL', tempPgStore)
else test('account token lifetime on PostgreSQL', { skip: 'FSA_TEST_PG_URL not set' }, () => {})
