/**
 * Time under the test's control instead of sleeps: `Date` is faked for the current test
 * (node:test's `mock.timers`, reset when the test ends) and a cache clock reads it, so token
 * expiry (`Date.now()`) and cache lifetimes (`cache.clock`) move together with `tick`.
 * Timers (`setTimeout`...) stay real: Fastify, the drivers and the hashing queue keep working.
 *
 * @example
 *   const time = fakeTime(t)
 *   const app = await buildApp(t, { cache: { ttl: 1, clock: time.clock } })
 *   time.tick(1001)   // every cache entry and every token of 1 s is now expired
 */
import type { TestContext } from 'node:test'

/** A fake time source: `clock` for `options.cache.clock`, `tick` to move it (and `Date`). */
export interface FakeTime {
  clock: { now: () => number }
  tick: (ms: number) => void
}

/** Freeze `Date` at `start` (the real current time by default) for this test. */
export function fakeTime (t: TestContext, start = Date.now()): FakeTime {
  t.mock.timers.enable({ apis: ['Date'], now: start })
  return {
    clock: { now: () => Date.now() },
    tick: (ms) => t.mock.timers.tick(ms)
  }
}
