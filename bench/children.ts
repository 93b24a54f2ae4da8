/**
 * Server children of the driver: scenario servers run in child processes (`bench/server.ts`), so
 * autocannon in the parent and the servers never share an event loop.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BenchRequest } from './scenario.js'
import type { CpuQuery, ServerMessage } from './server.js'

/** The repository root (children resolve `--import tsx` from there). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url))

/** A running scenario server, or why it is not running. */
export type ServerChild =
  | { name: string, state: 'ready', port: number, request: BenchRequest, status: number, child: ChildProcess }
  | { name: string, state: 'skipped' | 'failed', message: string }

/**
 * Start one child hosting the servers of scenarios `names` and wait until each listens (or says
 * it cannot run). `cpuProfDir`: run it under `node --cpu-prof`, the profiles written when it stops
 * under `cpuProfDir/<names>/` (the main thread's is the largest file).
 */
export function startServers (names: string[], cpuProfDir?: string, timeoutMs = 120_000): Promise<ServerChild[]> {
  const execArgv = ['--import', 'tsx']
  // one directory per child: node writes a profile per thread (main, and tsx's loader worker)
  if (cpuProfDir !== undefined) execArgv.push('--cpu-prof', `--cpu-prof-dir=${join(cpuProfDir, names.join('+'))}`)
  const child = fork(SERVER, [names.join(',')], { cwd: ROOT, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const got = new Map<string, ServerChild>()
  return new Promise((resolve) => {
    const finish = (why?: string): void => {
      clearTimeout(timer)
      child.removeAllListeners('message')
      if (why !== undefined) child.kill('SIGTERM')
      resolve(names.map((name) => got.get(name) ?? { name, state: 'failed', message: why ?? 'no answer' }))
    }
    const timer = setTimeout(() => finish(`not listening after ${timeoutMs} ms`), timeoutMs)
    child.once('exit', (code) => { if (got.size < names.length) finish(`exited with code ${String(code)} before listening`) })
    child.on('message', (m: ServerMessage) => {
      if (m.type === 'cpu') return
      got.set(m.name, m.type === 'ready'
        ? { name: m.name, state: 'ready', port: m.port, request: m.request, status: m.status, child }
        : { name: m.name, state: m.type === 'skip' ? 'skipped' : 'failed', message: m.message })
      if (got.size === names.length) finish()
    })
  })
}

/** Start one scenario server in its own child. */
export async function startServer (name: string, cpuProfDir?: string): Promise<ServerChild> {
  const [s] = await startServers([name], cpuProfDir)
  return s ?? { name, state: 'failed', message: 'no answer' }
}

/** Stop the children of these servers (once each) and wait for them to exit, profiles written. */
export async function stopServers (servers: ServerChild[]): Promise<void> {
  const children = new Set(servers.flatMap((s) => s.state === 'ready' ? [s.child] : []))
  await Promise.all([...children].map(async (child) => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }))
}

/** Start each scenario in its own child, `limit` at a time (start-up is CPU-bound). */
export async function startEach (names: string[], cpuProfDir?: string, limit = 3): Promise<ServerChild[]> {
  const out: ServerChild[] = new Array(names.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const i = next++
      out[i] = await startServer(names[i] as string, cpuProfDir)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, names.length) }, worker))
  return out
}

let cpuQueries = 0

/**
 * The CPU time (user + system, µs) a server child has used so far, from `process.cpuUsage()` in
 * the child. In `--quick` mode several idle servers share the child; only the measured one works.
 */
export function serverCpu (child: ChildProcess, timeoutMs = 5000): Promise<number> {
  const id = ++cpuQueries
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.removeListener('message', onMessage); reject(new Error('no CPU answer from the server child')) }, timeoutMs)
    const onMessage = (m: ServerMessage): void => {
      if (m.type !== 'cpu' || m.id !== id) return
      clearTimeout(timer)
      child.removeListener('message', onMessage)
      resolve(m.micros)
    }
    child.on('message', onMessage)
    child.send({ type: 'cpu', id } satisfies CpuQuery)
  })
}
