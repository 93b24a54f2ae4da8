// Custom schemes from the `schemes` option: the application's function returns a login, null to
// let the next scheme try, or throws err(message, 401).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyRequest } from 'fastify'
import { err } from '../lib/index.js'
import { buildAuthApp, logCapture } from './helpers/auth-app.js'

const KEYS: Record<string, string> = { 'k-123': 'calvin', 'k-456': 'hobbes' }

function apikey (request: FastifyRequest): string | null {
  const key = request.headers['x-api-key']
  if (key === undefined) return null
  const login = typeof key === 'string' ? KEYS[key] : undefined
  if (login === undefined) err('unknown API key', 401)
  return login as string
}

test('a custom scheme listed in auth authenticates with its own credentials', async (t) => {
  const app = await buildAuthApp(t, { auth: ['apikey', 'basic', 'none'], schemes: { apikey } })
  await app.ready()
  assert.deepEqual(app.fsa.schemes, ['apikey', 'basic', 'none'])
  const res = await app.inject({ url: '/auth', headers: { 'x-api-key': 'k-456' } })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), { user: 'hobbes', scheme: 'apikey' })
})

test('an async custom scheme works the same', async (t) => {
  const app = await buildAuthApp(t, { auth: ['apikey', 'none'], schemes: { apikey: async (req) => apikey(req) } })
  const res = await app.inject({ url: '/auth', headers: { 'x-api-key': 'k-123' } })
  assert.equal(res.statusCode, 200)
  assert.equal(res.json().user, 'calvin')
})

test('a custom scheme returning null lets the next scheme try, then a 401 missing authentication', async (t) => {
  const app = await buildAuthApp(t, { auth: ['apikey', 'basic', 'none'], schemes: { apikey } })
  const res = await app.inject('/auth')
  assert.equal(res.statusCode, 401)
  assert.equal(res.body, 'missing authentication')
  assert.equal(res.headers['www-authenticate'], 'Basic realm="fastify", charset="UTF-8"')
})

test('a custom scheme throwing err(message, 401) answers that 401 with its message', async (t) => {
  for (const fn of [apikey, async (req: FastifyRequest) => apikey(req)]) {
    const app = await buildAuthApp(t, { auth: ['apikey', 'none'], schemes: { apikey: fn } })
    const res = await app.inject({ url: '/auth', headers: { 'x-api-key': 'nope' } })
    assert.equal(res.statusCode, 401)
    assert.equal(res.body, 'unknown API key')
  }
})

test('a custom scheme returning a non-string is a 500 naming the scheme and the type, never the value', async (t) => {
  const logs = logCapture()
  const app = await buildAuthApp(t, { auth: ['weird', 'none'], schemes: { weird: () => 42 as unknown as string } }, { logger: { stream: logs.stream } })
  const res = await app.inject('/auth')
  assert.equal(res.statusCode, 500)
  // the catalogue message names the callback and the type, never the value
  assert.equal(res.body, 'internal error: scheme "weird" returned number, expected a non-empty string or null')
  assert.match(logs.text(), /scheme \\"weird\\" returned number/)
})

test('a custom scheme that crashes is a 500 "internal error" and the crash is logged', async (t) => {
  const logs = logCapture()
  const app = await buildAuthApp(t, { auth: ['broken', 'none'], schemes: { broken: () => { throw new TypeError('db down at 10.0.0.7') } } }, { logger: { stream: logs.stream } })
  const res = await app.inject('/auth')
  assert.equal(res.statusCode, 500)
  assert.equal(res.body, 'internal error')
  assert.match(logs.text(), /db down at 10\.0\.0\.7/)
})

test('a custom scheme in schemes but not listed in auth is not used', async (t) => {
  const app = await buildAuthApp(t, { auth: ['basic', 'none'], schemes: { apikey } })
  const res = await app.inject({ url: '/auth', headers: { 'x-api-key': 'k-123' } })
  assert.equal(res.statusCode, 401)
})
