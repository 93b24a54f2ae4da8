// Sessions of the account routes (issue 12, problem 4): logout revokes the presented session,
// GET/DELETE /auth/sessions list and end one's own sessions, everywhere=true ends all of them;
// on SQLite, and on PostgreSQL when FSA_TEST_PG_URL is set.
import { describe, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { UserStore } from '../lib/index.js'
import { addUser, bearer, buildAccountsApp, PG_URL, tempPgStore, type BuildOptions } from './helpers/accounts-app.js'

const login = (login: string, password: string, agent = 'test-agent/1') =>
  ({ method: 'POST' as const, url: '/auth/login', payload: { login, password }, headers: { 'user-agent': agent } })

const backends: Array<[string, (t: TestContext) => Promise<BuildOptions>, string | false]> = [
  ['SQLite', async () => ({}), false],
  ['PostgreSQL', async (t) => ({ store: await tempPgStore(t) as UserStore }), PG_URL === undefined ? 'FSA_TEST_PG_URL not set' : false]
]

for (const [name, options, skip] of backends) {
  describe(`sessions on ${name}`, { skip }, () => {
    test('after logout the same bearer token is refused (401), and another session still works', async (t) => {
      const { app } = await buildAccountsApp(t, await options(t))
      await addUser(app, 'calvin', 'hobbes')
      const a = (await app.inject(login('calvin', 'hobbes'))).json().token as string
      const b = (await app.inject(login('calvin', 'hobbes'))).json().token as string
      assert.equal((await app.inject({ url: '/auth/me', headers: bearer(a) })).statusCode, 200)
      assert.equal((await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(a) })).statusCode, 204)
      const after = await app.inject({ url: '/auth/me', headers: bearer(a) })
      assert.equal(after.statusCode, 401)
      assert.match(after.body, /revoked/)
      assert.equal((await app.inject({ url: '/auth/me', headers: bearer(b) })).statusCode, 200, 'only the presented session ends')
      assert.equal((await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(a) })).statusCode, 401, 'logging out twice is refused')
    })

    test('after logout the same cookie is refused (401)', async (t) => {
      const { app } = await buildAccountsApp(t, { ...await options(t), secure: { token: { carrier: 'cookie', name: 'auth' } }, users: { loginToken: 'cookie' } })
      await addUser(app, 'calvin', 'hobbes')
      const cookie = (await app.inject(login('calvin', 'hobbes'))).cookies.find((c) => c.name === 'auth')?.value as string
      assert.equal((await app.inject({ url: '/auth/me', cookies: { auth: cookie } })).statusCode, 200)
      const out = await app.inject({ method: 'POST', url: '/auth/logout', cookies: { auth: cookie } })
      assert.equal(out.statusCode, 204)
      assert.equal(out.cookies.find((c) => c.name === 'auth')?.value, '', 'cleared, not renewed')
      assert.equal((await app.inject({ url: '/auth/me', cookies: { auth: cookie } })).statusCode, 401)
    })

    test('GET /auth/sessions lists my live sessions with address, agent, times and the current one', async (t) => {
      const { app } = await buildAccountsApp(t, await options(t))
      await addUser(app, 'calvin', 'hobbes')
      await addUser(app, 'hobbes', 'calvin')
      const a = (await app.inject(login('calvin', 'hobbes', 'agent-a'))).json().token as string
      await app.inject(login('calvin', 'hobbes', 'agent-b'))
      await app.inject(login('hobbes', 'calvin'))
      const res = await app.inject({ url: '/auth/sessions', headers: bearer(a) })
      assert.equal(res.statusCode, 200)
      const sessions = res.json().sessions as Array<Record<string, unknown>>
      assert.equal(sessions.length, 2, "hobbes's session is not listed")
      assert.deepEqual(sessions.map((s) => s.userAgent).sort(), ['agent-a', 'agent-b'])
      const current = sessions.filter((s) => s.current === true)
      assert.equal(current.length, 1)
      assert.equal(current[0]?.userAgent, 'agent-a')
      for (const s of sessions) {
        assert.match(String(s.id), /^[A-Za-z0-9_-]{22}$/)
        assert.equal(s.ip, '127.0.0.1')
        assert.equal(new Date(String(s.lastSeenAt)).getTime() % 60_000, 0, 'minute resolution')
        assert.ok(new Date(String(s.expiresAt)).getTime() > Date.now())
      }
      assert.equal((await app.inject({ url: '/auth/sessions' })).statusCode, 401)
    })

    test('DELETE /auth/sessions/:id ends one of my sessions; other users\' ids and bad ids are refused', async (t) => {
      const { app } = await buildAccountsApp(t, await options(t))
      await addUser(app, 'calvin', 'hobbes')
      await addUser(app, 'hobbes', 'calvin')
      const a = (await app.inject(login('calvin', 'hobbes', 'a'))).json().token as string
      const b = (await app.inject(login('calvin', 'hobbes', 'b'))).json().token as string
      const h = (await app.inject(login('hobbes', 'calvin'))).json().token as string
      const idOf = async (token: string) => ((await app.inject({ url: '/auth/sessions', headers: bearer(token) })).json().sessions as Array<{ id: string, current: boolean }>).find((s) => s.current)?.id as string
      const [idB, idH] = [await idOf(b), await idOf(h)]
      const theirs = await app.inject({ method: 'DELETE', url: `/auth/sessions/${idH}`, headers: bearer(a) })
      assert.equal(theirs.statusCode, 404, "another user's session is not mine")
      assert.equal((await app.inject({ url: '/auth/me', headers: bearer(h) })).statusCode, 200, 'and it still works')
      for (const bad of ['x', 'A'.repeat(23), '%00'.repeat(8), 'a:b'.repeat(8), '..%2F..%2Fetc']) {
        const res = await app.inject({ method: 'DELETE', url: `/auth/sessions/${bad}`, headers: bearer(a) })
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${bad}: ${res.statusCode}`)
      }
      assert.equal((await app.inject({ method: 'DELETE', url: `/auth/sessions/${'A'.repeat(22)}`, headers: bearer(a) })).statusCode, 404)
      assert.equal((await app.inject({ method: 'DELETE', url: `/auth/sessions/${idB}`, headers: bearer(a) })).statusCode, 204)
      assert.equal((await app.inject({ url: '/auth/me', headers: bearer(b) })).statusCode, 401, 'the ended session is refused')
      assert.equal((await app.inject({ url: '/auth/me', headers: bearer(a) })).statusCode, 200)
      assert.equal((await app.inject({ method: 'DELETE', url: `/auth/sessions/${idB}`, headers: bearer(a) })).statusCode, 404, 'ending it twice')
    })

    test('logout with everywhere=true ends every session of the user and nobody else\'s', async (t) => {
      const { app } = await buildAccountsApp(t, await options(t))
      await addUser(app, 'calvin', 'hobbes')
      await addUser(app, 'hobbes', 'calvin')
      const a = (await app.inject(login('calvin', 'hobbes'))).json().token as string
      const b = (await app.inject(login('calvin', 'hobbes'))).json().token as string
      const stateless = await app.createToken('calvin')
      const h = (await app.inject(login('hobbes', 'calvin'))).json().token as string
      assert.equal((await app.inject({ method: 'POST', url: '/auth/logout?everywhere=true', headers: bearer(a) })).statusCode, 204)
      for (const token of [a, b, stateless]) assert.equal((await app.inject({ url: '/auth/me', headers: bearer(token) })).statusCode, 401)
      assert.equal((await app.inject({ url: '/auth/me', headers: bearer(h) })).statusCode, 200)
      const fresh = (await app.inject(login('calvin', 'hobbes'))).json().token as string
      const list = await app.inject({ url: '/auth/sessions', headers: bearer(fresh) })
      assert.equal(list.json().sessions.length, 1, 'only the new session is live')
    })

    test('a stateless token (createToken) logged out is revoked by its hash; other tokens live on', async (t) => {
      const { app, store } = await buildAccountsApp(t, await options(t))
      await addUser(app, 'calvin', 'hobbes')
      const one = await app.createToken('calvin')
      const two = await app.createToken('calvin', { delay: 30 })
      assert.equal((await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(one) })).statusCode, 204)
      assert.equal((await app.inject({ url: '/auth/me', headers: bearer(one) })).statusCode, 401)
      assert.equal((await app.inject({ url: '/auth/me', headers: bearer(two) })).statusCode, 200)
      const { createHash } = await import('node:crypto')
      assert.equal(await store.sessions.isTokenRevoked(createHash('sha256').update(one).digest('hex')), true)
      assert.equal((await store.sessions.listSessions('calvin')).length, 0, 'stateless tokens record no session')
    })
  })
}
