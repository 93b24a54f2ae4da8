/**
 * The benchmark driver (`npm run bench`, `npm run bench -- --quick`). Each scenario server runs in
 * its own child process on 127.0.0.1; autocannon runs here. Rounds are interleaved (A B C … A B C)
 * and every figure is a median over rounds, each throughput also a ratio to the bare Fastify route
 * measured in the same round. Then: the OPEN route's p99 during a login storm, memory after a
 * million distinct tokens, and micro figures. Prints Markdown, writes JSON under bench/results/.
 *
 * Options: --quick (under a minute: short windows, every server in one child), --only=a,b (scenario names; bare is always measured),
 * --rounds=N, --duration=S, --warmup=S, --connections=N, --cpu-prof (profiles of the server
 * children under bench/results/profiles-<date>/), --no-storm, --no-memory, --no-micro, --no-startup, --no-write.
 * The start-up section (bench/startup.ts) measures the built dist/ when there is one, else the sources.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { SCENARIOS } from './scenarios.js'
import { measure, median } from './load.js'
import { ROOT, serverCpu, startEach, startServer, startServers, stopServers } from './children.js'
import { STORM_LOGINS, STORM_SCENARIO, runStorm, type StormResult } from './storm.js'
import { measureMicro } from './micro.js'
import { measureStartup } from './startup.js'
import type { MemoryResult } from './memory.js'
import { toMarkdown, type MachineInfo, type MethodInfo, type RunReport, type ScenarioReport, type StormReport } from './report.js'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'no-storm': { type: 'boolean', default: false },
    'no-memory': { type: 'boolean', default: false },
    'no-micro': { type: 'boolean', default: false },
    'no-startup': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false }
  }
})
const quick = args.quick === true
const num = (v: string | undefined, d: number): number => v === undefined ? d : Number(v)
const method: MethodInfo = {
  quick,
  rounds: num(args.rounds, 3),
  duration: num(args.duration, quick ? 0.4 : 2.5),
  warmup: num(args.warmup, quick ? 0.1 : 0.5),
  connections: num(args.connections, 10),
  pipelining: 1
}
const started = performance.now()
const date = new Date().toISOString()
const stamp = date.replace(/[:.]/g, '-').slice(0, 19)
const resultsDir = join(ROOT, 'bench', 'results')
const profDir = args['cpu-prof'] === true ? join(resultsDir, `profiles-${stamp}`) : undefined
const log = (msg: string): void => { process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${msg}\n`) }

function machine (): MachineInfo {
  const cpuinfo = (() => { try { return readFileSync('/proc/cpuinfo', 'utf8') } catch { return '' } })()
  return {
    nproc: availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    loadAverage: loadavg()
  }
}

const only = args.only?.split(',').map((s) => s.trim()).filter(Boolean)
// a chosen scenario brings its baseline along: its ratio is meaningless without it
const wanted = new Set(only?.flatMap((n) => [n, SCENARIOS.find((s) => s.name === n)?.baseline ?? n]))
const chosen = SCENARIOS.filter((s) => s.name === 'bare' || only === undefined || wanted.has(s.name))
log(`starting ${chosen.length} scenario servers…`)
const names = chosen.map((s) => s.name)
// the full run gives every server its own process; --quick hosts them in one to start faster
const servers = quick ? await startServers(names, profDir) : await startEach(names, profDir)
const reports: ScenarioReport[] = chosen.map((s, i) => {
  const srv = servers[i]
  const r: ScenarioReport = { name: s.name, label: s.label, rounds: [] }
  if (s.baseline !== undefined) r.baseline = s.baseline
  if (s.target !== undefined) r.target = s.target
  if (srv !== undefined && srv.state !== 'ready') r.skipped = srv.message
  if (srv?.state === 'skipped') log(`skipping ${s.name}: ${srv.message}`)
  if (srv?.state === 'failed') log(`FAILED ${s.name}: ${srv.message}`)
  return r
})

try {
  for (let round = 1; round <= method.rounds; round++) {
    log(`round ${round}/${method.rounds}`)
    for (const [i, srv] of servers.entries()) {
      if (srv.state !== 'ready') continue
      const res = await measure(srv.port, srv.request, srv.status, method, () => serverCpu(srv.child))
      if (res.wrongStatus > 0 || res.errors > 0) log(`  ${srv.name}: ${res.wrongStatus} unexpected statuses ${JSON.stringify(res.statuses)}, ${res.errors} errors`)
      reports[i]?.rounds.push(res)
    }
  }
} finally {
  await stopServers(servers)
}

// ratios per round against the scenario measured in the same round, then medians over rounds
const byName = new Map(reports.map((r) => [r.name, r]))
const ratioTo = (r: ScenarioReport, base: ScenarioReport | undefined): number | undefined => {
  if (base === undefined || base.rounds.length === 0 || r.rounds.length === 0) return undefined
  return median(r.rounds.map((x, k) => x.rps / (base.rounds[k]?.rps ?? NaN)))
}
for (const r of reports) {
  if (r.rounds.length === 0) continue
  r.rps = median(r.rounds.map((x) => x.rps))
  r.p99 = median(r.rounds.map((x) => x.p99))
  const cpus = r.rounds.flatMap((x) => x.cpuUsPerRequest !== undefined ? [x.cpuUsPerRequest] : [])
  if (cpus.length > 0) r.cpuUsPerRequest = median(cpus)
  const ratio = ratioTo(r, byName.get('bare'))
  if (ratio !== undefined) r.ratio = ratio
  if (r.baseline !== undefined) {
    const toBase = ratioTo(r, byName.get(r.baseline))
    if (toBase !== undefined) r.ratioToBaseline = toBase
  }
  const judged = r.baseline !== undefined ? r.ratioToBaseline : r.ratio
  if (r.target !== undefined && judged !== undefined) r.met = judged >= r.target
}

const report: RunReport = { date, seconds: 0, machine: machine(), method, scenarios: reports }

if (args['no-storm'] !== true) {
  log('login storm…')
  const srv = await startServer(STORM_SCENARIO.name, profDir)
  if (srv.state === 'ready') {
    const runs: StormResult[] = []
    try {
      for (let k = 0; k < (quick ? 1 : 3); k++) runs.push(await runStorm(srv.port, method.duration, method.warmup))
    } finally {
      await stopServers([srv])
    }
    const storm: StormReport = {
      logins: STORM_LOGINS,
      rounds: runs.length,
      p99Alone: median(runs.map((x) => x.alone.p99)),
      p99During: median(runs.map((x) => x.during.p99)),
      rpsAlone: median(runs.map((x) => x.alone.rps)),
      rpsDuring: median(runs.map((x) => x.during.rps)),
      loginsPerSec: median(runs.map((x) => x.logins.rps)),
      loginP99: median(runs.map((x) => x.logins.p99)),
      loopP99Alone: median(runs.map((x) => x.loopP99Alone)),
      loopP99During: median(runs.map((x) => x.loopP99During)),
      targetP99: 10,
      met: false
    }
    storm.met = storm.p99During < storm.targetP99
    report.storm = storm
  } else {
    log(`storm server did not start: ${srv.message}`)
  }
}

if (args['no-memory'] !== true) {
  const n = quick ? 100_000 : 1_000_000
  log(`memory: ${n.toLocaleString('en')} distinct tokens…`)
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', 'memory.ts'), String(n)], { cwd: ROOT, encoding: 'utf8' })
  report.memory = JSON.parse(out.trim().split('\n').pop() ?? '{}') as MemoryResult
}

if (args['no-micro'] !== true) {
  log('micro figures…')
  report.micro = await measureMicro(quick ? 200 : 1000, quick ? 3 : 10)
}

if (args['no-startup'] !== true) {
  const built = existsSync(join(ROOT, 'dist', 'lib', 'index.js'))
  log(`start-up: fresh processes importing ${built ? 'dist/' : 'the sources (no dist/: run npm run build to measure what consumers load)'}…`)
  report.startup = measureStartup(quick ? 3 : 10, !built)
}

report.seconds = (performance.now() - started) / 1000
const markdown = toMarkdown(report)
console.log(markdown)
if (args['no-write'] !== true) {
  mkdirSync(resultsDir, { recursive: true })
  const file = join(resultsDir, `${stamp}${quick ? '-quick' : ''}.json`)
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n')
  log(`written ${file}`)
}
if (profDir !== undefined) log(`CPU profiles in ${profDir}`)
