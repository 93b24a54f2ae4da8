import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { createCacheLayer, type CacheLayer } from '../lib/cache/layer.js'
import { resolveCacheOptions, type CacheOptions } from '../lib/cache/options.js'
import { fakeTime } from './helpers/time.js'

const warnings: unknown[] = []
const log = { warn: (o: unknown) => { warnings.push(o) } }
const memory = (o: CacheOptions = {}): Promise<CacheLayer> => createCacheLayer(resolveCacheOptions(o), log)

/** A compute function that counts its calls. */
function counter<T> (value: T): { calls: number, fn: () => T } {
  const c = { calls: 0, fn: () => { c.calls++; return value } }
  return c
}

test('a hit returns the value synchronously even when compute was async', async () => {
  const cache = await memory()
  const first = cache.memo('user', 'calvin', 'calvin', async () => 'hash-of-calvin')
  assert.ok(first instanceof Promise)
  assert.equal(await first, 'hash-of-calvin')
  const second = cache.memo('user', 'calvin', 'calvin', async () => 'other')
  assert.equal(second, 'hash-of-calvin')
})

test('a sync compute on a miss returns its value synchronously', async () => {
  const cache = await memory()
  assert.equal(cache.memo('group', 'calvin|admin', 'calvin', () => true), true)
  assert.equal(cache.memo('group', 'calvin|admin', 'calvin', () => false), true)
})

test('stats count hits and misses in total and per kind', async () => {
  const cache = await memory()
  const c = counter('h')
  for (let i = 0; i < 10; i++) cache.memo('user', 'hobbes', 'hobbes', c.fn)
  for (let i = 0; i < 4; i++) cache.memo('groupCheck', 'hobbes|admin', 'hobbes', () => false)
  const s = cache.stats()
  assert.equal(c.calls, 1)
  assert.equal(s.backend, 'memory')
  assert.equal(s.hits, 12)
  assert.equal(s.misses, 2)
  assert.equal(s.sets, 2)
  assert.equal(s.size, 2)
  assert.deepEqual(s.byKind.user, { hits: 9, misses: 1 })
  assert.deepEqual(s.byKind.groupCheck, { hits: 3, misses: 1 })
  assert.deepEqual(s.byKind.perm, { hits: 0, misses: 0 })
  // a snapshot does not move afterwards
  cache.memo('user', 'hobbes', 'hobbes', c.fn)
  assert.equal(s.byKind.user.hits, 9)
})

test('null and false are cached but undefined is not', async () => {
  const cache = await memory()
  const nul = counter(null)
  const no = counter(false)
  const undef = counter(undefined)
  for (let i = 0; i < 3; i++) {
    assert.equal(cache.memo('perm', 'stuff|calvin|1|read', 'calvin', nul.fn), null)
    assert.equal(cache.memo('perm', 'stuff|calvin|2|read', 'calvin', no.fn), false)
    assert.equal(cache.memo('user', 'nobody', 'nobody', undef.fn), undefined)
  }
  assert.deepEqual([nul.calls, no.calls, undef.calls], [1, 1, 3])
})

test('errors thrown or rejected by compute are propagated and never cached', async () => {
  const cache = await memory()
  let calls = 0
  const boom = (): never => { calls++; throw new Error('db down') }
  assert.throws(() => cache.memo('user', 'susie', 'susie', boom), /db down/)
  assert.throws(() => cache.memo('user', 'susie', 'susie', boom), /db down/)
  await assert.rejects(async () => await cache.memo('user', 'moe', 'moe', async () => { calls++; throw new Error('timeout') }), /timeout/)
  assert.equal(await cache.memo('user', 'moe', 'moe', async () => 'recovered'), 'recovered')
  assert.equal(calls, 3)
  assert.equal(cache.stats().size, 1)
})

