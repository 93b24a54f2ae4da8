/**
 * `npm run bench:scale`: the acme demo scaled out. Two processes on one PostgreSQL database and
 * one Redis, the load spread over both, beside one process on SQLite with its memory cache; for a
 * cached fsa token and a cached Basic login on GET /hello-me, the server CPU per request of each
 * process (on 2 shared cores, throughput says little). Only 127.0.0.1. PostgreSQL and Redis come
 * from FSA_TEST_PG_URL and FSA_TEST_REDIS_URL (else the local defaults); a fresh database and a
 * fresh Redis prefix are made for the run and removed after.
 *
 * Options: --rounds=N (3), --duration=S (3), --connections=N (10: half on each of the pair, and
 * half on the single process, which is measured alone).
 */
import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { Redis } from 'ioredis'
import { measure, median } from './load.js'
import { ROOT } from './children.js'
import type { BenchRequest } from './scenario.js'

const { values: args } = parseArgs({ options: { rounds: { type: 'string' }, duration: { type: 'string' }, connections: { type: 'string' } } })
const ROUNDS = Number(args.rounds ?? 3)
const DURATION = Number(args.duration ?? 3)
const CONNECTIONS = Number(args.connections ?? 10)
const PG_URL = process.env.FSA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.FSA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const SCRIPT = join(ROOT, 'test', 'helpers', 'acme-process.ts')
const PASSWORD = 'Acme1'

interface Instance { child: ChildProcess, port: number, cpu: () => Promise<number> }

async function startInstance (env: Record<string, string>): Promise<Instance> {
  const child = fork(SCRIPT, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env, ACME_PASS: PASSWORD }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (m: { ready?: number }) => { if (typeof m.ready === 'number') resolve(m.ready) })
    child.once('exit', (code) => reject(new Error(`acme process exited (${String(code)})`)))
  })
  const cpu = (): Promise<number> => new Promise((resolve) => {
    const on = (m: { cpu?: number }): void => { if (typeof m.cpu === 'number') { child.off('message', on); resolve(m.cpu) } }
    child.on('message', on)
    child.send('cpu')
  })
  return { child, port, cpu }
}

async function pgQuery (url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try { await c.query(sql) } finally { await c.end() }
}

/** The requests of the run: a cached token and a cached Basic login of the admin. */
async function requests (port: number): Promise<Record<string, BenchRequest>> {
  const basic = 'Basic ' + Buffer.from(`acme:${PASSWORD}`).toString('base64')
  const res = await fetch(`http://127.0.0.1:${port}/token`, { headers: { authorization: basic } })
  const { token } = await res.json() as { token: string }
  return {
    token: { method: 'GET', path: '/hello-me', headers: { authorization: `Bearer ${token}` } },
    basic: { method: 'GET', path: '/hello-me', headers: { authorization: basic } }
  }
}

/**
 * Load spread over `instances` at once, CONNECTIONS / 2 connections each (the single process gets
 * as many as each of the pair: CPU per request depends on how many requests a loop turn handles);
 * the server CPU µs per request of each.
 */
async function spread (instances: Instance[], request: BenchRequest): Promise<number[]> {
  const each = Math.max(1, Math.round(CONNECTIONS / 2))
  const results = await Promise.all(instances.map((i) => measure(i.port, request, 200, { duration: DURATION, warmup: 0.5, connections: each }, i.cpu)))
  for (const r of results) if (r.wrongStatus > 0 || r.errors > 0) throw new Error(`unexpected answers: ${JSON.stringify(r.statuses)}`)
  return results.map((r) => r.cpuUsPerRequest ?? NaN)
}

const run = `fsa_scale_${process.pid}_${randomBytes(3).toString('hex')}`
const dbUrl = new URL(PG_URL)
dbUrl.pathname = '/' + run
const dir = mkdtempSync(join(tmpdir(), 'fsa-scale-'))
const secret = randomBytes(32).toString('hex')
await pgQuery(PG_URL, `create database "${run}"`)
const instances: Instance[] = []
try {
  const shared = { FSA_DB_URL: dbUrl.toString(), FSA_REDIS_URL: REDIS_URL, FSA_REDIS_PREFIX: `${run}:`, FSA_TOKEN_SECRET: secret }
  const a = await startInstance(shared)
  const b = await startInstance(shared)
  const single = await startInstance({ FSA_DB_URL: 'sqlite://' + join(dir, 'acme.db'), ACME_REDIS_URL: '', FSA_TOKEN_SECRET: secret })
  instances.push(a, b, single)
  const singleRequests = await requests(single.port)
  const pairRequests = await requests(a.port)
  const rows: Record<string, { a: number[], b: number[], single: number[] }> = {}
  for (const name of Object.keys(pairRequests)) rows[name] = { a: [], b: [], single: [] }
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of Object.keys(rows)) {
      const row = rows[name] as { a: number[], b: number[], single: number[] }
      const [onA, onB] = await spread([a, b], pairRequests[name] as BenchRequest)
      row.a.push(onA as number)
      row.b.push(onB as number)
      row.single.push(...await spread([single], singleRequests[name] as BenchRequest))
    }
  }
  console.log(`Server CPU µs per request, GET /hello-me of the acme demo, medians of ${ROUNDS} alternated rounds of ${DURATION} s, ${Math.round(CONNECTIONS / 2)} connections on each process (the pair loaded at once).`)
  console.log('\n| route | one process, SQLite, memory cache | A (PostgreSQL + Redis) | B (PostgreSQL + Redis) |\n|---|---:|---:|---:|')
  for (const [name, row] of Object.entries(rows)) {
    console.log(`| ${name === 'token' ? 'cached fsa token (bearer)' : 'cached Basic login'} | ${median(row.single).toFixed(1)} | ${median(row.a).toFixed(1)} | ${median(row.b).toFixed(1)} |`)
  }
} finally {
  for (const i of instances) i.child.kill('SIGTERM')
  await new Promise((resolve) => setTimeout(resolve, 500))
  await pgQuery(PG_URL, `drop database if exists "${run}" with (force)`)
  const redis = new Redis(REDIS_URL)
  const keys = await redis.keys(`${run}:*`)
  if (keys.length > 0) await redis.unlink(...keys)
  redis.disconnect()
  rmSync(dir, { recursive: true, force: true })
}
