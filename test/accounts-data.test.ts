// GET /auth/me and the custom data routes: profile, GET/PUT/PATCH, merge patch, size cap, concurrency.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addUser, basic, buildAccountsApp, tempSqliteUrl } from './helpers/accounts-app.js'

const auth = { authorization: basic('calvin', 'hobbes') }

test('me shows the profile and the groups of the caller, never the hash', async (t) => {
  const { app } = await buildAccountsApp(t)
  await addUser(app, 'calvin', 'hobbes', { groups: ['kids', 'gross'] })
  const res = await app.inject({ method: 'GET', url: '/auth/me', headers: auth })
  assert.equal(res.statusCode, 200)
  const me = res.json()
  assert.equal(me.login, 'calvin')
  assert.equal(me.email, 'calvin@example.com')
  assert.deepEqual(me.groups, ['gross', 'kids'])
  assert.equal(me.confirmed, true)
  assert.match(me.createdAt, /^\d{4}-\d\d-\d\dT/)
  assert.doesNotMatch(res.body, /argon2/)
  assert.equal((await app.inject({ method: 'GET', url: '/auth/me' })).statusCode, 401)
})

test('custom data starts empty, is replaced by PUT and merged by PATCH in both media types', async (t) => {
  const { app } = await buildAccountsApp(t)
  await addUser(app, 'calvin', 'hobbes')
  const get = async () => (await app.inject({ method: 'GET', url: '/auth/me/data', headers: auth })).json()
  assert.deepEqual(await get(), {})
  const put = await app.inject({ method: 'PUT', url: '/auth/me/data', headers: auth, payload: { tiger: 'hobbes', toys: ['wagon'], nested: { a: 1, b: 2 } } })
  assert.equal(put.statusCode, 204)
  assert.deepEqual(await get(), { tiger: 'hobbes', toys: ['wagon'], nested: { a: 1, b: 2 } })
  const merge = await app.inject({
    method: 'PATCH',
    url: '/auth/me/data',
    headers: { ...auth, 'content-type': 'application/merge-patch+json' },
    payload: JSON.stringify({ nested: { a: null, c: 3 }, toys: null, sled: true })
  })
  assert.equal(merge.statusCode, 200)
  assert.deepEqual(merge.json(), { tiger: 'hobbes', nested: { b: 2, c: 3 }, sled: true })
  const plain = await app.inject({ method: 'PATCH', url: '/auth/me/data', headers: auth, payload: { sled: false } })
  assert.equal(plain.statusCode, 200)
  assert.deepEqual(await get(), { tiger: 'hobbes', nested: { b: 2, c: 3 }, sled: false })
})

test('data larger than the cap is a 413 and leaves the stored data unchanged', async (t) => {
  const { app } = await buildAccountsApp(t, { users: { dataLimit: 100 } })
  await addUser(app, 'calvin', 'hobbes')
  await app.inject({ method: 'PUT', url: '/auth/me/data', headers: auth, payload: { keep: 1 } })
  const big = { text: 'x'.repeat(120) }
  const put = await app.inject({ method: 'PUT', url: '/auth/me/data', headers: auth, payload: big })
  assert.equal(put.statusCode, 413)
  assert.match(put.body, /too large/)
  const patch = await app.inject({ method: 'PATCH', url: '/auth/me/data', headers: auth, payload: big })
  assert.equal(patch.statusCode, 413)
  const huge = await app.inject({ method: 'PUT', url: '/auth/me/data', headers: auth, payload: { text: 'x'.repeat(10_000) } })
  assert.equal(huge.statusCode, 413, 'over the route body limit')
  const hugePatch = await app.inject({ method: 'PATCH', url: '/auth/me/data', headers: { ...auth, 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify({ text: 'x'.repeat(10_000) }) })
  assert.equal(hugePatch.statusCode, 413)
  assert.deepEqual((await app.inject({ method: 'GET', url: '/auth/me/data', headers: auth })).json(), { keep: 1 })
})

test('the default cap is 64 KiB', async (t) => {
  const { app } = await buildAccountsApp(t)
  await addUser(app, 'calvin', 'hobbes')
  const fits = await app.inject({ method: 'PUT', url: '/auth/me/data', headers: auth, payload: { t: 'x'.repeat(60_000) } })
  assert.equal(fits.statusCode, 204)
  const over = await app.inject({ method: 'PUT', url: '/auth/me/data', headers: auth, payload: { t: 'x'.repeat(70_000) } })
  assert.equal(over.statusCode, 413)
})

test('data that is not a JSON object is a 400 naming the body, and prototype keys are refused', async (t) => {
  const { app, store } = await buildAccountsApp(t)
  await addUser(app, 'calvin', 'hobbes')
  for (const payload of ['[1,2]', '"text"', '42', 'null']) {
    for (const method of ['PUT', 'PATCH'] as const) {
      const res = await app.inject({ method, url: '/auth/me/data', headers: { ...auth, 'content-type': 'application/json' }, payload })
      assert.equal(res.statusCode, 400, `${method} ${payload}`)
      assert.match(res.body, /body/)
    }
  }
  const broken = await app.inject({ method: 'PATCH', url: '/auth/me/data', headers: { ...auth, 'content-type': 'application/merge-patch+json' }, payload: '{"a":' })
  assert.equal(broken.statusCode, 400)
  const poison = await app.inject({ method: 'PATCH', url: '/auth/me/data', headers: { ...auth, 'content-type': 'application/merge-patch+json' }, payload: '{"__proto__":{"admin":true}}' })
  assert.equal(poison.statusCode, 400)
  const text = await app.inject({ method: 'PUT', url: '/auth/me/data', headers: { ...auth, 'content-type': 'application/xml' }, payload: '<a/>' })
  assert.equal(text.statusCode, 415)
  assert.deepEqual(await store.getData('calvin'), {})
  assert.equal(({} as Record<string, unknown>).admin, undefined)
})

test('concurrent PATCHes on a SQLite file lose no acknowledged update', async (t) => {
  const { url } = tempSqliteUrl(t)
  const { app, store } = await buildAccountsApp(t, { store: url })
  await addUser(app, 'calvin', 'hobbes')
  const token = await app.createToken('calvin')
  const n = 100
  const results = await Promise.all(Array.from({ length: n }, (_, i) => app.inject({
    method: 'PATCH',
    url: '/auth/me/data',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/merge-patch+json' },
    payload: JSON.stringify({ [`k${i}`]: i, counter: i })
  })))
  const acknowledged = results.map((r, i) => [r.statusCode, i] as const).filter(([s]) => s === 200).map(([, i]) => i)
  assert.equal(acknowledged.length, n)
  const data = await store.getData('calvin') as Record<string, number>
  for (const i of acknowledged) assert.equal(data[`k${i}`], i)
})
