/**
 * Keeps the benchmark from rotting: every scenario server of bench/ is built in-process, answers
 * its measured request with the expected status through inject(), and through real HTTP on
 * 127.0.0.1 under a short autocannon load (the driver's own `measure`) without a wrong status.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { SCENARIOS } from '../bench/scenarios.js'
import { SkipScenario, type Scenario } from '../bench/scenario.js'
import { STORM_SCENARIO } from '../bench/storm.js'
import { measure, median } from '../bench/load.js'
import { toMarkdown } from '../bench/report.js'
import { measureStartup, startupMarkdown } from '../bench/startup.js'

async function check (scenario: Scenario, t: { skip: (m: string) => void }): Promise<void> {
  let built
  try {
    built = await scenario.build()
  } catch (e) {
    if (e instanceof SkipScenario) return t.skip(e.message)
    throw e
  }
  try {
    const { app, request, status } = built
    const res = await app.inject({ method: request.method, url: request.path, headers: request.headers, payload: request.body })
    assert.equal(res.statusCode, status, `${scenario.name}: ${res.body}`)
    await app.listen({ host: '127.0.0.1', port: 0 })
    const address = app.server.address()
    assert.ok(typeof address === 'object' && address !== null)
    // the server runs in this process here: its CPU probe is this process's own cpuUsage()
    const cpu = async (): Promise<number> => { const u = process.cpuUsage(); return u.user + u.system }
    const load = await measure(address.port, request, status, { duration: 0.3, connections: 2 }, cpu)
    assert.equal(load.errors, 0, `${scenario.name}: connection errors`)
    assert.ok(load.cpuUsPerRequest !== undefined && load.cpuUsPerRequest > 0, `${scenario.name}: server CPU per request measured`)
    assert.equal(load.wrongStatus, 0, `${scenario.name}: statuses ${JSON.stringify(load.statuses)}`)
  } finally {
    await built.app.close()
    await built.close?.()
  }
}

describe('benchmark scenarios', () => {
  for (const scenario of [...SCENARIOS, STORM_SCENARIO]) {
    it(`the ${scenario.name} server answers ${scenario.label} with its expected status`, async (t) => {
      await check(scenario, t)
    })
  }

  it('a protected scenario refuses the same request without its credentials', async () => {
    const fsa = SCENARIOS.find((s) => s.name === 'fsa')
    assert.ok(fsa !== undefined)
    const { app, request } = await fsa.build()
    const res = await app.inject({ method: request.method, url: request.path })
    assert.equal(res.statusCode, 401)
    await app.close()
  })

  it('the median of rounds and the Markdown report agree with the figures given', () => {
    assert.equal(median([3, 1, 2]), 2)
    assert.equal(median([4, 1, 2, 3]), 2.5)
    const round = { rps: 1000, p50: 1, p99: 2, requests: 1000, wrongStatus: 0, errors: 0, statuses: { 200: 1000 } }
    const md = toMarkdown({
      date: '2026-01-01T00:00:00Z',
      seconds: 10,
      machine: { nproc: 2, cpuModel: 'cpu', node: 'v20', platform: 'linux/x64', loadAverage: [0, 0, 0] },
      method: { quick: true, rounds: 1, duration: 1, warmup: 0, connections: 10, pipelining: 1 },
      scenarios: [
        { name: 'bare', label: 'bare', rounds: [round], rps: 1000, p99: 2, ratio: 1 },
        { name: 'open', label: 'OPEN route', target: 0.97, rounds: [round], rps: 900, p99: 3, ratio: 0.9, cpuUsPerRequest: 41.26, met: false },
        { name: 'postgres', label: 'pg', rounds: [], skipped: 'PostgreSQL unreachable' }
      ]
    })
    assert.match(md, /\| OPEN route \| 900 \| 0\.90 \| {2}\| 3\.0 \| 41\.3 \| ≥ 0\.97 \| \*\*no\*\* \|/)
    assert.match(md, /\| bare \| 1,000 \| 1\.00 \| {2}\| 2\.0 \| — \|/)
    assert.match(md, /\| pg \| skipped: PostgreSQL unreachable \|/)
    assert.match(md, /2 CPUs \(cpu\), node v20/)
  })

  it('the start-up measure times every case in fresh processes and judges the two goals', () => {
    // the sources through tsx: dist/ may be stale or absent while testing
    const r = measureStartup(1, true)
    assert.deepEqual(r.cases.map((c) => c.name), ['fastify', 'main', 'users', 'docs', 'fastify-ready', 'token-ready'])
    for (const c of r.cases) assert.ok(c.runs === 1 && c.median > 0 && c.min <= c.median && c.median <= c.max, JSON.stringify(c))
    const main = r.cases.find((c) => c.name === 'main')?.median ?? NaN
    const fastify = r.cases.find((c) => c.name === 'fastify')?.median ?? NaN
    assert.equal(r.importOverFastify, main - fastify)
    const md = startupMarkdown(r)
    assert.match(md, /\| import fastify \| [\d.]+ \|/)
    assert.match(md, /Main entry over Fastify's import: -?[\d.]+ ms \(goal ≤ 60, (met|NOT met)\)/)
  })
})