test('concurrent misses on one key share a single compute', async () => {
  const cache = await memory()
  let calls = 0
  const slow = async (): Promise<string> => { calls++; await sleep(20); return 'argon2-result' }
  const all = await Promise.all(Array.from({ length: 50 }, () => cache.memo('credentials', 'k', 'calvin', slow)))
  // 'v' is disabled by default: every call computes
  assert.equal(calls, 50)
  calls = 0
  const results = await Promise.all(Array.from({ length: 50 }, () => cache.memo('user', 'k', 'calvin', slow)))
  assert.equal(calls, 1)
  assert.ok(results.every((r) => r === 'argon2-result'))
  assert.equal(all.length, 50)
  assert.equal(cache.stats().byKind.user.hits, 49)
})

test('concurrent misses share a rejection too, and the next call computes again', async () => {
  const cache = await memory()
  let calls = 0
  const failing = async (): Promise<string> => { calls++; await sleep(10); throw new Error('nope') }
  const settled = await Promise.allSettled(Array.from({ length: 5 }, () => cache.memo('token', 'tok', undefined, failing)))
  assert.equal(calls, 1)
  assert.ok(settled.every((s) => s.status === 'rejected'))
  assert.equal(await cache.memo('token', 'tok', undefined, async () => 'ok'), 'ok')
})

test('entries expire after ttl seconds', async (t) => {
  const time = fakeTime(t)
  const cache = await memory({ ttl: 0.05, clock: time.clock })
  const c = counter('h')
  cache.memo('user', 'calvin', 'calvin', c.fn)
  cache.memo('user', 'calvin', 'calvin', c.fn)
  assert.equal(c.calls, 1)
  time.tick(80)
  cache.memo('user', 'calvin', 'calvin', c.fn)
  assert.equal(c.calls, 2)
})

test('the max bound is honoured per kind and evictions are counted', async () => {
  const cache = await memory({ max: 3 })
  for (let i = 0; i < 10; i++) cache.memo('user', `user${i}`, `user${i}`, () => `h${i}`)
  cache.memo('group', 'user0|admin', 'user0', () => true)
  const s = cache.stats()
  assert.equal(s.size, 4)
  assert.equal(s.evictions, 7)
  // the least recently used are gone, the last three are still there
  const c = counter('again')
  cache.memo('user', 'user0', 'user0', c.fn)
  cache.memo('user', 'user9', 'user9', c.fn)
  assert.equal(c.calls, 1)
})

test('uncacheUser drops every entry of that user and only those', async () => {
  const cache = await memory()
  cache.memo('user', 'calvin', 'calvin', () => 'h1')
  cache.memo('group', 'calvin|admin', 'calvin', () => true)
  cache.memo('perm', 'stuff|calvin|1|w', 'calvin', () => false)
  cache.memo('user', 'hobbes', 'hobbes', () => 'h2')
  cache.memo('token', 'token-of-calvin', (v: { login: string }) => v.login, () => ({ login: 'calvin' }))
  cache.memo('token', 'token-of-hobbes', (v: { login: string }) => v.login, () => ({ login: 'hobbes' }))
  cache.memo('token', 'anonymous', () => undefined, () => ({ login: '' }))
  assert.equal(cache.stats().size, 7)
  await cache.uncacheUser('calvin')
  assert.equal(cache.stats().size, 3)
  let calls = 0
  const count = <T>(v: T) => () => { calls++; return v }
  cache.memo('user', 'hobbes', 'hobbes', count('x'))
  cache.memo('token', 'token-of-hobbes', undefined, count('x'))
  cache.memo('token', 'anonymous', undefined, count('x'))
  assert.equal(calls, 0)
  cache.memo('user', 'calvin', 'calvin', count('h1'))
  cache.memo('group', 'calvin|admin', 'calvin', count(true))
  cache.memo('token', 'token-of-calvin', undefined, count({ login: 'calvin' }))
  assert.equal(calls, 3)
  await cache.uncacheUser('nobody')
})

test('the login index forgets entries that were evicted or overwritten', async () => {
  const cache = await memory({ max: 2 })
  cache.memo('user', 'a', 'a', () => 'h')
  cache.memo('user', 'b', 'b', () => 'h')
  cache.memo('user', 'c', 'c', () => 'h') // evicts a
  // an evicted entry of 'a' must not make uncacheUser('a') touch the new owner of its slot
  await cache.uncacheUser('a')
  assert.equal(cache.stats().size, 2)
  await cache.uncacheUser('b')
  await cache.uncacheUser('c')
  assert.equal(cache.stats().size, 0)
})

