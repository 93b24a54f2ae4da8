/**
 * Helpers of the Redis tests: polling, a free port, and private redis-server processes that a
 * test may kill and restart (the shared server of FSA_TEST_REDIS_URL must never be stopped).
 */
import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'

/** Poll `check` until it holds, at most `ms` milliseconds. */
export async function until (check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = performance.now() + ms
  while (!(await check())) {
    if (performance.now() > end) assert.fail(`condition not met within ${ms} ms`)
    await sleep(20)
  }
}

/** A TCP port nothing listens on right now, on 127.0.0.1. */
export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    }).on('error', reject)
  })
}

/** Why the private-server tests cannot run, or `false` when redis-server is installed. */
export function noRedisServer (): string | false {
  return spawnSync('redis-server', ['--version']).status !== 0 ? 'redis-server binary not found' : false
}

const children: ChildProcess[] = []

/** Start a private redis-server on `port` (127.0.0.1, nothing on disk) and wait until it answers. */
export async function startRedisServer (port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' })
  children.push(child)
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 })
  probe.on('error', () => {})
  await until(async () => { try { await probe.connect(); return true } catch { return false } }, 5000)
  probe.disconnect()
  return child
}

/** Kill every private server still running (call it from `after`). */
export function killRedisServers (): void {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
}
