/**
 * Issue 12, problem 2: a deleted account's tokens must not work for a re-created account with the
 * same login. Before, the token version restarted at 0 and a version-0 fsa signature carried
 * nothing of the account, so carol's old token read the new carol's profile. Tokens are now bound
 * to a per-user uniquifier (fsa signature, JWT `unq` claim) that a new account draws afresh. On
 * SQLite and PostgreSQL (FSA_TEST_PG_URL), fsa and JWT; and for `getUserPass` applications that
 * return a uniquifier.
 */
import { describe, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import type { UserStore } from '../lib/index.js'
import { addUser, bearer, buildAccountsApp, PG_URL, tempPgStore } from './helpers/accounts-app.js'
import { buildApp } from './helpers/app.js'
import { fakeTime } from './helpers/time.js'
import { createFsaCodec } from '../lib/tokens/fsa.js'

async function recreatedLogin (t: TestContext, store: string | UserStore, type: 'fsa' | 'jwt'): Promise<void> {
  const time = fakeTime(t)
  const { app } = await buildAccountsApp(t, { store, secure: { token: { type }, cache: { clock: time.clock } } })
  await addUser(app, 'carol', 'first-password', { groups: ['staff'] })
  const old = await app.createToken('carol')
  const me = async (token: string) => await app.inject({ url: '/auth/me', headers: bearer(token) })
  assert.equal((await me(old)).statusCode, 200)

  // the account is deleted and a new one takes the login, as an administrator would through the store
  const s = app.fsa.store as UserStore
  assert.equal(await s.deleteUser('carol'), true)
  await addUser(app, 'carol', 'second-password')
  time.tick(5001) // past cache.userTtl: the app sees the new record
  const refused = await me(old)
  assert.equal(refused.statusCode, 401, "the old account's token is refused")
  assert.doesNotMatch(refused.body, /carol@example/)
  const renewed = await app.createToken('carol')
  const mine = await me(renewed)
  assert.equal(mine.statusCode, 200, "the new account's own token works")
  assert.equal(JSON.parse(mine.body).login, 'carol')
}

for (const type of ['fsa', 'jwt'] as const) {
  describe(`${type} tokens`, () => {
    test('on SQLite: a deleted account\'s token does not work for a re-created account with the same login', async (t) => {
      await recreatedLogin(t, 'sqlite::memory:', type)
    })
    test('on PostgreSQL: a deleted account\'s token does not work for a re-created account with the same login', { skip: PG_URL === undefined ? 'FSA_TEST_PG_URL not set' : false }, async (t) => {
      await recreatedLogin(t, await tempPgStore(t), type)
    })
  })
}

test('fsa tokens keep FlaskSimpleAuth\'s layout with a store: the uniquifier is signed, never written', async (t) => {
  const { app, store } = await buildAccountsApp(t)
  await addUser(app, 'carol', 'pw')
  const token = await app.createToken('carol')
  assert.match(token, /^fastify:carol:\d{14}:[0-9a-f]{32}$/)
  const uniquifier = (await store.getPasswordHash('carol'))?.uniquifier
  assert.ok(uniquifier !== undefined && !token.includes(uniquifier))
  // the same token without the uniquifier (a version-0 plain token) is not what the app issued
  const plain = createFsaCodec('x'.repeat(40), 32, 0).create('fastify', 'carol', Date.now() + 60_000)
  assert.equal((await app.inject({ url: '/auth/me', headers: { authorization: `Bearer ${plain}` } })).statusCode, 401)
})

describe('getUserPass applications', () => {
  const records = new Map<string, { password: string, uniquifier?: string }>()
  const options = (time: ReturnType<typeof fakeTime>) => ({
    auth: ['token', 'none'],
    token: { secret: 'y'.repeat(40) },
    cache: { clock: time.clock },
    getUserPass: (login: string) => records.get(login) ?? null
  })
  const routes = (app: FastifyInstance) => { app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => req.authUser) }

  for (const type of ['fsa', 'jwt'] as const) {
    test(`${type}: a uniquifier returned by getUserPass binds the tokens; a record without one keeps stateless tokens`, async (t) => {
      const time = fakeTime(t)
      records.clear()
      records.set('carol', { password: 'h', uniquifier: 'carol-1' })
      records.set('dave', { password: 'h' })
      const o = options(time)
      const app = await buildApp(t, { ...o, token: { ...o.token, type } } as never, routes)
      const carol = await app.createToken('carol')
      const dave = await app.createToken('dave')
      const get = async (token: string) => (await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })).statusCode
      assert.equal(await get(carol), 200)
      assert.equal(await get(dave), 200)
      records.set('carol', { password: 'h', uniquifier: 'carol-2' }) // carol re-created
      records.delete('dave')
      time.tick(5001)
      assert.equal(await get(carol), 401, 'bound to the old uniquifier')
      assert.equal(await get(await app.createToken('carol')), 200)
      assert.equal(await get(dave), 200, 'without a uniquifier a token is stateless until it expires (documented)')
    })
  }
})
