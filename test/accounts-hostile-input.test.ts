// Issue 12, problem 7: client input that used to be a 5xx. A NUL (or any control character) in a
// login, password, token or account token is refused (400/401) before any store access, on
// SQLite and PostgreSQL (which answers a NUL in text with an error); deeply nested custom data is
// a 400, not a stack overflow in merge-patch.
import { describe, test } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { UserStore } from '../lib/index.js'
import { addUser, basic, buildAccountsApp, PG_URL, tempPgStore } from './helpers/accounts-app.js'

/** Account token layout (lib/accounts/account-tokens.ts) naming `login`, with a made-up MAC. */
const forgedAccountToken = (login: string): string =>
  `${Buffer.from(login, 'utf8').toString('base64url')}.zzzzzz.${'A'.repeat(43)}`

/** `{"a":` nested `depth` times around `1`. */
const nested = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)

type StoreFactory = (t: TestContext) => Promise<string | UserStore>

function hostileInputSuite (name: string, storeOf: StoreFactory): void {
  describe(`hostile input on ${name}`, () => {
    test(`a control character in a login or password is a 401 on every carrier, never a 5xx (${name})`, async (t) => {
      const { app } = await buildAccountsApp(t, { store: await storeOf(t), secure: { token: { carrier: 'param' } } })
      await addUser(app, 'acme', 'hobbes12')
      const requests = [
        { url: '/auth/me', headers: { authorization: basic('acme\0', 'x') } },
        { url: '/auth/me', headers: { authorization: basic('acme\u0001', 'hobbes12') } },
        { url: '/auth/me', headers: { authorization: basic('acme', 'hobbes12\0') } },
        { url: '/auth/me?USER=acme%00&PASS=x' },
        { url: '/auth/me?USER=%00&PASS=%00' },
        { url: '/auth/me?AUTH=x:acme%00:20991231235959:abcdef' }
      ]
      for (const r of requests) {
        const res = await app.inject({ method: 'GET', ...r })
        assert.equal(res.statusCode, 401, `${r.url} ${JSON.stringify(r.headers)}: ${res.body}`)
      }
      const login = await app.inject({ method: 'POST', url: '/auth/login', payload: { login: 'acme\0', password: 'x' } })
      assert.equal(login.statusCode, 400, login.body)
    })

    test(`a NUL in a token's login on the cookie and bearer carriers is a 401 (${name})`, async (t) => {
      const store = await storeOf(t)
      for (const carrier of ['cookie', 'bearer'] as const) {
        const { app } = await buildAccountsApp(t, { store, secure: { token: { carrier } } })
        if (carrier === 'cookie') await addUser(app, 'acme', 'hobbes12')
        const raw = 'x:acme\0:20991231235959:abcdef'
        const headers = carrier === 'cookie' ? { cookie: `auth=${encodeURIComponent(raw)}` } : { authorization: `Bearer ${raw}` }
        const res = await app.inject({ method: 'GET', url: '/auth/me', headers })
        assert.equal(res.statusCode, 401, `${carrier}: ${res.body}`)
      }
    })

    test(`reset and confirmation tokens naming a login with a NUL are a 400 (${name})`, async (t) => {
      const { app } = await buildAccountsApp(t, { store: await storeOf(t) })
      for (const login of ['acme\0', '\0', 'acme\u007f']) {
        const token = forgedAccountToken(login)
        const reset = await app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password: 'Hobbes-1234' } })
        assert.equal(reset.statusCode, 400, reset.body)
        const confirm = await app.inject({ method: 'POST', url: '/auth/confirm', payload: { token } })
        assert.equal(confirm.statusCode, 400, confirm.body)
        const get = await app.inject({ method: 'GET', url: `/auth/confirm?token=${encodeURIComponent(token)}` })
        assert.equal(get.statusCode, 400, get.body)
      }
      const raw = await app.inject({ method: 'GET', url: '/auth/confirm?token=a%00b' })
      assert.equal(raw.statusCode, 400, raw.body)
    })

    test(`the store API answers "unknown" for logins with control characters, without a query (${name})`, async (t) => {
      const { app, store } = await buildAccountsApp(t, { store: await storeOf(t) })
      await addUser(app, 'acme', 'hobbes12')
      assert.equal(await store.getUser('acme\0'), null)
      assert.equal(await store.getPasswordHash('acme\0'), null)
      assert.equal(await store.getUserByEmail('acme\0@example.com'), null)
      assert.equal(await store.deleteUser('acme\0'), false)
      assert.deepEqual(await store.groupsOf('acme\0'), [])
      assert.equal(await store.isInGroup('acme\0', 'admin\0'), false)
      assert.deepEqual(await store.listUsers({ search: 'a\0' }), [])
      await assert.rejects(store.setActive('acme\0', false), { statusCode: 404 })
      await assert.rejects(store.membersOf('admin\0'), { statusCode: 404 })
      await assert.rejects(store.createUser({ login: 'bob\0', password: 'h' }), { statusCode: 400 })
    })

    test(`custom data nested 5000 deep is a 400 on PUT and PATCH, 32 levels are accepted (${name})`, async (t) => {
      const { app } = await buildAccountsApp(t, { store: await storeOf(t) })
      await addUser(app, 'calvin', 'hobbes12')
      const headers = { authorization: basic('calvin', 'hobbes12'), 'content-type': 'application/json' }
      for (const method of ['PUT', 'PATCH'] as const) {
        const deep = await app.inject({ method, url: '/auth/me/data', headers, payload: nested(5000) })
        assert.equal(deep.statusCode, 400, `${method}: ${deep.body}`)
        assert.match(deep.body, /nested deeper than 32 levels/)
        assert.equal((await app.inject({ method, url: '/auth/me/data', headers, payload: nested(33) })).statusCode, 400)
        const ok = await app.inject({ method, url: '/auth/me/data', headers, payload: nested(32) })
        assert.ok(ok.statusCode === 200 || ok.statusCode === 204, `${method} 32 levels: ${ok.statusCode} ${ok.body}`)
      }
      const data = await app.inject({ method: 'GET', url: '/auth/me/data', headers })
      assert.equal(data.body, nested(32))
    })
  })
}

hostileInputSuite('SQLite', async () => 'sqlite::memory:')
if (PG_URL !== undefined) hostileInputSuite('PostgreSQL', tempPgStore)
else test('hostile input on PostgreSQL', { skip: 'FSA_TEST_PG_URL not set' }, () => {})
