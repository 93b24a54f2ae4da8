/**
 * The load generator side: autocannon against one listening server, with a warm-up whose figures
 * are thrown away, and a check that every measured request got the scenario's status.
 */
import autocannon from 'autocannon'
import type { BenchRequest } from './scenario.js'

/** How one measurement is taken. */
export interface LoadSettings {
  /** Measured seconds. */
  duration: number
  /** Seconds of load before measuring, discarded. @default 0 */
  warmup?: number
  /** Concurrent connections. @default 10 */
  connections?: number
  /** Requests in flight per connection. @default 1 */
  pipelining?: number
}

/** What one measurement gives. */
export interface LoadResult {
  /** Requests answered per second over the measured window. */
  rps: number
  /** Latency percentiles in ms. */
  p50: number
  p99: number
  /** Requests answered (any status). */
  requests: number
  /** Requests whose status was not the expected one, and connection errors or timeouts. */
  wrongStatus: number
  errors: number
  /** Count per status code seen. */
  statuses: Record<string, number>
  /** Server CPU time (user + system) per answered request over the measured window, in µs, when a probe was given. */
  cpuUsPerRequest?: number
}

/** Reads the server's cumulative CPU time in µs (see `serverCpu` in children.ts). */
export type CpuProbe = () => Promise<number>

function fire (port: number, request: BenchRequest, seconds: number, connections: number, pipelining: number): Promise<autocannon.Result> {
  const opts: autocannon.Options = {
    url: `http://127.0.0.1:${port}${request.path}`,
    method: request.method,
    connections,
    pipelining,
    duration: seconds,
    timeout: 10
  }
  // autocannon checks its stop flag once per sample interval (1 s by default): sample every
  // 50 ms so that fractional durations are honoured
  Object.assign(opts, { sampleInt: 50 })
  if (request.headers !== undefined) opts.headers = request.headers
  if (request.body !== undefined) opts.body = request.body
  return autocannon(opts)
}

/**
 * Load `request` on 127.0.0.1:`port`: warm-up, then `duration` seconds measured.
 *
 * @example
 *   const r = await measure(port, { method: 'GET', path: '/hello' }, 200, { duration: 3, warmup: 1 })
 *   console.log(r.rps, r.p99)
 *   // with a CPU probe, also the server's CPU µs per request: measure(port, req, 200, settings, () => serverCpu(child))
 */
export async function measure (port: number, request: BenchRequest, status: number, settings: LoadSettings, cpu?: CpuProbe): Promise<LoadResult> {
  const connections = settings.connections ?? 10
  const pipelining = settings.pipelining ?? 1
  if ((settings.warmup ?? 0) > 0) await fire(port, request, settings.warmup ?? 0, connections, pipelining)
  const cpuBefore = cpu !== undefined ? await cpu() : 0
  const r = await fire(port, request, settings.duration, connections, pipelining)
  const cpuAfter = cpu !== undefined ? await cpu() : 0
  const statuses: Record<string, number> = {}
  for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = stat.count ?? 0
  const answered = Object.values(statuses).reduce((a, b) => a + b, 0)
  const seconds = r.duration > 0 ? r.duration : settings.duration
  const result: LoadResult = {
    rps: answered / seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: answered,
    wrongStatus: answered - (statuses[String(status)] ?? 0),
    errors: r.errors + r.timeouts,
    statuses
  }
  if (cpu !== undefined && answered > 0) result.cpuUsPerRequest = (cpuAfter - cpuBefore) / answered
  return result
}

/** The median of a non-empty list. */
export function median (xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] as number : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}
