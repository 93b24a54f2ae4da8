// One suite, every database: SQLite in memory and in a file always, PostgreSQL when
// FSA_TEST_PG_URL is set (a fresh schema per test, dropped afterwards).
import { describe, test } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openStore } from '../lib/store/open.js'
import type { UserStore } from '../lib/store/store.js'

const PG_URL = process.env.FSA_TEST_PG_URL
let counter = 0

interface Target { name: string, skip: string | false, open: (t: TestContext) => Promise<UserStore> }

async function dropSchema (schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try { await client.query(`drop schema if exists ${schema} cascade`) } finally { await client.end() }
}

const targets: Target[] = [
  {
    name: 'sqlite in memory',
    skip: false,
    async open (t) {
      const store = await openStore('sqlite::memory:')
      t.after(() => store.close())
      return store
    }
  },
  {
    name: 'sqlite file',
    skip: false,
    async open (t) {
      const dir = mkdtempSync(join(tmpdir(), 'fsa-store-'))
      const store = await openStore(`sqlite://${join(dir, 'users.db')}`)
      t.after(async () => { await store.close(); rmSync(dir, { recursive: true, force: true }) })
      return store
    }
  },
  {
    name: 'postgres',
    skip: PG_URL === undefined ? 'FSA_TEST_PG_URL not set' : false,
    async open (t) {
      const schema = `fsa_conf_${process.pid}_${++counter}`
      const store = await openStore(PG_URL as string, { schema })
      t.after(async () => { await store.close(); await dropSchema(schema) })
      return store
    }
  }
]

const code = (c: string, status: number) => (e: unknown) => {
  assert.equal((e as { code?: string }).code, c)
  assert.equal((e as { statusCode?: number }).statusCode, status)
  return true
}

