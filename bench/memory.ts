/**
 * Memory under many distinct tokens: the resident size of a process whose plugin services (default
 * cache, fsa tokens) have seen N distinct tokens, each for a distinct login, through the token
 * scheme's `authenticate` — the function the plugin's onRequest hook calls for every request
 * (carrier extraction, cache lookup, HMAC verification, cache insert, expiry check). Fastify's
 * routing and HTTP parsing are skipped: a million `inject()` calls take minutes, and they allocate
 * nothing that outlives a request. The cache is bounded by `cache.max` (default 262,144 per kind).
 *
 *   node --expose-gc --import tsx bench/memory.ts [N]     (prints one JSON line)
 */
import Fastify, { type FastifyRequest } from 'fastify'
import { buildServices } from '../lib/core/services.js'
import { resolveSecureOptions } from '../lib/core/resolve.js'
import { acquireResources } from '../lib/core/resources.js'
import { REALM, SECRET } from './fixtures.js'

/** What the memory measurement prints. */
export interface MemoryResult {
  tokens: number
  seconds: number
  rssBeforeMiB: number
  rssAfterMiB: number
  heapUsedAfterMiB: number
  heapTotalAfterMiB: number
  externalAfterMiB: number
  cacheSize: number
  cacheMax: number
  evictions: number
  path: string
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
const mib = (n: number): number => Math.round(n / 1048576 * 10) / 10

/** Push `n` distinct tokens through the token scheme and report RSS and cache size. */
export async function measureMemory (n: number): Promise<MemoryResult> {
  const app = Fastify()
  const resolved = resolveSecureOptions({ realm: REALM, auth: ['token'], token: { type: 'fsa', secret: SECRET } })
  const services = buildServices(app, resolved, await acquireResources(app, resolved))
  const scheme = services.schemes.get('token')
  const tokens = services.tokens
  if (scheme === undefined || tokens === undefined) throw new Error('no token scheme')
  // one request object reused: only its header changes, as a new request's would
  const request = { headers: { authorization: '' } } as unknown as FastifyRequest
  gc()
  const before = process.memoryUsage().rss
  const t0 = performance.now()
  for (let i = 0; i < n; i++) {
    request.headers.authorization = 'Bearer ' + tokens.create(`user${i}`)
    const login = scheme.authenticate(request, REALM)
    if (login !== `user${i}`) throw new Error(`token ${i} authenticated as ${String(login)}`)
  }
  const seconds = (performance.now() - t0) / 1000
  gc()
  const mem = process.memoryUsage()
  const stats = services.cache.stats()
  await services.cache.close()
  return {
    tokens: n,
    seconds: Math.round(seconds * 10) / 10,
    rssBeforeMiB: mib(before),
    rssAfterMiB: mib(mem.rss),
    heapUsedAfterMiB: mib(mem.heapUsed),
    heapTotalAfterMiB: mib(mem.heapTotal),
    externalAfterMiB: mib(mem.external),
    cacheSize: stats.size,
    cacheMax: 262144,
    evictions: stats.evictions ?? 0,
    path: 'token scheme authenticate() (lib/schemes/token.ts) on plugin services built by lib/core/services.ts buildServices, default cache'
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  console.log(JSON.stringify(await measureMemory(Number(process.argv[2] ?? 1_000_000))))
}
