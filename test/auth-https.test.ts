// The `secure` option: plain HTTP is denied (403) to clients that are not on the loopback
// interface, unless a trusted proxy says the original request was HTTPS.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { basic, buildAuthApp } from './helpers/auth-app.js'

const creds = { authorization: basic('calvin', 'hobbes') }

test('secure (default): plain HTTP from a non-loopback client is a 403 with a clear message', async (t) => {
  const app = await buildAuthApp(t, { errorResponse: 'json:error' })
  const res = await app.inject({ url: '/auth', remoteAddress: '10.1.2.3', headers: creds })
  assert.equal(res.statusCode, 403)
  assert.deepEqual(res.json(), { error: 'insecure HTTP request denied, use HTTPS' })
})

test('secure: the check runs before authentication, so no credential is checked over plain HTTP', async (t) => {
  const app = await buildAuthApp(t, {})
  await app.inject({ url: '/auth', remoteAddress: '192.168.0.9', headers: creds })
  assert.deepEqual(app.calls, [])
})

test('secure: loopback clients (127.0.0.1, ::1, ::ffff:127.0.0.1) may use plain HTTP', async (t) => {
  const app = await buildAuthApp(t, {})
  for (const remoteAddress of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1']) {
    const res = await app.inject({ url: '/auth', remoteAddress, headers: creds })
    assert.equal(res.statusCode, 200, remoteAddress)
  }
})

test('secure with trustProxy: x-forwarded-proto https is accepted, http is not', async (t) => {
  const app = await buildAuthApp(t, {}, { trustProxy: true })
  const https = await app.inject({ url: '/auth', remoteAddress: '10.1.2.3', headers: { ...creds, 'x-forwarded-proto': 'https' } })
  assert.equal(https.statusCode, 200)
  const http = await app.inject({ url: '/auth', remoteAddress: '10.1.2.3', headers: { ...creds, 'x-forwarded-proto': 'http' } })
  assert.equal(http.statusCode, 403)
})

test('secure without trustProxy: a forged x-forwarded-proto is ignored', async (t) => {
  const app = await buildAuthApp(t, {})
  const res = await app.inject({ url: '/auth', remoteAddress: '10.1.2.3', headers: { ...creds, 'x-forwarded-proto': 'https' } })
  assert.equal(res.statusCode, 403)
})

test('secure: false allows plain HTTP from anywhere', async (t) => {
  const app = await buildAuthApp(t, { secure: false })
  const res = await app.inject({ url: '/auth', remoteAddress: '10.1.2.3', headers: creds })
  assert.equal(res.statusCode, 200)
  assert.equal(res.json().user, 'calvin')
})

test('secure: an OPEN route is denied over plain HTTP from a non-loopback client too', async (t) => {
  const app = await buildAuthApp(t, {})
  const res = await app.inject({ url: '/open', remoteAddress: '10.1.2.3' })
  assert.equal(res.statusCode, 403)
})
