/**
 * Authentication on the built-in store: canonical logins, inactive accounts, legacy hashes
 * replaced after a successful login, and token revocation by version (fsa and JWT).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance } from 'fastify'
import bcrypt from 'bcryptjs'
import secure, { type SecureOptions } from '../lib/index.js'
import { openStore } from '../lib/store/open.js'
import type { UserStore } from '../lib/store/store.js'

const FAST = { allowWeak: true, memoryCost: 1024, timeCost: 1 }
const basic = (login: string, password: string) => ({ authorization: 'Basic ' + Buffer.from(`${login}:${password}`).toString('base64') })

async function build (store: UserStore, options: Partial<SecureOptions> = {}): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(secure, { store, auth: ['token', 'basic', 'none'], token: { secret: 's'.repeat(40) }, password: FAST, ...options })
  app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user, scheme: req.authScheme }))
  app.get('/admin', { config: { authorize: 'admin' } }, async (req) => ({ user: req.user }))
  await app.ready()
  return app
}

test('a login typed in another case authenticates as the stored spelling', async () => {
  const store = await openStore('sqlite::memory:')
  const app = await build(store)
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
  await app.close()
  await store.close()
})

test('an inactive account cannot authenticate, with a password or a token', async () => {
  const store = await openStore('sqlite::memory:')
  const app = await build(store)
  await store.createUser({ login: 'susie', password: await app.hashPassword('Derkins1', { check: false }) })
  const token = await app.createToken('susie')
  assert.equal((await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 200)
  await store.setActive('susie', false)
  await app.fsa.uncacheUser('susie')
  const byPassword = await app.inject({ url: '/me', headers: basic('susie', 'Derkins1') })
  assert.equal(byPassword.statusCode, 401)
  assert.match(byPassword.body, /disabled/)
  assert.equal((await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 401)
  await app.close()
  await store.close()
})

test('a legacy bcrypt hash authenticates and is replaced by argon2id', async () => {
  const store = await openStore('sqlite::memory:')
  const app = await build(store)
  await store.createUser({ login: 'hobbes', password: bcrypt.hashSync('Tiger123', 4) })
  assert.equal((await app.inject({ url: '/me', headers: basic('hobbes', 'Tiger123') })).statusCode, 200)
  let hash = ''
  for (let i = 0; i < 50 && !hash.startsWith('$argon2id$'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    hash = (await store.getPasswordHash('hobbes'))?.hash ?? ''
  }
  assert.match(hash, /^\$argon2id\$/)
  await app.fsa.clearCaches()
  assert.equal((await app.inject({ url: '/me', headers: basic('hobbes', 'Tiger123') })).statusCode, 200)
  assert.equal((await app.inject({ url: '/me', headers: basic('hobbes', 'wrong') })).statusCode, 401)
  await app.close()
  await store.close()
})

for (const type of ['fsa', 'jwt'] as const) {
  test(`bumping the token version revokes ${type} tokens and new ones work`, async () => {
    const store = await openStore('sqlite::memory:')
    const app = await build(store, { token: { type, secret: 's'.repeat(40) } })
    await store.createUser({ login: 'rosalyn', password: await app.hashPassword('Sitter12', { check: false }) })
    const old = await app.createToken('rosalyn')
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` })
    assert.equal((await app.inject({ url: '/me', headers: bearer(old) })).statusCode, 200)
    await store.bumpTokenVersion('rosalyn')
    await app.fsa.uncacheUser('rosalyn')
    assert.equal((await app.inject({ url: '/me', headers: bearer(old) })).statusCode, 401)
    const fresh = await app.createToken('rosalyn')
    assert.deepEqual((await app.inject({ url: '/me', headers: bearer(fresh) })).json(), { user: 'rosalyn', scheme: 'token' })
    await app.close()
    await store.close()
  })
}

test('store: "env" opens FSA_DB_URL, logs the migrations it applied, and needs the variable', async (t) => {
  const lines: string[] = []
  const stream = { write: (line: string) => { lines.push(line) } }
  const saved = process.env.FSA_DB_URL
  t.after(() => { if (saved === undefined) delete process.env.FSA_DB_URL; else process.env.FSA_DB_URL = saved })
  process.env.FSA_DB_URL = 'sqlite::memory:'
  const app = Fastify({ logger: { level: 'info', stream } })
  await app.register(secure, { store: 'env', auth: ['basic'], password: FAST })
  await app.ready()
  assert.equal(app.fsa.store?.dialect, 'sqlite')
  assert.ok(lines.some((l) => /store migrations applied: 001/.test(l)), lines.join('\n'))
  await app.close()
  delete process.env.FSA_DB_URL
  const missing = Fastify()
  missing.register(secure, { store: 'env', auth: ['basic'], password: FAST })
  await assert.rejects(async () => { await missing.ready() }, { code: 'FSA_ERR_OPT_INVALID', message: /FSA_DB_URL/ })
})

test('a store excludes getUserPass and userInGroup, and must be a URL or a UserStore', async () => {
  const both = Fastify()
  both.register(secure, { store: 'sqlite::memory:', getUserPass: () => null, password: FAST })
  await assert.rejects(async () => { await both.ready() }, { code: 'FSA_ERR_OPT_INVALID', message: /do not give them too/ })
  const junk = Fastify()
  junk.register(secure, { store: { hello: 'world' } as unknown as UserStore, password: FAST })
  await assert.rejects(async () => { await junk.ready() }, { code: 'FSA_ERR_OPT_INVALID', message: /URL or a UserStore/ })
  const badUrl = Fastify()
  badUrl.register(secure, { store: 'mysql://x', password: FAST })
  await assert.rejects(async () => { await badUrl.ready() }, { code: 'FSA_ERR_STORE_URL' })
})
