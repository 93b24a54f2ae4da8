/**
 * In-process cost of throttling on the cached password path (issue 13): a verified-credentials
 * cache hit through `checkCredentials`, with throttling off and on (nothing refused, the common
 * case), in ns per call. Less noisy than server CPU per request on a shared machine.
 *
 *   npx tsx bench/throttle-micro.ts
 */
import { createCacheLayer } from '../lib/cache/layer.js'
import { resolveCacheOptions } from '../lib/cache/options.js'
import { createCredentialsSecret } from '../lib/cache/credentials.js'
import { createPasswordManager } from '../lib/passwords/manager.js'
import { resolvePasswordOptions } from '../lib/passwords/options.js'
import { makeCredentialChecker } from '../lib/passwords/credentials.js'
import { Throttle } from '../lib/throttle/throttle.js'
import { resolveThrottleOptions } from '../lib/throttle/options.js'
import type { FastifyRequest } from 'fastify'
import { LOGIN, PASSWORD } from './fixtures.js'

const log = { warn: () => {}, info: () => {} }
const request = { ip: '203.0.113.1', headers: {}, raw: { socket: { remoteAddress: '203.0.113.1' } } } as unknown as FastifyRequest

async function nsPerCall (throttled: boolean, calls: number): Promise<number> {
  const passwords = createPasswordManager(resolvePasswordOptions({ memoryCost: 1024, timeCost: 1, allowWeak: true }))
  const hash = await passwords.hash(PASSWORD, { check: false })
  const cache = await createCacheLayer(resolveCacheOptions({ credentials: { enabled: true } }), log)
  const throttle = throttled ? new Throttle(resolveThrottleOptions(undefined)!, { clock: { now: () => Date.now() }, onUntrustedProxy: () => {} }) : undefined
  const check = makeCredentialChecker({ getUserPass: (l) => l === LOGIN ? hash : null, passwords, cache, credentialsSecret: createCredentialsSecret(), rehash: undefined, log, throttle })
  await check(LOGIN, PASSWORD, request)
  if (check(LOGIN, PASSWORD, request) instanceof Promise) throw new Error('expected a synchronous cache hit')
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < calls; i++) check(LOGIN, PASSWORD, request)
  const ns = Number(process.hrtime.bigint() - t0) / calls
  await cache.close()
  return ns
}

const off: number[] = []
const on: number[] = []
for (let round = 0; round < 5; round++) {
  off.push(await nsPerCall(false, 200_000))
  on.push(await nsPerCall(true, 200_000))
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
console.log(`cached basic check: throttle off ${median(off).toFixed(0)} ns, on ${median(on).toFixed(0)} ns per call (medians of 5 rounds of 200 000)`)
