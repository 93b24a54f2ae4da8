/**
 * The store conformance cases about users: creation and lookup, conflicts, invalid input,
 * password hashes and account state, unknown logins, emails, token versions and listing.
 * Each case runs on a fresh, empty store (see store-conformance.ts).
 */
import assert from 'node:assert/strict'
import { expectError as code, type StoreCase } from './store-case.js'

/** Cases about users and their credentials, in the order they run. */
export const userCases: readonly StoreCase[] = [
  {
    name: 'a created user is found by login and email whatever their case, with documented defaults',
    async run (store, settings) {
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
      if (settings.dialect !== undefined) assert.equal(store.dialect, settings.dialect)
    }
  },
  {
    name: 'duplicate logins and emails are 409 conflicts, compared case-insensitively',
    async run (store) {
      await store.createUser({ login: 'calvin', email: 'c@example.org', password: 'h' })
      await assert.rejects(store.createUser({ login: 'CALVIN', password: 'h' }), (e) => code('FSA_ERR_STORE_CONFLICT', 409)(e) && /login "CALVIN" already exists/.test((e as Error).message))
      await assert.rejects(store.createUser({ login: 'hobbes', email: 'C@EXAMPLE.ORG', password: 'h' }), (e) => code('FSA_ERR_STORE_CONFLICT', 409)(e) && /email/.test((e as Error).message))
      await store.createUser({ login: 'hobbes', email: 'h@example.org', password: 'h' })
      await assert.rejects(store.setEmail('hobbes', 'c@Example.org'), code('FSA_ERR_STORE_CONFLICT', 409))
      // two users without email are fine
      await store.createUser({ login: 'susie', password: 'h' })
      await store.createUser({ login: 'moe', password: 'h' })
      assert.equal((await store.listUsers()).length, 4)
    }
  },
  {
    name: 'invalid logins, emails, hashes and data are 400 errors',
    async run (store) {
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
    }
  },
  {
    name: 'password hash and account state come back together; unknown logins give null',
    async run (store) {
      await store.createUser({ login: 'calvin', password: 'hash1' })
      const first = await store.getPasswordHash('Calvin')
      const uniquifier = first?.uniquifier ?? ''
      assert.match(uniquifier, /^[\w-]{16,}$/, 'a random uniquifier of at least 16 characters')
      assert.deepEqual(first, { login: 'calvin', hash: 'hash1', active: true, confirmed: false, tokenVersion: 0, uniquifier })
      assert.equal(await store.getPasswordHash('hobbes'), null)
      await store.setPassword('calvin', 'hash2')
      assert.deepEqual(await store.getPasswordHash('calvin'), { login: 'calvin', hash: 'hash2', active: true, confirmed: false, tokenVersion: 0, uniquifier })
      await store.setPassword('calvin', 'hash3', { bumpTokenVersion: true })
      await store.setActive('calvin', false)
      await store.setConfirmed('calvin', true)
      assert.deepEqual(await store.getPasswordHash('calvin'), { login: 'calvin', hash: 'hash3', active: false, confirmed: true, tokenVersion: 1, uniquifier })
      await store.setActive('calvin', true)
      await store.setConfirmed('calvin', false)
      assert.deepEqual(await store.getPasswordHash('calvin'), { login: 'calvin', hash: 'hash3', active: true, confirmed: false, tokenVersion: 1, uniquifier })
    }
  },
  {
    name: 'a login deleted and created again gets a new uniquifier (its old tokens die with it)',
    async run (store) {
      await store.createUser({ login: 'carol', password: 'h' })
      await store.createUser({ login: 'dave', password: 'h' })
      const old = (await store.getPasswordHash('carol'))?.uniquifier
      assert.notEqual(old, (await store.getPasswordHash('dave'))?.uniquifier)
      assert.equal(await store.deleteUser('carol'), true)
      await store.createUser({ login: 'Carol', password: 'h' })
      const renewed = (await store.getPasswordHash('carol'))?.uniquifier
      assert.equal(typeof renewed, 'string')
      assert.notEqual(renewed, old)
    }
  },
  {
    name: 'setters on an unknown login are 404 errors',
    async run (store) {
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
    }
  },
  {
    name: 'emails can be changed and cleared',
    async run (store) {
      await store.createUser({ login: 'calvin', email: 'a@example.org', password: 'h' })
      await store.setEmail('calvin', 'B@example.org')
      assert.equal((await store.getUserByEmail('b@EXAMPLE.org'))?.login, 'calvin')
      assert.equal(await store.getUserByEmail('a@example.org'), null)
      await store.setEmail('calvin', null)
      assert.equal((await store.getUser('calvin'))?.email, null)
    }
  },
  {
    name: 'token versions increase by one and concurrent logins are all counted',
    async run (store) {
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
    }
  },
  {
    name: 'users are listed by login with paging and a literal case-insensitive search',
    async run (store) {
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
    }
  }
]
