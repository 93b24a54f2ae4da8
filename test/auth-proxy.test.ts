// Behind a reverse proxy: "local" (plain HTTP allowed, auth cookie without Secure) is decided on
// the connection's peer address and only for connections without forwarding headers; a proxy
// that is not trusted gets a warning; HTTPS responses carry Strict-Transport-Security.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { basic, buildAuthApp, SECRET } from './helpers/auth-app.js'
import { buildApp } from './helpers/app.js'
import type { SecureOptions } from '../lib/index.js'

const creds = { authorization: basic('calvin', 'hobbes') }
const cookieOptions: SecureOptions = { auth: ['token', 'basic', 'none'], token: { carrier: 'cookie', secret: SECRET } }
const HSTS = 'strict-transport-security'

// a proxy on the same host relays internet traffic: every connection comes from 127.0.0.1
for (const forwarded of [{ 'x-forwarded-proto': 'http' }, { 'x-forwarded-for': '203.0.113.7' }, { forwarded: 'for=203.0.113.7;proto=http' }, { 'x-real-ip': '203.0.113.7' }]) {
  const name = Object.keys(forwarded)[0] as string
  test(`without trustProxy, a loopback connection carrying ${name} is not local: plain HTTP is refused before credentials are read`, async (t) => {
    const app = await buildAuthApp(t, { errorResponse: 'json:error' })
    const res = await app.inject({ url: '/auth', remoteAddress: '127.0.0.1', headers: { ...creds, ...forwarded } })
    assert.equal(res.statusCode, 403)
    assert.deepEqual(res.json(), { error: 'insecure HTTP request denied, use HTTPS' })
    assert.deepEqual(app.calls, [])
    const open = await app.inject({ url: '/open', remoteAddress: '127.0.0.1', headers: forwarded })
    assert.equal(open.statusCode, 403)
  })
}

