/**
 * Helpers of the scale-out suite (test/scale-out*.test.ts): the acme demo on the multi-process
 * harness, Basic and Bearer headers, and a poll that measures how long a change takes to show on
 * another process (against a deadline, never a fixed sleep).
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ClusterNode } from './processes.js'

/** The demo as a harness process (test/helpers/acme-process.ts). */
export const ACME_SCRIPT = fileURLToPath(new URL('./acme-process.ts', import.meta.url))
/** The admin of the demo processes (ACME_PASS). */
export const ADMIN = { login: 'acme', password: 'Acme1' }

export const basic = (login: string, password: string): Record<string, string> =>
  ({ authorization: 'Basic ' + Buffer.from(`${login}:${password}`).toString('base64') })
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` })

/**
 * Ask `probe` until it answers `want`; only `want` or `before` are allowed meanwhile. The elapsed
 * milliseconds, or a failure after `ms`.
 */
export async function within (ms: number, want: number, before: number, probe: () => Promise<Response>): Promise<number> {
  const start = performance.now()
  for (;;) {
    const res = await probe()
    const elapsed = performance.now() - start
    if (res.status === want) return elapsed
    assert.equal(res.status, before, `only ${before} then ${want}: ${await res.text()}`)
    if (elapsed > ms) assert.fail(`still ${before} after ${Math.round(elapsed)} ms (wanted ${want} within ${ms} ms)`)
    await sleep(10)
  }
}

/** POST /user (the demo's admin route) as `who`, creating a fresh user; the status. */
let created = 0
export async function createUser (node: ClusterNode, who: Record<string, string>): Promise<Response> {
  created += 1
  return await node.request('/user', { method: 'POST', headers: who, json: { login: `u${process.pid}x${created}`, email: `u${created}@acme.test`, password: 'Hobbes1x' } })
}

/** A token of `login` from the users plugin's login route. */
export async function loginToken (node: ClusterNode, login: string, password: string): Promise<string> {
  const res = await node.request('/auth/login', { method: 'POST', json: { login, password } })
  assert.equal(res.status, 200, node.stderr())
  return ((await res.json()) as { token: string }).token
}

/** Run the fsa CLI (bin/fsa.js) with `env`; its exit code and output. */
export async function fsaCli (args: string[], env: Record<string, string>): Promise<{ code: number | null, out: string }> {
  const bin = fileURLToPath(new URL('../../bin/fsa.js', import.meta.url))
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr.on('data', (d: Buffer) => { out += d.toString() })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { code, out }
}
