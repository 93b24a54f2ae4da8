/**
 * Child process of the benchmark: builds scenario servers, each listening on 127.0.0.1 (random
 * port), and tells the parent over IPC, per scenario, `{ type: 'ready', name, port, request,
 * status }`, or `{ type: 'skip', name, message }` when it cannot run here. The full run starts one
 * child per scenario; `--quick` hosts every server in one child to start faster (idle servers cost
 * nothing; the load generator still has its own process). It stops when the parent disconnects
 * or sends SIGTERM (a `--cpu-prof` profile is written on that exit).
 *
 *   node --import tsx bench/server.ts <scenario>[,<scenario>…]     (normally started by bench/run.ts)
 */
import { scenarioByName } from './scenarios.js'
import { SkipScenario, type BuiltScenario } from './scenario.js'
import { STORM_SCENARIO } from './storm.js'

/** Messages a server child sends to the driver. */
export type ServerMessage =
  | { type: 'ready', name: string, port: number, request: BuiltScenario['request'], status: number }
  | { type: 'skip' | 'error', name: string, message: string }
  | { type: 'cpu', id: number, micros: number }

/** What the driver asks a server child: its CPU time so far (user + system, µs). */
export interface CpuQuery { type: 'cpu', id: number }

const send = (m: ServerMessage): void => { process.send?.(m) }
const built: BuiltScenario[] = []

for (const name of (process.argv[2] ?? '').split(',')) {
  let b: BuiltScenario | undefined
  try {
    b = await (name === STORM_SCENARIO.name ? STORM_SCENARIO : scenarioByName(name)).build()
    built.push(b)
    await b.app.listen({ host: '127.0.0.1', port: 0 })
    const address = b.app.server.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    send({ type: 'ready', name, port, request: b.request, status: b.status })
  } catch (e) {
    send(e instanceof SkipScenario ? { type: 'skip', name, message: e.message } : { type: 'error', name, message: (e as Error).stack ?? String(e) })
  }
}

// the driver reads the server's CPU time before and after each measured window: load generator
// and server share the machine's cores, so throughput alone says little about the server's cost
process.on('message', (m: CpuQuery) => {
  if (m?.type !== 'cpu') return
  const u = process.cpuUsage()
  send({ type: 'cpu', id: m.id, micros: u.user + u.system })
})

let stopping = false
async function stop (): Promise<void> {
  if (stopping) return
  stopping = true
  for (const b of built) {
    await b.app.close().catch(() => {})
    await b.close?.().catch(() => {})
  }
  process.exit(0)
}
process.on('disconnect', () => { void stop() })
process.on('SIGTERM', () => { void stop() })