test('delete drops one entry and clear drops all of them', async () => {
  const cache = await memory()
  cache.memo('user', 'calvin', 'calvin', () => 'h1')
  cache.memo('user', 'hobbes', 'hobbes', () => 'h2')
  cache.memo('groupCheck', 'hobbes|admin', 'hobbes', () => true)
  await cache.delete('user', 'calvin')
  assert.equal(cache.stats().size, 2)
  assert.equal(cache.memo('user', 'calvin', 'calvin', () => 'h1-new'), 'h1-new')
  await cache.clear()
  assert.equal(cache.stats().size, 0)
  assert.equal(cache.memo('user', 'hobbes', 'hobbes', () => 'h2-new'), 'h2-new')
  await cache.close()
})

test('a value computed across an invalidation is returned but not stored', async () => {
  const cache = await memory()
  let release!: (v: string) => void
  const pending = cache.memo('user', 'calvin', 'calvin', () => new Promise<string>((resolve) => { release = resolve }))
  await cache.uncacheUser('calvin') // e.g. the password changed while getUserPass was running
  release('old-hash')
  assert.equal(await pending, 'old-hash')
  assert.equal(cache.memo('user', 'calvin', 'calvin', () => 'new-hash'), 'new-hash')
})

test('verified credentials are cached only when enabled, for their own ttl', async (t) => {
  const time = fakeTime(t)
  const cache = await memory({ ttl: 10, credentials: { enabled: true, ttl: 0.05 }, clock: time.clock })
  const c = counter('calvin')
  cache.memo('credentials', 'hmac-1', 'calvin', c.fn)
  cache.memo('credentials', 'hmac-1', 'calvin', c.fn)
  cache.memo('user', 'calvin', 'calvin', () => 'h')
  assert.equal(c.calls, 1)
  time.tick(80)
  cache.memo('credentials', 'hmac-1', 'calvin', c.fn)
  assert.equal(c.calls, 2)
  assert.equal(cache.memo('user', 'calvin', 'calvin', () => 'other'), 'h')
  await cache.uncacheUser('calvin')
  cache.memo('credentials', 'hmac-1', 'calvin', c.fn)
  assert.equal(c.calls, 3)
})

test('the none backend computes every time and keeps nothing', async () => {
  const cache = await createCacheLayer(resolveCacheOptions({ type: 'none' }), log)
  const c = counter('h')
  for (let i = 0; i < 3; i++) assert.equal(cache.memo('user', 'calvin', 'calvin', c.fn), 'h')
  await cache.delete('user', 'calvin')
  await cache.uncacheUser('calvin')
  await cache.clear()
  const s = cache.stats()
  assert.equal(c.calls, 3)
  assert.equal(s.backend, 'none')
  assert.deepEqual([s.hits, s.misses, s.sets, s.size, s.byKind.user.misses], [0, 3, 0, 0, 3])
  await cache.close()
  assert.equal(warnings.length, 0)
})

test('the login index stays bounded by the entries actually held', async () => {
  const { LocalStore } = await import('../lib/cache/memory.js')
  const store = new LocalStore(10, { user: 60_000, group: 60_000, groupCheck: 0, perm: 60_000, token: 60_000, credentials: 0, session: 0 })
  for (let i = 0; i < 1000; i++) store.set('user', `user${i}`, 'h', `user${i}`)
  store.set('groupCheck', 'k', true, 'user999') // kind disabled: not kept, not indexed twice
  assert.equal(store.size, 10)
  assert.equal(store.indexedLogins, 10)
  assert.equal(store.evictions, 990)
  store.set('user', 'user999', 'h2', 'someone-else') // overwrite moves the entry to its new owner
  assert.equal(store.deleteUser('user999'), 0)
  assert.equal(store.deleteUser('someone-else'), 1)
  store.clear()
  assert.equal(store.indexedLogins, 0)
})
