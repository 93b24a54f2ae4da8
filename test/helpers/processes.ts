/**
 * Several application processes sharing one PostgreSQL database and one Redis, for the tests
 * that need more than one instance (revocation across instances, later the scale-out suite).
 * Each run gets a fresh database (created here, dropped with FORCE after the test) and its own
 * Redis key prefix (its keys deleted after); every child listens on a free loopback port and is
 * stopped by `t.after`, even when the test fails.
 *
 * @example
 *   const cluster = await startCluster(t, { count: 2, env: { FSA_SEED_USERS: 'calvin:hobbes' } })
 *   const res = await cluster.nodes[0].request('/auth/login', { method: 'POST', json: { login: 'calvin', password: 'hobbes' } })
 */
import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { TestContext } from 'node:test'
import pg from 'pg'
import { Redis } from 'ioredis'

/** PostgreSQL and Redis of the multi-process tests. */
export const CLUSTER_PG_URL = process.env.FSA_TEST_PG_URL
export const CLUSTER_REDIS_URL = process.env.FSA_TEST_REDIS_URL

/** Why a cluster cannot start here, or `false`. */
export function noCluster (): string | false {
  if (CLUSTER_PG_URL === undefined) return 'FSA_TEST_PG_URL not set'
  if (CLUSTER_REDIS_URL === undefined) return 'FSA_TEST_REDIS_URL not set'
  return false
}

/** One application process. */
export interface ClusterNode {
  readonly child: ChildProcess
  readonly port: number
  readonly url: string
  /** An HTTP request to this process; `json` is sent as a JSON body. */
  request (path: string, init?: RequestInit & { json?: unknown }): Promise<Response>
  /** What the process wrote on stderr so far (for failure messages). */
  stderr (): string
}

/** The processes and what they share. */
export interface Cluster {
  readonly nodes: ClusterNode[]
  readonly dbUrl: string
  readonly redisPrefix: string
  /** Start one more process on the same database and Redis. */
  add (): Promise<ClusterNode>
}

/** How to start a cluster. */
export interface ClusterOptions {
  /** @default 2 */
  count?: number
  /** The application: a module that listens and sends `{ ready: port }` over IPC. @default test/helpers/process-app.ts */
  script?: string
  /** More environment variables of every process. */
  env?: Record<string, string>
  /** Longest wait for a process to be ready, ms. @default 20000 */
  startTimeout?: number
}

const DEFAULT_SCRIPT = fileURLToPath(new URL('./process-app.ts', import.meta.url))

async function withPg<T> (url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try { return await fn(client) } finally { await client.end() }
}

/** Create a fresh database next to the one of `url`; drop it (FORCE: children may hold connections) after the test. */
export async function freshDatabase (t: TestContext, url: string, name: string): Promise<string> {
  await withPg(url, (c) => c.query(`create database "${name}"`))
  t.after(() => withPg(url, (c) => c.query(`drop database if exists "${name}" with (force)`)))
  const u = new URL(url)
  u.pathname = '/' + name
  return u.toString()
}

/** Delete every Redis key of `prefix` after the test. */
function cleanRedis (t: TestContext, url: string, prefix: string): void {
  t.after(async () => {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
    try {
      await redis.connect()
      let cursor = '0'
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', prefix.replace(/[*?[\]\\]/g, '\\$&') + '*', 'COUNT', 1000)
        if (keys.length > 0) await redis.unlink(...keys)
        cursor = next
      } while (cursor !== '0')
    } finally { redis.disconnect() }
  })
}

function stopChild (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000)
    child.once('exit', () => { clearTimeout(kill); resolve() })
    child.kill('SIGTERM')
  })
}

/** Fork one process and wait for its `{ ready: port }`. */
async function startNode (t: TestContext, script: string, env: Record<string, string>, timeoutMs: number): Promise<ClusterNode> {
  const child = fork(script, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env, PORT: '0' }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
  t.after(() => stopChild(child))
  let err = ''
  child.stderr?.on('data', (d: Buffer) => { err += d.toString() })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`process not ready within ${timeoutMs} ms: ${err}`)), timeoutMs)
    child.on('message', (m: { ready?: number }) => { if (typeof m.ready === 'number') { clearTimeout(timer); resolve(m.ready) } })
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`process exited (${String(code)}) before ready: ${err}`)) })
  })
  const url = `http://127.0.0.1:${port}`
  return {
    child,
    port,
    url,
    stderr: () => err,
    request: async (path, init = {}) => {
      const { json, ...rest } = init
      const headers = new Headers(rest.headers)
      if (json !== undefined) headers.set('content-type', 'application/json')
      return await fetch(url + path, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json) })
    }
  }
}

/**
 * Start `count` processes of `script` on a fresh PostgreSQL database and a fresh Redis prefix.
 * The first starts alone (it migrates and seeds), the others then in parallel.
 */
export async function startCluster (t: TestContext, opts: ClusterOptions = {}): Promise<Cluster> {
  const reason = noCluster()
  if (reason !== false) throw new Error(`cannot start a cluster: ${reason}`)
  const run = `fsa_proc_${process.pid}_${randomBytes(4).toString('hex')}`
  const dbUrl = await freshDatabase(t, CLUSTER_PG_URL as string, run)
  const redisPrefix = `${run}:`
  cleanRedis(t, CLUSTER_REDIS_URL as string, redisPrefix)
  const env = {
    FSA_DB_URL: dbUrl,
    FSA_REDIS_URL: CLUSTER_REDIS_URL as string,
    FSA_REDIS_PREFIX: redisPrefix,
    FSA_TOKEN_SECRET: randomBytes(32).toString('hex'),
    ...opts.env
  }
  const script = opts.script ?? DEFAULT_SCRIPT
  const timeout = opts.startTimeout ?? 20_000
  const add = async (): Promise<ClusterNode> => {
    const node = await startNode(t, script, env, timeout)
    nodes.push(node)
    return node
  }
  const nodes: ClusterNode[] = []
  await add()
  await Promise.all(Array.from({ length: (opts.count ?? 2) - 1 }, add))
  return { nodes, dbUrl, redisPrefix, add }
}
