/**
 * The store conformance cases about custom data, groups, concurrency and the store's life
 * cycle (migrations, ping, close). Each case runs on a fresh, empty store (see
 * store-conformance.ts).
 */
import assert from 'node:assert/strict'
import { expectError as code, type StoreCase } from './store-case.js'

/** Cases about custom data, groups, concurrent writes, migrations and closing, in the order they run. */
export const dataAndGroupCases: readonly StoreCase[] = [
  {
    name: 'custom data is replaced, merge-patched per RFC 7396 and limited in size',
    async run (store) {
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
    }
  },
  {
    name: 'merge patches cannot pollute prototypes',
    async run (store) {
      await store.createUser({ login: 'calvin', password: 'h' })
      const attack = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 2}}, "a": {"__proto__": {"polluted": 3}, "prototype": 1, "ok": 1}}')
      const result = await store.patchData('calvin', attack, 1000)
      assert.deepEqual(result, { a: { ok: 1 } })
      await store.setData('calvin', attack, 1000)
      assert.deepEqual(await store.getData('calvin'), { a: { ok: 1 } })
      assert.equal(({} as Record<string, unknown>).polluted, undefined)
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false)
    }
  },
  {
    name: 'groups and memberships are managed by name, and deleting a user removes its memberships',
    async run (store) {
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
    }
  },
  {
    name: '200 concurrent creations of one login give exactly one user and 199 conflicts',
    async run (store) {
      const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) =>
        store.createUser({ login: i % 2 === 0 ? 'race' : 'RACE', password: `h${i}` })))
      const ok = results.filter((r) => r.status === 'fulfilled')
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      assert.equal(ok.length, 1)
      assert.equal(failed.length, 199)
      for (const f of failed) code('FSA_ERR_STORE_CONFLICT', 409)(f.reason)
      assert.equal((await store.listUsers()).length, 1)
    }
  },
  {
    name: '50 concurrent merge patches of different keys lose no update',
    async run (store) {
      await store.createUser({ login: 'calvin', password: 'h' })
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.patchData('calvin', { [`k${i}`]: i }, 10_000)))
      const data = await store.getData('calvin') as Record<string, number>
      assert.equal(Object.keys(data).length, 50)
      for (let i = 0; i < 50; i++) assert.equal(data[`k${i}`], i)
    }
  },
  {
    name: 'migrations are idempotent and can be reverted and reapplied',
    async run (store, settings) {
      assert.deepEqual(await store.migrate(), { direction: 'up', applied: [], errors: [] })
      await store.createUser({ login: 'calvin', password: 'h' })
      // each `down` reverts the most recent migration; the first one (settings.migration) creates the users table
      const reverted: string[] = []
      for (let i = 0; i < 100; i++) {
        const down = await store.migrate('down')
        assert.deepEqual([down.direction, down.errors], ['down', []])
        if (down.applied.length === 0) break
        assert.equal(down.applied.length, 1, 'one migration per down')
        reverted.push(...down.applied)
      }
      assert.equal(reverted.at(-1), settings.migration)
      const broken = await store.getUser('calvin').then(() => 'no error', (e: Error) => e.message)
      assert.match(broken, /users/, 'the users table is gone')
      assert.deepEqual(await store.migrate('up'), { direction: 'up', applied: reverted.reverse(), errors: [] })
      assert.equal(await store.getUser('calvin'), null)
    }
  },
  {
    name: 'ping answers and close can be called twice',
    async run (store) {
      await store.ping()
      await store.close()
      await store.close()
    }
  }
]
