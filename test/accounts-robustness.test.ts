// Robustness: concurrent registrations, unavailable or locked databases (503 then recovery),
// concurrent custom-data patches on PostgreSQL.
import { describe, test } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import Database from 'better-sqlite3'
import { openStore, type UserStore } from '../lib/index.js'
import { addUser, basic, buildAccountsApp, PG_URL, tempPgStore, tempSqliteUrl } from './helpers/accounts-app.js'

async function registrationRace (t: TestContext, store: string | UserStore): Promise<void> {
  const { app, store: s } = await buildAccountsApp(t, { store, users: { confirmOnRegister: false } })
  const n = 200
  const results = await Promise.all(Array.from({ length: n }, (_, i) => app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { login: i % 2 === 0 ? 'calvin' : 'CALVIN', email: `calvin${i}@example.com`, password: 'hobbes' }
  })))
  const counts: Record<number, number> = {}
  for (const r of results) counts[r.statusCode] = (counts[r.statusCode] ?? 0) + 1
  assert.deepEqual(counts, { 201: 1, 409: n - 1 })
  assert.equal((await s.listUsers()).length, 1)
}

test('200 concurrent registrations of one login on a SQLite file: one 201, 199 409, no 5xx', async (t) => {
  await registrationRace(t, tempSqliteUrl(t).url)
})

test('a locked SQLite database answers 503 with a clear message, then recovers', async (t) => {
  const { url, path } = tempSqliteUrl(t)
  const store = await openStore(url, { busyTimeout: 50 })
  t.after(() => store.close())
  const { app } = await buildAccountsApp(t, { store })
  await addUser(app, 'calvin', 'hobbes')
  const locker = new Database(path)
  t.after(() => { if (locker.open) locker.close() })
  locker.exec('begin exclusive')
  const register = { method: 'POST' as const, url: '/auth/register', payload: { login: 'susie', email: 'susie@example.com', password: 'derkins' } }
  const locked = await app.inject(register)
  assert.equal(locked.statusCode, 503)
  assert.equal(locked.body, 'user store unavailable, retry later')
  const patch = await app.inject({ method: 'PATCH', url: '/auth/me/data', headers: { authorization: basic('calvin', 'hobbes') }, payload: { a: 1 } })
  assert.equal(patch.statusCode, 503)
  locker.exec('commit')
  locker.close()
  assert.equal((await app.inject(register)).statusCode, 201)
  assert.equal((await app.inject({ method: 'PATCH', url: '/auth/me/data', headers: { authorization: basic('calvin', 'hobbes') }, payload: { a: 1 } })).statusCode, 200)
})

test('an unreachable PostgreSQL answers 503 on every account route instead of crashing', async (t) => {
  const store = await openStore('postgres://postgres@127.0.0.1:1/test', { migrate: false, connectTimeout: 500 })
  t.after(() => store.close())
  const { app } = await buildAccountsApp(t, { store })
  const requests = [
    { method: 'POST' as const, url: '/auth/register', payload: { login: 'calvin', email: 'calvin@example.com', password: 'hobbes' } },
    { method: 'POST' as const, url: '/auth/login', payload: { login: 'calvin', password: 'hobbes' } },
    { method: 'POST' as const, url: '/auth/password/forgot', payload: { email: 'calvin@example.com' } },
    { method: 'POST' as const, url: '/auth/confirm', payload: { token: 'Y2Fsdmlu.zzzzzz.abc' } },
    { method: 'GET' as const, url: '/auth/me', headers: { authorization: basic('calvin', 'hobbes') } }
  ]
  for (const r of requests) {
    const res = await app.inject(r)
    assert.equal(res.statusCode, 503, r.url)
    assert.equal(res.body, 'user store unavailable, retry later', r.url)
  }
})

describe('on PostgreSQL', { skip: PG_URL === undefined ? 'FSA_TEST_PG_URL not set' : false }, () => {
  test('200 concurrent registrations of one login: one 201, 199 409, no 5xx', async (t) => {
    await registrationRace(t, await tempPgStore(t))
  })

  test('concurrent custom-data PATCHes lose no acknowledged update', async (t) => {
    const { app, store } = await buildAccountsApp(t, { store: await tempPgStore(t) })
    await addUser(app, 'calvin', 'hobbes')
    const token = await app.createToken('calvin')
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => app.inject({
      method: 'PATCH',
      url: '/auth/me/data',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/merge-patch+json' },
      payload: JSON.stringify({ [`k${i}`]: i })
    })))
    assert.deepEqual(results.map((r) => r.statusCode), results.map(() => 200))
    const data = await store.getData('calvin') as Record<string, number>
    results.forEach((_, i) => assert.equal(data[`k${i}`], i))
  })
})
