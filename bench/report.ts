/**
 * The benchmark report: the figures of one run as a JSON document and as Markdown tables.
 */
import type { LoadResult } from './load.js'
import type { MemoryResult } from './memory.js'
import type { MicroResult } from './micro.js'
import { startupMarkdown, type StartupResult } from './startup.js'

/** The machine a run measured. */
export interface MachineInfo {
  nproc: number
  cpuModel: string
  node: string
  platform: string
  loadAverage: number[]
}

/** How a run measured. */
export interface MethodInfo {
  quick: boolean
  rounds: number
  duration: number
  warmup: number
  connections: number
  pipelining: number
}

/** One scenario's figures across the rounds. */
export interface ScenarioReport {
  name: string
  label: string
  baseline?: string
  target?: number
  skipped?: string
  rounds: LoadResult[]
  /** Medians over rounds. */
  rps?: number
  p99?: number
  /** Median over rounds of the server's CPU time per request, in µs (user + system, from `process.cpuUsage()`). */
  cpuUsPerRequest?: number
  /** Median over rounds of the ratio to bare Fastify in the same round. */
  ratio?: number
  /** Median over rounds of the ratio to `baseline` in the same round. */
  ratioToBaseline?: number
  /** Whether the target ratio (to `baseline` when there is one) was met. */
  met?: boolean
}

/** The storm measurement, medians over its rounds. */
export interface StormReport {
  logins: number
  rounds: number
  p99Alone: number
  p99During: number
  rpsAlone: number
  rpsDuring: number
  loginsPerSec: number
  loginP99: number
  /** The server's event-loop delay p99 (ms), alone and during the storm. */
  loopP99Alone: number
  loopP99During: number
  targetP99: number
  met: boolean
}

/** A whole run. */
export interface RunReport {
  date: string
  seconds: number
  machine: MachineInfo
  method: MethodInfo
  scenarios: ScenarioReport[]
  storm?: StormReport
  memory?: MemoryResult
  micro?: MicroResult
  startup?: StartupResult
}

const n0 = (x: number | undefined): string => x === undefined ? '—' : Math.round(x).toLocaleString('en')
const n2 = (x: number | undefined): string => x === undefined ? '—' : x.toFixed(2)
const ms = (x: number | undefined): string => x === undefined ? '—' : x.toFixed(1)

/** The report as Markdown: machine and method, then one table per measurement. */
export function toMarkdown (r: RunReport): string {
  const m = r.machine
  const out: string[] = []
  out.push(`Machine: ${m.nproc} CPUs (${m.cpuModel}), node ${m.node}, ${m.platform}, load average at start ${m.loadAverage.map((x) => x.toFixed(2)).join(' ')}.`)
  out.push(`Method: ${r.method.rounds} interleaved rounds, ${r.method.warmup} s warm-up + ${r.method.duration} s measured per scenario and round, ` +
    `${r.method.connections} connections, pipelining ${r.method.pipelining}; medians over rounds${r.method.quick ? ' (quick mode)' : ''}. Whole run: ${Math.round(r.seconds)} s.`)
  out.push('')
  out.push('| scenario | req/s | × bare | × baseline | p99 ms | server CPU µs/req | target | met |')
  out.push('|---|---:|---:|---:|---:|---:|---:|:---:|')
  for (const s of r.scenarios) {
    if (s.skipped !== undefined) {
      out.push(`| ${s.label} | skipped: ${s.skipped} | | | | | | |`)
      continue
    }
    const baseline = s.baseline !== undefined ? n2(s.ratioToBaseline) : ''
    const target = s.target !== undefined ? `≥ ${s.target.toFixed(2)}${s.baseline !== undefined ? ' (baseline)' : ''}` : ''
    const met = s.met === undefined ? '' : s.met ? 'yes' : '**no**'
    out.push(`| ${s.label} | ${n0(s.rps)} | ${n2(s.ratio)} | ${baseline} | ${ms(s.p99)} | ${ms(s.cpuUsPerRequest)} | ${target} | ${met} |`)
  }
  if (r.storm !== undefined) {
    const st = r.storm
    out.push('')
    out.push(`Event loop under a login storm (${st.logins} concurrent basic logins, default argon2id, no credentials cache; median of ${st.rounds}):`)
    out.push('')
    out.push('| OPEN route | req/s | p99 ms | server event-loop delay p99 ms |')
    out.push('|---|---:|---:|---:|')
    out.push(`| alone | ${n0(st.rpsAlone)} | ${ms(st.p99Alone)} | ${ms(st.loopP99Alone)} |`)
    out.push(`| during the storm | ${n0(st.rpsDuring)} | ${ms(st.p99During)} | ${ms(st.loopP99During)} |`)
    out.push('')
    out.push(`Logins: ${n0(st.loginsPerSec)}/s, p99 ${ms(st.loginP99)} ms. Target: OPEN p99 < ${st.targetP99} ms during the storm: ${st.met ? 'met' : '**missed**'}.`)
  }
  if (r.memory !== undefined) {
    const mem = r.memory
    out.push('')
    out.push(`Memory: ${mem.tokens.toLocaleString('en')} distinct fsa tokens (distinct logins) in ${mem.seconds} s through ${mem.path}: ` +
      `RSS ${mem.rssBeforeMiB} → ${mem.rssAfterMiB} MiB, heap used after GC ${mem.heapUsedAfterMiB} MiB (heap total ${mem.heapTotalAfterMiB} MiB), ` +
      `cache size ${mem.cacheSize.toLocaleString('en')} (max ${mem.cacheMax.toLocaleString('en')}), ${mem.evictions.toLocaleString('en')} evictions.`)
  }
  if (r.micro !== undefined) {
    const mi = r.micro
    out.push('')
    out.push('| micro | figure |')
    out.push('|---|---:|')
    out.push(`| fsa token create | ${n0(mi.fsaCreatePerSec)}/s |`)
    out.push(`| fsa token verify | ${n0(mi.fsaVerifyPerSec)}/s |`)
    out.push(`| JWT HS256 create | ${n0(mi.jwtCreatePerSec)}/s |`)
    out.push(`| JWT HS256 verify | ${n0(mi.jwtVerifyPerSec)}/s |`)
    out.push(`| argon2id hash (${mi.argon2.backend}, m=${mi.argon2.memoryCost} KiB, t=${mi.argon2.timeCost}, p=${mi.argon2.parallelism}; median of ${mi.argon2.runs}) | ${ms(mi.argon2.hashMs)} ms |`)
    out.push(`| argon2id verify (same) | ${ms(mi.argon2.verifyMs)} ms |`)
  }
  if (r.startup !== undefined) {
    out.push('')
    out.push(startupMarkdown(r.startup))
  }
  return out.join('\n')
}
