// Headers the plugin adds to responses: addHeaders (static or computed) and, in dev/debug mode,
// FSA-Request, FSA-User and FSA-Delay.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { basic, buildAuthApp, userHashes } from './helpers/auth-app.js'
import { headerSafe } from '../lib/core/response-hooks.js'

test('addHeaders adds static headers to every response, errors included', async (t) => {
  const app = await buildAuthApp(t, { addHeaders: { 'X-Frame-Options': 'DENY', 'Cache-Control': 'no-store' } })
  for (const url of ['/open', '/auth', '/nowhere']) {
    const res = await app.inject(url)
    assert.equal(res.headers['x-frame-options'], 'DENY', url)
    assert.equal(res.headers['cache-control'], 'no-store', url)
  }
})

test('addHeaders functions compute a value per response, and null, undefined or "" skip the header', async (t) => {
  const app = await buildAuthApp(t, {
    addHeaders: {
      'X-User': (req) => req.authUser,
      'X-Status': (_req, reply) => String(reply.statusCode),
      'X-Empty': () => '',
      'X-Undefined': () => undefined
    }
  })
  const anonymous = await app.inject('/open')
  assert.equal(anonymous.headers['x-user'], undefined)
  assert.equal(anonymous.headers['x-status'], '200')
  assert.equal('x-empty' in anonymous.headers, false)
  assert.equal('x-undefined' in anonymous.headers, false)
  const known = await app.inject({ url: '/auth', headers: { authorization: basic('calvin', 'hobbes') } })
  assert.equal(known.headers['x-user'], 'calvin')
  const denied = await app.inject('/auth')
  assert.equal(denied.headers['x-status'], '401')
})

test('mode "dev" adds FSA-Request, FSA-User (login and scheme) and FSA-Delay', async (t) => {
  const app = await buildAuthApp(t, { mode: 'dev' })
  const res = await app.inject({ url: '/auth?x=1', headers: { authorization: basic('calvin', 'hobbes') } })
  assert.equal(res.headers['fsa-request'], 'GET /auth')
  assert.equal(res.headers['fsa-user'], 'calvin (basic)')
  assert.match(String(res.headers['fsa-delay']), /^\d+\.\d{6}$/)
  const anonymous = await app.inject('/open')
  assert.equal(anonymous.headers['fsa-request'], 'GET /open')
  assert.equal(anonymous.headers['fsa-user'], undefined)
})

test('mode "debug" adds the same headers', async (t) => {
  const app = await buildAuthApp(t, { mode: 'debug' })
  const token = await app.createToken('hobbes')
  const res = await app.inject({ url: '/auth', headers: { authorization: `Bearer ${token}` } })
  assert.equal(res.headers['fsa-user'], 'hobbes (token)')
})

test('mode "prod" (the default) adds no FSA-* header', async (t) => {
  for (const mode of [undefined, 'prod'] as const) {
    const app = await buildAuthApp(t, mode === undefined ? {} : { mode })
    const res = await app.inject({ url: '/auth', headers: { authorization: basic('calvin', 'hobbes') } })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(Object.keys(res.headers).filter((h) => h.startsWith('fsa-')), [])
  }
})

test('mode "dev": a login outside Latin-1 gets a 200 with a percent-encoded FSA-User, not a 500', async (t) => {
  const hashes = await userHashes()
  const app = await buildAuthApp(t, { mode: 'dev', getUserPass: (login) => login === '日本ユーザ' ? hashes.get('calvin') ?? null : null })
  const res = await app.inject({ url: '/auth', headers: { authorization: basic('日本ユーザ', 'hobbes') } })
  assert.equal(res.statusCode, 200, res.body)
  assert.deepEqual(res.json(), { user: '日本ユーザ', scheme: 'basic' })
  assert.equal(res.headers['fsa-user'], '%E6%97%A5%E6%9C%AC%E3%83%A6%E3%83%BC%E3%82%B6 (basic)')
  assert.equal(decodeURIComponent(String(res.headers['fsa-user'])), '日本ユーザ (basic)')
})

test('debug header values keep printable ASCII and encode everything else, control characters included', () => {
  assert.equal(headerSafe('GET /a%20b?x'), 'GET /a%20b?x')
  assert.equal(headerSafe('é\r\nX-Evil: 1'), '%C3%A9%0D%0AX-Evil: 1')
  assert.equal(headerSafe('\ud800'), '%EF%BF%BD')
})
