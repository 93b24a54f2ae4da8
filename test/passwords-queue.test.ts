import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import { createPasswordManager } from '../lib/passwords/manager.js'
import { resolvePasswordOptions } from '../lib/passwords/options.js'
import { WorkQueue } from '../lib/passwords/queue.js'

/** The counters these tests check (`ran` is checked by the throttling tests). */
const counts = ({ active, waiting, rejected }: { active: number, waiting: number, rejected: number }) => ({ active, waiting, rejected })

/** A task that finishes when the test says so. */
function gate () {
  let open!: () => void
  const opened = new Promise<void>((resolve) => { open = resolve })
  return { open, opened }
}
const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('the work queue', () => {
  test('never runs more tasks at once than its concurrency, and runs them all', async () => {
    const queue = new WorkQueue(3, 100)
    let running = 0
    let maxRunning = 0
    const task = async (i: number) => {
      maxRunning = Math.max(maxRunning, ++running)
      await new Promise((resolve) => setTimeout(resolve, 1 + (i % 3)))
      running--
      return i
    }
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => queue.run(() => task(i))))
    assert.deepEqual(results, Array.from({ length: 20 }, (_, i) => i))
    assert.equal(maxRunning, 3)
    assert.deepEqual(counts(queue.stats()), { active: 0, waiting: 0, rejected: 0 })
  })

  test('starts waiting tasks first come, first served', async () => {
    const queue = new WorkQueue(1, 10)
    const started: number[] = []
    const first = gate()
    const all = [queue.run(async () => { started.push(0); await first.opened })]
    for (let i = 1; i <= 5; i++) all.push(queue.run(async () => { started.push(i) }))
    assert.deepEqual(counts(queue.stats()), { active: 1, waiting: 5, rejected: 0 })
    first.open()
    await Promise.all(all)
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5])
  })

  test('rejects with a 503 FSA_ERR_PASSWORD_BUSY once the waiting list is full', async () => {
    const queue = new WorkQueue(1, 2)
    const g = gate()
    const accepted = [1, 2, 3].map(() => queue.run(() => g.opened))
    await assert.rejects(queue.run(() => g.opened), { code: 'FSA_ERR_PASSWORD_BUSY', statusCode: 503, message: /retry later/ })
    assert.deepEqual(counts(queue.stats()), { active: 1, waiting: 2, rejected: 1 })
    g.open()
    await Promise.all(accepted)
    await queue.run(async () => undefined) // room again
    assert.deepEqual(counts(queue.stats()), { active: 0, waiting: 0, rejected: 1 })
  })

  test('with queueLimit 0 nothing waits: a second task is refused at once', async () => {
    const queue = new WorkQueue(1, 0)
    const g = gate()
    const running = queue.run(() => g.opened)
    await assert.rejects(queue.run(async () => 1), { code: 'FSA_ERR_PASSWORD_BUSY' })
    g.open()
    await running
  })

  test('a failing task releases its slot and its error reaches the caller', async () => {
    const queue = new WorkQueue(1, 5)
    await assert.rejects(queue.run(async () => { throw new Error('backend failure') }), /backend failure/)
    const g = gate()
    const failing = queue.run(async () => { await g.opened; throw new Error('later failure') })
    const next = queue.run(async () => 'ran')
    g.open()
    await assert.rejects(failing, /later failure/)
    assert.equal(await next, 'ran')
    assert.deepEqual(counts(queue.stats()), { active: 0, waiting: 0, rejected: 0 })
  })

  test('keeps order and bounded memory when thousands wait', async () => {
    const queue = new WorkQueue(1, 5000)
    const order: number[] = []
    const g = gate()
    const all = [queue.run(() => g.opened)]
    for (let i = 0; i < 3000; i++) all.push(queue.run(async () => { order.push(i) }))
    assert.equal(queue.stats().waiting, 3000)
    g.open()
    await Promise.all(all)
    assert.deepEqual(order, Array.from({ length: 3000 }, (_, i) => i))
    assert.deepEqual(counts(queue.stats()), { active: 0, waiting: 0, rejected: 0 })
  })

  test('refuses impossible limits', () => {
    assert.throws(() => new WorkQueue(0, 1), RangeError)
    assert.throws(() => new WorkQueue(1.5, 1), RangeError)
    assert.throws(() => new WorkQueue(1, -1), RangeError)
  })
})

describe('the queue inside the password manager', () => {
  test('real argon2 hashes run at most `concurrency` at a time', async () => {
    const pm = createPasswordManager(resolvePasswordOptions({ memoryCost: 4096, timeCost: 1, allowWeak: true, minLength: 0, concurrency: 2 }))
    let maxActive = 0
    let sampling = true
    const sampler = (async () => { while (sampling) { maxActive = Math.max(maxActive, pm.stats().active); await tick() } })()
    const digests = await Promise.all(Array.from({ length: 8 }, (_, i) => pm.hash(`password ${i}`)))
    sampling = false
    await sampler
    assert.equal(new Set(digests).size, 8)
    assert.equal(maxActive, 2)
    assert.deepEqual(counts(pm.stats()), { active: 0, waiting: 0, rejected: 0 })
  })

  test('a login storm beyond the queue limit gets 503s, the rest succeed', async () => {
    const pm = createPasswordManager(resolvePasswordOptions({ memoryCost: 256, timeCost: 1, allowWeak: true, minLength: 0, concurrency: 1, queueLimit: 3 }))
    const digest = await pm.hash('pwd')
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => pm.verify('pwd', digest)))
    const ok = outcomes.filter((o) => o.status === 'fulfilled' && o.value.ok).length
    const busy = outcomes.filter((o) => o.status === 'rejected' && (o.reason as { code?: string }).code === 'FSA_ERR_PASSWORD_BUSY').length
    assert.deepEqual([ok, busy], [4, 6])
    assert.equal(pm.stats().rejected, 6)
  })

  test('a busy queue becomes a 503 response through Fastify', async (t) => {
    // One slot, nowhere to wait; t=40 makes one hash last tens of milliseconds, far longer than inject().
    const pm = createPasswordManager(resolvePasswordOptions({ memoryCost: 8192, timeCost: 40, allowWeak: true, minLength: 0, concurrency: 1, queueLimit: 0 }))
    const app = Fastify()
    t.after(() => app.close())
    app.post('/hash', async (req) => ({ hash: await pm.hash((req.body as { pwd: string }).pwd) }))
    const blocker = pm.hash('holding the only slot', { check: false })
    assert.equal(pm.stats().active, 1)
    const res = await app.inject({ method: 'POST', url: '/hash', payload: { pwd: 'secret' } })
    assert.equal(res.statusCode, 503)
    assert.equal(res.json().code, 'FSA_ERR_PASSWORD_BUSY')
    assert.doesNotMatch(res.body, /secret/)
    await blocker
    const ok = await app.inject({ method: 'POST', url: '/hash', payload: { pwd: 'secret' } })
    assert.equal(ok.statusCode, 200)
    assert.match(ok.json().hash, /^\$argon2id\$/)
  })
})
