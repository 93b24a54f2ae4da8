/**
 * In-process cost of the token check on a cached token (`npx tsx bench/sessions-micro.ts`): the
 * same `checkToken` the token scheme calls, over a SQLite store and the memory cache, for a
 * stateless token without the liveness check (what a store-backed token cost before sessions),
 * a stateless token with it, and a session token. Rounds alternate; medians of CPU ns per check.
 * Complements the HTTP scenarios of bench/sessions.ts, whose CPU figures move by more than 1 µs
 * on a shared machine.
 */
import { openStore } from '../lib/store/open.js'
import { openUserSource } from '../lib/store/source.js'
import { createCacheLayer } from '../lib/cache/layer.js'
import { resolveCacheOptions } from '../lib/cache/options.js'
import { resolveTokenOptions } from '../lib/tokens/options.js'
import { createTokenManager } from '../lib/tokens/manager.js'
import { makeUserSecretLookup } from '../lib/passwords/credentials.js'
import { makeTokenCheck } from '../lib/core/token-check.js'
import type { FastifyInstance } from 'fastify'

const REALM = 'bench'
const N = Number(process.env.N ?? 300_000)
const ROUNDS = Number(process.env.ROUNDS ?? 7)

const store = await openStore('sqlite::memory:')
await store.createUser({ login: 'calvin', password: 'h' })
const opened = await openUserSource({ store }, { info: () => {} })
const cache = await createCacheLayer(resolveCacheOptions({}), { warn: () => {} })
const tokens = await createTokenManager(undefined as unknown as FastifyInstance, resolveTokenOptions({ secret: 'x'.repeat(40) }, REALM))
const lookup = makeUserSecretLookup(opened.source.getUserPass, cache)
const base = { tokens, cache, realm: REALM, lookup, versioned: true }
const without = makeTokenCheck(base)
const withLiveness = makeTokenCheck({ ...base, sessions: store.sessions })
const expiresAt = new Date(Date.now() + 3_600_000)
const session = await store.sessions.createSession({ login: 'calvin', expiresAt })
const stateless = tokens.create('calvin', { version: 0 })
const sessionToken = tokens.create('calvin', { version: 0, session: session.id })

type Check = (raw: string, realm: string) => unknown
const cases: Array<[string, Check, string]> = [
  ['stateless, no liveness check (before)', without, stateless],
  ['stateless, liveness check', withLiveness, stateless],
  ['session token, liveness check', withLiveness, sessionToken]
]
// warm the caches (and check that every case answers synchronously once cached)
for (const [name, check, token] of cases) {
  await check(token, REALM)
  if (check(token, REALM) instanceof Promise) throw new Error(`${name}: not synchronous on a cached token`)
}
const samples = cases.map(() => [] as number[])
let sink = 0
for (let r = 0; r < ROUNDS; r++) {
  for (const [i, [, check, token]] of cases.entries()) {
    // a fresh string per call, as a header value is
    const copies = [token + ' ', ' ' + token].map((s) => s.trim())
    // CPU time, not wall time: other processes on a shared machine do not count
    const t0 = process.cpuUsage()
    for (let k = 0; k < N; k++) sink += (check(copies[k & 1] as string, REALM) as { login: string }).login.length
    const used = process.cpuUsage(t0)
    samples[i]?.push((used.user + used.system) * 1000 / N)
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const before = median(samples[0] ?? [])
for (const [i, [name]] of cases.entries()) {
  const m = median(samples[i] ?? [])
  console.log(`${name.padEnd(40)} ${m.toFixed(0).padStart(5)} ns/check  (+${(m - before).toFixed(0)} ns)`)
}
if (sink === 0) console.log('')
await cache.close()
await store.close()