for (const target of targets) {
  describe(`store conformance: ${target.name}`, { skip: target.skip }, () => {
    test('a created user is found by login and email whatever their case, with documented defaults', async (t) => {
      const store = await target.open(t)
      const created = await store.createUser({ login: 'Calvin', email: 'Calvin@Example.org', password: 'hash1' })
      assert.equal(created.login, 'Calvin')
      assert.equal(created.email, 'Calvin@Example.org')
      assert.equal(created.active, true)
      assert.equal(created.confirmed, false)
      assert.equal(created.loginCount, 0)
      assert.equal(created.tokenVersion, 0)
      assert.equal(created.lastLoginAt, null)
      assert.ok(created.createdAt instanceof Date && Math.abs(created.createdAt.getTime() - Date.now()) < 60_000)
      assert.deepEqual(await store.getUser('CALVIN'), created)
      assert.deepEqual(await store.getUserByEmail('calvin@example.ORG'), created)
      assert.equal(await store.getUser('hobbes'), null)
      assert.equal(await store.getUserByEmail('hobbes@example.org'), null)
      const other = await store.createUser({ login: 'susie', password: 'hash2', active: false, confirmed: true, data: { a: 1 } })
      assert.equal(other.email, null)
      assert.equal(other.active, false)
      assert.equal(other.confirmed, true)
      assert.deepEqual(await store.getData('Susie'), { a: 1 })
      assert.equal(store.dialect, target.name === 'postgres' ? 'postgres' : 'sqlite')
    })

    test('duplicate logins and emails are 409 conflicts, compared case-insensitively', async (t) => {
      const store = await target.open(t)
      await store.createUser({ login: 'calvin', email: 'c@example.org', password: 'h' })
      await assert.rejects(store.createUser({ login: 'CALVIN', password: 'h' }), (e) => code('FSA_ERR_STORE_CONFLICT', 409)(e) && /login "CALVIN" already exists/.test((e as Error).message))
      await assert.rejects(store.createUser({ login: 'hobbes', email: 'C@EXAMPLE.ORG', password: 'h' }), (e) => code('FSA_ERR_STORE_CONFLICT', 409)(e) && /email/.test((e as Error).message))
      await store.createUser({ login: 'hobbes', email: 'h@example.org', password: 'h' })
      await assert.rejects(store.setEmail('hobbes', 'c@Example.org'), code('FSA_ERR_STORE_CONFLICT', 409))
      // two users without email are fine
      await store.createUser({ login: 'susie', password: 'h' })
      await store.createUser({ login: 'moe', password: 'h' })
      assert.equal((await store.listUsers()).length, 4)
    })

    test('invalid logins, emails, hashes and data are 400 errors', async (t) => {
      const store = await target.open(t)
      const invalid = code('FSA_ERR_STORE_INVALID', 400)
      await assert.rejects(store.createUser({ login: '', password: 'h' }), invalid)
      await assert.rejects(store.createUser({ login: 'a\nb', password: 'h' }), invalid)
      await assert.rejects(store.createUser({ login: 'x'.repeat(256), password: 'h' }), invalid)
      await assert.rejects(store.createUser({ login: 42 as unknown as string, password: 'h' }), invalid)
      await assert.rejects(store.createUser({ login: 'ok', email: '', password: 'h' }), invalid)
      await assert.rejects(store.createUser({ login: 'ok', password: '' }), invalid)
      await assert.rejects(store.createUser({ login: 'ok', password: 'h', data: [1, 2] }), invalid)
      await store.createUser({ login: 'ok', password: 'h' })
      await assert.rejects(store.setPassword('ok', ''), invalid)
      await assert.rejects(store.setData('ok', 'text', 100), invalid)
      await assert.rejects(store.patchData('ok', [1], 100), invalid)
      await assert.rejects(store.createGroup(''), invalid)
      assert.equal(await store.getUser(undefined as unknown as string), null)
      assert.equal(await store.getPasswordHash(null as unknown as string), null)
    })

    test('password hash and account state come back together; unknown logins give null', async (t) => {
      const store = await target.open(t)
      await store.createUser({ login: 'calvin', password: 'hash1' })
      assert.deepEqual(await store.getPasswordHash('Calvin'), { login: 'calvin', hash: 'hash1', active: true, confirmed: false, tokenVersion: 0 })
      assert.equal(await store.getPasswordHash('hobbes'), null)
      await store.setPassword('calvin', 'hash2')
      assert.deepEqual(await store.getPasswordHash('calvin'), { login: 'calvin', hash: 'hash2', active: true, confirmed: false, tokenVersion: 0 })
      await store.setPassword('calvin', 'hash3', { bumpTokenVersion: true })
      await store.setActive('calvin', false)
      await store.setConfirmed('calvin', true)
      assert.deepEqual(await store.getPasswordHash('calvin'), { login: 'calvin', hash: 'hash3', active: false, confirmed: true, tokenVersion: 1 })
      await store.setActive('calvin', true)
      await store.setConfirmed('calvin', false)
      assert.deepEqual(await store.getPasswordHash('calvin'), { login: 'calvin', hash: 'hash3', active: true, confirmed: false, tokenVersion: 1 })
    })

    test('setters on an unknown login are 404 errors', async (t) => {
      const store = await target.open(t)
      const missing = code('FSA_ERR_STORE_NOT_FOUND', 404)
      await assert.rejects(store.setPassword('ghost', 'h'), missing)
      await assert.rejects(store.setActive('ghost', true), missing)
      await assert.rejects(store.setConfirmed('ghost', true), missing)
      await assert.rejects(store.setEmail('ghost', null), missing)
      await assert.rejects(store.bumpTokenVersion('ghost'), missing)
      await assert.rejects(store.recordLogin('ghost', null), missing)
      await assert.rejects(store.getData('ghost'), missing)
      await assert.rejects(store.setData('ghost', {}, 100), missing)
      await assert.rejects(store.patchData('ghost', {}, 100), missing)
      assert.equal(await store.deleteUser('ghost'), false)
    })

    test('emails can be changed and cleared', async (t) => {
      const store = await target.open(t)
      await store.createUser({ login: 'calvin', email: 'a@example.org', password: 'h' })
      await store.setEmail('calvin', 'B@example.org')
      assert.equal((await store.getUserByEmail('b@EXAMPLE.org'))?.login, 'calvin')
      assert.equal(await store.getUserByEmail('a@example.org'), null)
      await store.setEmail('calvin', null)
      assert.equal((await store.getUser('calvin'))?.email, null)
    })

    test('token versions increase by one and concurrent logins are all counted', async (t) => {
      const store = await target.open(t)
      await store.createUser({ login: 'calvin', password: 'h' })
      assert.equal(await store.bumpTokenVersion('calvin'), 1)
      assert.equal(await store.bumpTokenVersion('CALVIN'), 2)
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.recordLogin('calvin', `10.0.0.${i}`)))
      const user = await store.getUser('calvin')
      assert.equal(user?.loginCount, 20)
      assert.match(user?.lastLoginIp ?? '', /^10\.0\.0\.\d+$/)
      assert.ok(user?.lastLoginAt instanceof Date && Math.abs(user.lastLoginAt.getTime() - Date.now()) < 60_000)
      await store.recordLogin('calvin', null)
      assert.equal((await store.getUser('calvin'))?.lastLoginIp, null)
      assert.equal(user?.tokenVersion, 2)
    })

    test('users are listed by login with paging and a literal case-insensitive search', async (t) => {
      const store = await target.open(t)
      for (const login of ['dave', 'Alice', 'carol', 'bob', 'x_y', 'x%z']) {
        await store.createUser({ login, email: `${login}@example.org`, password: 'h' })
      }
      assert.deepEqual((await store.listUsers()).map((u) => u.login), ['Alice', 'bob', 'carol', 'dave', 'x%z', 'x_y'])
      assert.deepEqual((await store.listUsers({ offset: 1, limit: 2 })).map((u) => u.login), ['bob', 'carol'])
      assert.deepEqual((await store.listUsers({ search: 'ALI' })).map((u) => u.login), ['Alice'])
      assert.deepEqual((await store.listUsers({ search: '_' })).map((u) => u.login), ['x_y'])
      assert.deepEqual((await store.listUsers({ search: '%' })).map((u) => u.login), ['x%z'])
      assert.deepEqual((await store.listUsers({ search: 'bob@' })).map((u) => u.login), ['bob'])
      assert.deepEqual(await store.listUsers({ limit: 0 }), [])
      assert.equal((await store.listUsers({ offset: -5, limit: Number.NaN })).length, 0)
    })

    test('custom data is replaced, merge-patched per RFC 7396 and limited in size', async (t) => {
      const store = await target.open(t)
      await store.createUser({ login: 'calvin', password: 'h' })
      assert.deepEqual(await store.getData('calvin'), {})
      await store.setData('calvin', { a: 1, b: { c: 2, d: 3 }, e: [1, 2] }, 1000)
      const patched = await store.patchData('Calvin', { a: null, b: { c: null, f: 'x' }, e: [3], g: { h: true } }, 1000)
      assert.deepEqual(patched, { b: { d: 3, f: 'x' }, e: [3], g: { h: true } })
      assert.deepEqual(await store.getData('calvin'), patched)
      await assert.rejects(store.setData('calvin', { big: 'x'.repeat(100) }, 50), code('FSA_ERR_STORE_TOO_LARGE', 413))
      await assert.rejects(store.patchData('calvin', { big: 'x'.repeat(100) }, 50), code('FSA_ERR_STORE_TOO_LARGE', 413))
      assert.deepEqual(await store.getData('calvin'), patched, 'a refused patch changes nothing')
      // the limit counts UTF-8 bytes, not characters
      await assert.rejects(store.setData('calvin', { s: 'é'.repeat(20) }, 40), code('FSA_ERR_STORE_TOO_LARGE', 413))
    })

    test('merge patches cannot pollute prototypes', async (t) => {
      const store = await target.open(t)
      await store.createUser({ login: 'calvin', password: 'h' })
      const attack = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 2}}, "a": {"__proto__": {"polluted": 3}, "prototype": 1, "ok": 1}}')
      const result = await store.patchData('calvin', attack, 1000)
      assert.deepEqual(result, { a: { ok: 1 } })
      await store.setData('calvin', attack, 1000)
      assert.deepEqual(await store.getData('calvin'), { a: { ok: 1 } })
      assert.equal(({} as Record<string, unknown>).polluted, undefined)
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false)
    })

    test('groups and memberships are managed by name, and deleting a user removes its memberships', async (t) => {
      const store = await target.open(t)
      await store.createUser({ login: 'Calvin', password: 'h' })
      await store.createUser({ login: 'hobbes', password: 'h' })
      await store.createGroup('admin')
      await store.createGroup('Admin')
      await assert.rejects(store.createGroup('admin'), (e) => code('FSA_ERR_STORE_CONFLICT', 409)(e) && /group "admin"/.test((e as Error).message))
      assert.deepEqual(await store.listGroups(), ['Admin', 'admin'])
      assert.equal(await store.addToGroup('calvin', 'admin'), true)
      assert.equal(await store.addToGroup('CALVIN', 'admin'), false)
      assert.equal(await store.addToGroup('hobbes', 'admin'), true)
      assert.equal(await store.addToGroup('hobbes', 'Admin'), true)
      await assert.rejects(store.addToGroup('ghost', 'admin'), (e) => code('FSA_ERR_STORE_NOT_FOUND', 404)(e) && /user "ghost"/.test((e as Error).message))
      await assert.rejects(store.addToGroup('calvin', 'ghosts'), (e) => code('FSA_ERR_STORE_NOT_FOUND', 404)(e) && /group "ghosts"/.test((e as Error).message))
      assert.deepEqual(await store.membersOf('admin'), ['Calvin', 'hobbes'])
      assert.deepEqual(await store.groupsOf('hobbes'), ['Admin', 'admin'])
      assert.deepEqual(await store.groupsOf('ghost'), [])
      assert.equal(await store.isInGroup('calvin', 'admin'), true)
      assert.equal(await store.isInGroup('calvin', 'Admin'), false)
      assert.equal(await store.isInGroup('ghost', 'admin'), false)
      await assert.rejects(store.membersOf('ghosts'), code('FSA_ERR_STORE_NOT_FOUND', 404))
      assert.equal(await store.removeFromGroup('hobbes', 'Admin'), true)
      assert.equal(await store.removeFromGroup('hobbes', 'Admin'), false)
      assert.equal(await store.removeFromGroup('ghost', 'admin'), false)
      assert.equal(await store.deleteUser('CALVIN'), true)
      assert.equal(await store.getUser('calvin'), null)
      assert.deepEqual(await store.membersOf('admin'), ['hobbes'])
      assert.equal(await store.deleteGroup('admin'), true)
      assert.equal(await store.deleteGroup('admin'), false)
      assert.deepEqual(await store.groupsOf('hobbes'), [])
    })

    test('200 concurrent creations of one login give exactly one user and 199 conflicts', async (t) => {
      const store = await target.open(t)
      const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) =>
        store.createUser({ login: i % 2 === 0 ? 'race' : 'RACE', password: `h${i}` })))
      const ok = results.filter((r) => r.status === 'fulfilled')
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      assert.equal(ok.length, 1)
      assert.equal(failed.length, 199)
      for (const f of failed) code('FSA_ERR_STORE_CONFLICT', 409)(f.reason)
      assert.equal((await store.listUsers()).length, 1)
    })

    test('50 concurrent merge patches of different keys lose no update', async (t) => {
      const store = await target.open(t)
      await store.createUser({ login: 'calvin', password: 'h' })
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.patchData('calvin', { [`k${i}`]: i }, 10_000)))
      const data = await store.getData('calvin') as Record<string, number>
      assert.equal(Object.keys(data).length, 50)
      for (let i = 0; i < 50; i++) assert.equal(data[`k${i}`], i)
    })

    test('migrations are idempotent and can be reverted and reapplied', async (t) => {
      const store = await target.open(t)
      assert.deepEqual(await store.migrate(), { direction: 'up', applied: [], errors: [] })
      await store.createUser({ login: 'calvin', password: 'h' })
      assert.deepEqual(await store.migrate('down'), { direction: 'down', applied: ['001-users'], errors: [] })
      const broken = await store.getUser('calvin').then(() => 'no error', (e: Error) => e.message)
      assert.match(broken, /users/, 'the users table is gone')
      assert.deepEqual(await store.migrate('down'), { direction: 'down', applied: [], errors: [] })
      assert.deepEqual(await store.migrate('up'), { direction: 'up', applied: ['001-users'], errors: [] })
      assert.equal(await store.getUser('calvin'), null)
    })

    test('ping answers and close can be called twice', async (t) => {
      const store = await target.open(t)
      await store.ping()
      await store.close()
      await store.close()
    })
  })
}
