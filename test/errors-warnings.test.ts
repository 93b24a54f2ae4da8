// docs/reference/errors.md lists every FSAWRN_* warning of lib/errors/warnings.ts and nothing
// else, and every start-up warning reaches the application: through fastify.log when it has a
// logger, through process.emitWarning when it has none (Fastify's default), never silently.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import secure from '../lib/index.js'
import * as warnings from '../lib/errors/warnings.js'
import { logCapture } from './helpers/auth-app.js'

const doc = readFileSync(new URL('../docs/reference/errors.md', import.meta.url), 'utf8')
const catalogue = Object.entries(warnings).filter(([name]) => name.startsWith('FSAWRN_')) as Array<[string, warnings.WarningKind]>

function documented (): Map<string, string> {
  const rows = new Map<string, string>()
  for (const line of doc.split('\n')) {
    const m = /^\|\s*`?(FSAWRN_[A-Z0-9_]+)`?\s*\|\s*([^|]*?)\s*\|/.exec(line)
    if (m !== null) {
      assert.ok(!rows.has(m[1] as string), `${m[1]} is documented twice`)
      rows.set(m[1] as string, m[2] as string)
    }
  }
  return rows
}

test('every warning of the catalogue carries its own name as code', () => {
  assert.ok(catalogue.length >= 6)
  for (const [name, kind] of catalogue) assert.equal(kind('a', 'b').code, name)
})

test('every FSAWRN_* code is documented in docs/reference/errors.md, and every documented one exists', () => {
  const rows = documented()
  assert.deepEqual(catalogue.map(([name]) => name).filter((name) => !rows.has(name)), [], 'undocumented warnings')
  const known = new Set(catalogue.map(([name]) => name))
  assert.deepEqual([...rows.keys()].filter((code) => !known.has(code)), [], 'documented warnings that no longer exist')
})

/** Warnings Node emits while `fn` runs (process.emitWarning is synchronous, the event is not). */
async function emitted (fn: () => Promise<void>): Promise<Array<Error & { code?: string }>> {
  const seen: Array<Error & { code?: string }> = []
  const listener = (w: Error & { code?: string }): void => { seen.push(w) }
  process.on('warning', listener)
  try {
    await fn()
    await new Promise((resolve) => setImmediate(resolve))
  } finally {
    process.off('warning', listener)
  }
  return seen.filter((w) => w.name === 'FastifySimpleAuthWarning')
}

test('with the logger off, start-up warnings go through process.emitWarning with their code', async () => {
  const seen = await emitted(async () => {
    const app = Fastify()
    await app.register(secure, { auth: ['token', 'none'], objectPerms: { forgotten: () => true } })
    app.get('/closed-by-omission-1', async () => 'never')
    await app.ready()
    await app.close()
  })
  const codes = seen.map((w) => w.code).sort()
  assert.deepEqual(codes, ['FSAWRN_PERM_UNUSED', 'FSAWRN_ROUTE_UNDECLARED', 'FSAWRN_TOKEN_RANDOM_SECRET'])
  assert.match(seen.find((w) => w.code === 'FSAWRN_ROUTE_UNDECLARED')?.message ?? '', /GET \/closed-by-omission-1/)
})

test('with a logger, the same warnings go to fastify.log.warn only, each with its code', async () => {
  const logs = logCapture()
  const seen = await emitted(async () => {
    const app = Fastify({ logger: { level: 'warn', stream: logs.stream } })
    await app.register(secure, { auth: ['token', 'none'], groupCheck: { never: () => true } })
    app.get('/closed-by-omission-2', async () => 'never')
    await app.ready()
    await app.close()
  })
  assert.deepEqual(seen, [], 'nothing on process warnings when the application logs')
  const records = logs.lines.map((l) => JSON.parse(l) as { level: number, code?: string, msg: string, routes?: string[] })
  assert.deepEqual(records.map((r) => [r.level, r.code]).sort(), [[40, 'FSAWRN_GROUP_UNUSED'], [40, 'FSAWRN_ROUTE_UNDECLARED'], [40, 'FSAWRN_TOKEN_RANDOM_SECRET']])
  const closed = records.find((r) => r.code === 'FSAWRN_ROUTE_UNDECLARED')
  assert.deepEqual(closed?.routes, ['GET /closed-by-omission-2'])
  assert.match(closed?.msg ?? '', /^fastify-simple-auth: 1 route\(s\) without config\.authorize are closed \(403\)/)
})

test('the logger-off detection recognizes Fastify\'s stand-in and nothing else', () => {
  assert.equal(warnings.isSilentLogger(Fastify().log), true)
  assert.equal(warnings.isSilentLogger(Fastify({ logger: { level: 'silent' } }).log), false, 'a silenced pino logger is a choice')
  assert.equal(warnings.isSilentLogger({ warn () {} }), false)
})
