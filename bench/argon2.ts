/**
 * Cost of password hashing at the default parameters, for both argon2 backends:
 * median hash and verify time over N sequential runs, then the throughput of 16 concurrent hashes
 * through the manager's queue at several concurrency limits.
 *
 *   npx tsx bench/argon2.ts            (N = 20)
 *   BENCH_RUNS=50 npx tsx bench/argon2.ts
 */
import { availableParallelism } from 'node:os'
import { argon2Backend } from '../lib/passwords/argon2.js'
import type { Argon2BackendName } from '../lib/passwords/argon2.js'
import { createPasswordManager } from '../lib/passwords/manager.js'
import { PASSWORD_DEFAULTS, resolvePasswordOptions } from '../lib/passwords/options.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 20)
const BACKENDS: Argon2BackendName[] = ['argon2', '@node-rs/argon2']
/** The default argon2id parameters of the password manager. */
export const params = { memoryCost: PASSWORD_DEFAULTS.memoryCost, timeCost: PASSWORD_DEFAULTS.timeCost, parallelism: PASSWORD_DEFAULTS.parallelism }

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] as number : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6
const fmt = (x: number): string => x.toFixed(1)

/** Median hash and verify times in ms of `runs` sequential runs at the default parameters. */
export async function sequential (name: Argon2BackendName, runs = RUNS): Promise<{ hash: number, verify: number }> {
  const backend = argon2Backend(name)
  await backend.hash('warm-up', params) // first call loads the native module and touches memory
  const hashes: number[] = []
  const verifies: number[] = []
  for (let i = 0; i < runs; i++) {
    const pwd = `password-${i}`
    let t0 = process.hrtime.bigint()
    const digest = await backend.hash(pwd, params)
    hashes.push(ms(t0))
    t0 = process.hrtime.bigint()
    if (!await backend.verify(digest, pwd)) throw new Error('verification failed')
    verifies.push(ms(t0))
  }
  return { hash: median(hashes), verify: median(verifies) }
}

async function concurrent (name: Argon2BackendName, concurrency: number, n = 16): Promise<{ total: number, maxActive: number }> {
  const manager = createPasswordManager(resolvePasswordOptions({ backend: name, concurrency }))
  let maxActive = 0
  const timer = setInterval(() => { maxActive = Math.max(maxActive, manager.stats().active) }, 1)
  const t0 = process.hrtime.bigint()
  await Promise.all(Array.from({ length: n }, (_, i) => manager.hash(`password-${i}`)))
  const total = ms(t0)
  clearInterval(timer)
  return { total, maxActive }
}

/** Whether this file is the script being run (not imported by bench/run.ts). */
const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')

if (isMain) {
  console.log(`node ${process.version}, ${availableParallelism()} CPUs, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`)
  console.log(`argon2id m=${params.memoryCost} KiB t=${params.timeCost} p=${params.parallelism}, median of ${RUNS}\n`)
  for (const name of BACKENDS) {
    const s = await sequential(name)
    console.log(`${name.padEnd(16)} hash ${fmt(s.hash)} ms   verify ${fmt(s.verify)} ms`)
  }
  console.log('\n16 concurrent hashes through the queue:')
  for (const name of BACKENDS) {
    for (const c of [1, 2, 4]) {
      const rounds = [await concurrent(name, c), await concurrent(name, c), await concurrent(name, c)]
      const total = median(rounds.map((r) => r.total))
      const maxActive = Math.max(...rounds.map((r) => r.maxActive))
      console.log(`${name.padEnd(16)} concurrency ${c}: ${fmt(total)} ms total, ${fmt(16000 / total)} hashes/s (max active ${maxActive}, median of 3)`)
    }
  }
}
