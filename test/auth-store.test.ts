/**
 * Authentication on the built-in store: canonical logins, inactive accounts, legacy hashes
 * replaced after a successful login, and token revocation by version (fsa and JWT).
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import bcrypt from 'bcryptjs'
import { openStore, type SecureOptions, type UserStore } from '../lib/index.js'
import { buildApp, type TestApp } from './helpers/app.js'

const FAST = { allowWeak: true, memoryCost: 1024, timeCost: 1 }
const basic = (login: string, password: string) => ({ authorization: 'Basic ' + Buffer.from(`${login}:${password}`).toString('base64') })

async function build (t: TestContext, store: UserStore, options: Partial<SecureOptions> = {}): Promise<TestApp> {
  return await buildApp(t, { store, auth: ['token', 'basic', 'none'], token: { secret: 's'.repeat(40) }, password: FAST, ...options }, (app) => {
    app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user, scheme: req.authScheme }))
    app.get('/admin', { config: { authorize: 'admin' } }, async (req) => ({ user: req.user }))
  }, { ready: true })
}

/** An in-memory store, closed after the test (the plugin never closes a store it was given). */
async function memoryStore (t: TestContext): Promise<UserStore> {
  const store = await openStore('sqlite::memory:')
  t.after(() => store.close())
  return store
}

test('a login typed in another case authenticates as the stored spelling', async (t) => {
  const store = await memoryStore(t)
  const app = await build(t, store)
  await store.createUser({ login: 'Calvin', password: await app.hashPassword('Hobbes1', { check: false }) })
  await store.createGroup('admin')
  await store.addToGroup('Calvin', 'admin')
  const r = await app.inject({ url: '/me', headers: basic('CALVIN', 'Hobbes1') })
  assert.deepEqual(r.json(), { user: 'Calvin', scheme: 'basic' })
  assert.equal((await app.inject({ url: '/admin', headers: basic('calvin', 'Hobbes1') })).statusCode, 200)
  // uncaching the canonical login also drops what the other spelling cached
  await store.setActive('Calvin', false)
  await app.fsa.uncacheUser('Calvin')
  assert.equal((await app.inject({ url: '/me', headers: basic('CALVIN', 'Hobbes1') })).statusCode, 401)
})

test('an inactive account cannot authenticate, with a password or a token', async (t) => {
  const store = await memoryStore(t)
  const app = await build(t, store)
  await store.createUser({ login: 'susie', password: await app.hashPassword('Derkins1', { check: false }) })
  const token = await app.createToken('susie')
  assert.equal((await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 200)
  await store.setActive('susie', false)
  await app.fsa.uncacheUser('susie')
  const byPassword = await app.inject({ url: '/me', headers: basic('susie', 'Derkins1') })
  assert.equal(byPassword.statusCode, 401)
  assert.match(byPassword.body, /disabled/)
  assert.equal((await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 401)
})

test('a legacy bcrypt hash authenticates and is replaced by argon2id', async (t) => {
  const store = await memoryStore(t)
  const setPassword = store.setPassword.bind(store)
  const rehashed = new Promise<void>((resolve) => {
    store.setPassword = async (...args) => { await setPassword(...args); resolve() }
  })
  const app = await build(t, store)
  await store.createUser({ login: 'hobbes', password: bcrypt.hashSync('Tiger123', 4) })
  assert.equal((await app.inject({ url: '/me', headers: basic('hobbes', 'Tiger123') })).statusCode, 200)
  await rehashed // the new hash is written after the answer: wait for the write, not for a while
  const hash = (await store.getPasswordHash('hobbes'))?.hash ?? ''
  assert.match(hash, /^\$argon2id\$/)
  await app.fsa.clearCaches()
  assert.equal((await app.inject({ url: '/me', headers: basic('hobbes', 'Tiger123') })).statusCode, 200)
  assert.equal((await app.inject({ url: '/me', headers: basic('hobbes', 'wrong') })).statusCode, 401)
})

for (const type of ['fsa', 'jwt'] as const) {
  test(`bumping the token version revokes ${type} tokens and new ones work`, async (t) => {
    const store = await memoryStore(t)
    const app = await build(t, store, { token: { type, secret: 's'.repeat(40) } })
    await store.createUser({ login: 'rosalyn', password: await app.hashPassword('Sitter12', { check: false }) })
    const old = await app.createToken('rosalyn')
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` })
    assert.equal((await app.inject({ url: '/me', headers: bearer(old) })).statusCode, 200)
    await store.bumpTokenVersion('rosalyn')
    await app.fsa.uncacheUser('rosalyn')
    assert.equal((await app.inject({ url: '/me', headers: bearer(old) })).statusCode, 401)
    const fresh = await app.createToken('rosalyn')
    assert.deepEqual((await app.inject({ url: '/me', headers: bearer(fresh) })).json(), { user: 'rosalyn', scheme: 'token' })
  })
}

test('store: "env" opens FSA_DB_URL, logs the migrations it applied, and needs the variable', async (t) => {
  const saved = process.env.FSA_DB_URL
  t.after(() => { if (saved === undefined) delete process.env.FSA_DB_URL; else process.env.FSA_DB_URL = saved })
  process.env.FSA_DB_URL = 'sqlite::memory:'
  const app = await buildApp(t, { store: 'env', auth: ['basic'], password: FAST }, undefined, { logs: 'info', ready: true })
  assert.equal(app.fsa.store?.dialect, 'sqlite')
  assert.ok(app.logs.lines.some((l) => /store migrations applied: 001/.test(l)), app.logs.text())
  delete process.env.FSA_DB_URL
  await assert.rejects(buildApp(t, { store: 'env', auth: ['basic'], password: FAST }), { code: 'FSA_ERR_OPT_INVALID', message: /FSA_DB_URL/ })
})

test('a store excludes getUserPass and userInGroup, and must be a URL or a UserStore', async (t) => {
  await assert.rejects(buildApp(t, { store: 'sqlite::memory:', getUserPass: () => null, password: FAST }), { code: 'FSA_ERR_OPT_INVALID', message: /do not give them too/ })
  await assert.rejects(buildApp(t, { store: { hello: 'world' } as unknown as UserStore, password: FAST }), { code: 'FSA_ERR_OPT_INVALID', message: /URL or a UserStore/ })
  await assert.rejects(buildApp(t, { store: 'mysql://x', password: FAST }), { code: 'FSA_ERR_STORE_URL' })
})