test('without trustProxy, the warning goes to the application log once, with its code', async (t) => {
  const app = await buildApp(t, { auth: ['none'] }, (app) => {
    app.get('/open', { config: { authorize: 'OPEN' } }, async () => 'ok')
  }, { logs: 'warn' })
  for (let i = 0; i < 3; i++) {
    const res = await app.inject({ url: '/open', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-proto': 'https' } })
    assert.equal(res.statusCode, 403)
  }
  const lines = app.logs.lines.filter((l) => l.includes('FSAWRN_PROXY_UNTRUSTED'))
  assert.equal(lines.length, 1)
  assert.match(lines[0] as string, /set Fastify's trustProxy/)
})

test('without trustProxy, the auth cookie set for a proxied loopback connection is Secure', async (t) => {
  const app = await buildAuthApp(t, { ...cookieOptions, secure: false })
  const res = await app.inject({ url: '/auth', remoteAddress: '127.0.0.1', headers: { ...creds, 'x-forwarded-proto': 'http' } })
  assert.equal(res.statusCode, 200)
  assert.match(String(res.headers['set-cookie']), /; Secure/)
  const local = await app.inject({ url: '/auth', remoteAddress: '127.0.0.1', headers: creds })
  assert.doesNotMatch(String(local.headers['set-cookie']), /Secure/)
})

test('with trustProxy, a forged X-Forwarded-For: 127.0.0.1 from a remote client is not local', async (t) => {
  const app = await buildAuthApp(t, cookieOptions, { trustProxy: true })
  const res = await app.inject({ url: '/auth', remoteAddress: '203.0.113.7', headers: { ...creds, 'x-forwarded-for': '127.0.0.1' } })
  assert.equal(res.statusCode, 403)
  assert.deepEqual(app.calls, [])
  const open = await app.inject({ url: '/open', remoteAddress: '203.0.113.7', headers: { 'x-forwarded-for': '127.0.0.1' } })
  assert.equal(open.statusCode, 403)
})

test('with trustProxy, a forged X-Forwarded-For: 127.0.0.1 does not drop the cookie\'s Secure flag', async (t) => {
  const app = await buildAuthApp(t, { ...cookieOptions, secure: false }, { trustProxy: true })
  const res = await app.inject({ url: '/auth', remoteAddress: '203.0.113.7', headers: { ...creds, 'x-forwarded-for': '127.0.0.1' } })
  assert.equal(res.statusCode, 200)
  assert.match(String(res.headers['set-cookie']), /; Secure/)
})

test('with trustProxy, a local proxy forwarding plain HTTP is refused and HTTPS is accepted', async (t) => {
  const app = await buildAuthApp(t, cookieOptions, { trustProxy: true })
  const http = await app.inject({ url: '/auth', remoteAddress: '127.0.0.1', headers: { ...creds, 'x-forwarded-proto': 'http', 'x-forwarded-for': '127.0.0.1' } })
  assert.equal(http.statusCode, 403)
  const https = await app.inject({ url: '/auth', remoteAddress: '127.0.0.1', headers: { ...creds, 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' } })
  assert.equal(https.statusCode, 200)
  assert.match(String(https.headers['set-cookie']), /; Secure/)
})

test('loopback without forwarding headers stays local, with or without trustProxy', async (t) => {
  for (const trustProxy of [false, true]) {
    const app = await buildAuthApp(t, cookieOptions, { trustProxy })
    const res = await app.inject({ url: '/auth', remoteAddress: '127.0.0.1', headers: creds })
    assert.equal(res.statusCode, 200, `trustProxy: ${trustProxy}`)
    assert.doesNotMatch(String(res.headers['set-cookie']), /Secure/)
    assert.equal(res.headers[HSTS], undefined, 'no HSTS over plain HTTP')
  }
})

test('HSTS: HTTPS responses of protected and OPEN routes carry Strict-Transport-Security (180 days by default)', async (t) => {
  const app = await buildAuthApp(t, {}, { trustProxy: true })
  const headers = { ...creds, 'x-forwarded-proto': 'https' }
  const auth = await app.inject({ url: '/auth', remoteAddress: '10.1.2.3', headers })
  assert.equal(auth.statusCode, 200)
  assert.equal(auth.headers[HSTS], 'max-age=15552000')
  const open = await app.inject({ url: '/open', remoteAddress: '10.1.2.3', headers })
  assert.equal(open.headers[HSTS], 'max-age=15552000')
  const failed = await app.inject({ url: '/auth', remoteAddress: '10.1.2.3', headers: { 'x-forwarded-proto': 'https' } })
  assert.equal(failed.statusCode, 401)
  assert.equal(failed.headers[HSTS], 'max-age=15552000')
})

test('HSTS: maxAge and includeSubDomains are configurable; hsts: false and secure: false send none', async (t) => {
  const headers = { ...creds, 'x-forwarded-proto': 'https' }
  const custom = await buildAuthApp(t, { hsts: { maxAge: 63072000, includeSubDomains: true } }, { trustProxy: true })
  assert.equal((await custom.inject({ url: '/auth', remoteAddress: '10.1.2.3', headers })).headers[HSTS], 'max-age=63072000; includeSubDomains')
  for (const options of [{ hsts: false as const }, { secure: false }]) {
    const app = await buildAuthApp(t, options, { trustProxy: true })
    const res = await app.inject({ url: '/auth', remoteAddress: '10.1.2.3', headers })
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers[HSTS], undefined, JSON.stringify(options))
  }
})

test('HSTS: a bad hsts option fails start-up with the option named', async (t) => {
  await assert.rejects(buildAuthApp(t, { hsts: { maxAge: -1 } } as unknown as SecureOptions).then((app) => app.ready()), /invalid option "hsts/)
  await assert.rejects(buildAuthApp(t, { hsts: true } as unknown as SecureOptions).then((app) => app.ready()), /invalid option "hsts"/)
})
