/**
 * In-process CPU per request of scenarios, through `app.inject()` (no sockets, so the figures are
 * steadier than the HTTP bench on a shared machine): rounds alternate between the scenarios, and
 * each figure is the median over rounds of process CPU time per request. The difference between
 * two scenarios is what it is for (for example the cached basic login against a cached token).
 *
 * @example
 *   npx tsx bench/auth-micro.ts                      # basic-cached, fsa, bare: 7 rounds of 20000
 *   npx tsx bench/auth-micro.ts --only=basic-cached,fsa --rounds=9 --requests=30000
 */
import { parseArgs } from 'node:util'
import { SCENARIOS } from './scenarios.js'
import { median } from './load.js'

const { values: args } = parseArgs({ options: { only: { type: 'string' }, rounds: { type: 'string' }, requests: { type: 'string' } } })
const names = (args.only ?? 'bare,fsa,basic-cached').split(',')
const rounds = Number(args.rounds ?? 7)
const requests = Number(args.requests ?? 20000)

const built = await Promise.all(names.map(async (name) => {
  const scenario = SCENARIOS.find((s) => s.name === name)
  if (scenario === undefined) throw new Error(`no scenario ${name}`)
  return { name, ...(await scenario.build()) }
}))

/** CPU microseconds per request of `n` sequential injections. */
async function cpuPerRequest (b: typeof built[number], n: number): Promise<number> {
  const { method, path, headers, body } = b.request
  const start = process.cpuUsage()
  for (let i = 0; i < n; i++) {
    const res = await b.app.inject({ method, url: path, headers, payload: body })
    if (res.statusCode !== b.status) throw new Error(`${b.name}: ${res.statusCode} ${res.body}`)
  }
  const used = process.cpuUsage(start)
  return (used.user + used.system) / n
}

for (const b of built) await cpuPerRequest(b, 2000) // warm-up: caches filled, code optimized
const samples = new Map<string, number[]>(names.map((n) => [n, []]))
for (let r = 0; r < rounds; r++) {
  // the order turns every round, so that no scenario always runs first (a cold or a hot heap)
  for (let i = 0; i < built.length; i++) {
    const b = built[(i + r) % built.length] as typeof built[number]
    samples.get(b.name)?.push(await cpuPerRequest(b, requests))
  }
}
const first = samples.get(names[0] as string) as number[]
for (const [name, values] of samples) {
  const above = values.map((v, i) => v - (first[i] as number))
  console.log(`${name.padEnd(16)} ${median(values).toFixed(2)} µs/request, ${median(above).toFixed(2)} above ${names[0] as string} (median of per-round differences; rounds: ${values.map((v) => v.toFixed(1)).join(' ')})`)
}
for (const b of built) { await b.app.close(); await b.close?.() }
