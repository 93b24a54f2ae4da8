// Start-up runs in phases (docs/architecture.md, "Start-up"): every option is checked before any
// resource is opened, resources are opened in order with a disposer each, and any failure closes
// what was opened, so that a process whose app failed to start can exit by itself.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import secure, { type SecureOptions } from '../lib/index.js'
import { resolveSecureOptions } from '../lib/core/resolve.js'
import { DisposerStack } from '../lib/core/disposers.js'
import { FAST_PASSWORD, SECRET } from './helpers/auth-app.js'
import { readyError } from './helpers/ready-error.js'

const REDIS_URL = process.env.FSA_TEST_REDIS_URL
const noRedis = REDIS_URL === undefined ? 'FSA_TEST_REDIS_URL not set' : false
const prefix = `fsa_startup_${process.pid}_${Date.now()}:`
const child = new URL('./helpers/startup-child.ts', import.meta.url).pathname

/** Run the start-up child with `options`; its output and whether it exited by itself within `ms`. */
async function runChild (options: unknown, extra: string[] = [], ms = 20_000): Promise<{ out: string, exited: boolean }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(options), ...extra], { stdio: ['ignore', 'pipe', 'ignore'] })
  let out = ''
  proc.stdout.on('data', (chunk: Buffer) => { out += String(chunk) })
  const exited = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); resolve(false) }, ms)
    proc.once('exit', () => { clearTimeout(timer); resolve(true) })
  })
  return { out: out.trim(), exited }
}

/** A store URL in a fresh directory; `walOpen()` tells whether a connection still holds the database. */
function sqliteStore (t: { after: (fn: () => void) => void }): { url: string, walOpen: () => boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'fsa-startup-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const db = join(dir, 'acme.db')
  // WAL mode keeps `-wal` beside the database while a connection is open; closing the last one removes it
  return { url: `sqlite://${db}`, walOpen: () => existsSync(db + '-wal') }
}

async function startupError (options: SecureOptions, routes?: (app: FastifyInstance) => void): Promise<Error & { code?: string }> {
  return await readyError(async (app) => {
    await app.register(secure, options)
    routes?.(app)
  })
}

test('phase 1 checks every option, cross-option rules included, without opening anything', () => {
  const rules: Array<[SecureOptions, string]> = [
    [{ store: 'sqlite::memory:', token: { secret: 'too-short' } }, 'FSA_ERR_OPT_SECRET'],
    [{ store: 'sqlite::memory:', auth: 'oauth', token: { secret: SECRET } }, 'FSA_ERR_OPT_INVALID'],
    [{ cache: { type: 'redis' }, token: { type: 'jwt', algorithm: 'none' } }, 'FSA_ERR_OPT_ALGORITHM'],
    [{ store: 'mysql://x', password: FAST_PASSWORD }, 'FSA_ERR_STORE_URL'],
    [{ store: 'env' }, 'FSA_ERR_OPT_INVALID'],
    [{ auth: ['basic', 'none'] }, 'FSA_ERR_OPT_PASSWORD_SOURCE']
  ]
  for (const [options, code] of rules) {
    assert.throws(() => resolveSecureOptions(options, {}), { code }, JSON.stringify(options))
  }
})

test('a too-short token secret with a Redis cache fails ready() and the process exits by itself', { skip: noRedis }, async () => {
  const { out, exited } = await runChild({ auth: ['token', 'none'], cache: { type: 'redis', redis: REDIS_URL, prefix }, token: { secret: 'short' } })
  assert.equal(out, 'failed FSA_ERR_OPT_SECRET')
  assert.ok(exited, 'the process stayed alive: a connection was left open')
})

test('a failure after Redis was connected (an unusable JWT key) closes it and the process exits by itself', { skip: noRedis }, async () => {
  const { out, exited } = await runChild({
    auth: ['token', 'none'], cache: { type: 'redis', redis: REDIS_URL, prefix }, token: { type: 'jwt', algorithm: 'ES256', publicKey: 'not a PEM key' }
  })
  assert.match(out, /^failed /)
  assert.ok(exited, 'the process stayed alive: the Redis connection was left open')
})

test('a strict-mode failure at ready closes Redis and the process exits by itself', { skip: noRedis }, async () => {
  const { out, exited } = await runChild({ auth: ['token', 'none'], strict: true, cache: { type: 'redis', redis: REDIS_URL, prefix }, token: { secret: SECRET } }, ['undeclared-route'])
  assert.equal(out, 'failed FSA_ERR_ROUTE_UNDECLARED')
  assert.ok(exited, 'the process stayed alive: the Redis connection was left open')
})

test('a store opened in phase 2 is closed again when a later resource fails', async (t) => {
  const store = sqliteStore(t)
  const e = await startupError({ store: store.url, auth: ['token', 'none'], token: { type: 'jwt', algorithm: 'ES256', publicKey: 'not a PEM key' } })
  assert.notEqual(e.code, undefined)
  assert.equal(store.walOpen(), false, 'the database is still open')
})

test('a store is closed again when ready() fails on a strict-mode check', async (t) => {
  const store = sqliteStore(t)
  const e = await startupError({ store: store.url, password: FAST_PASSWORD, strict: true, token: { secret: SECRET } }, (app) => app.get('/forgot', async () => 'x'))
  assert.equal(e.code, 'FSA_ERR_ROUTE_UNDECLARED')
  assert.equal(store.walOpen(), false, 'the database is still open')
})

test('a store that started fine stays open until app.close()', async (t) => {
  const store = sqliteStore(t)
  const app = Fastify()
  await app.register(secure, { store: store.url, password: FAST_PASSWORD, token: { secret: SECRET } })
  await app.ready()
  assert.equal(store.walOpen(), true)
  await app.close()
  assert.equal(store.walOpen(), false)
})

test('the disposer stack closes last-opened first, every step once, and reports failures without throwing', async () => {
  const stack = new DisposerStack()
  const order: string[] = []
  stack.defer('store', () => { order.push('store') })
  stack.defer('cache', () => { order.push('cache'); throw new Error('boom') })
  stack.defer('keys', async () => { order.push('keys') })
  const failures = await stack.dispose()
  assert.deepEqual(order, ['keys', 'cache', 'store'])
  assert.deepEqual(failures.map((f) => [f.what, (f.error as Error).message]), [['cache', 'boom']])
  assert.deepEqual(await stack.dispose(), [])
  assert.deepEqual(order, ['keys', 'cache', 'store'], 'a second dispose closes nothing again')
})
