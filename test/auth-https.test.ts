// The `secure` option: plain HTTP is denied (403) to clients that are not on the loopback
// interface, unless a trusted proxy says the original request was HTTPS.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { basic, buildApp } from './helpers/auth-app.js'

const creds = { authorization: basic('calvin', 'hobbes') }

test('secure (default): plain HTTP from a non-loopback client is a 403 with a clear message', async () => {
  const app = await buildApp({ errorResponse: 'json:error' })
  const res = await app.inject({ url: '/auth', remoteAddress: '10.1.2.3', headers: creds })
  assert.equal(res.statusCode, 403)
  assert.deepEqual(res.json(), { error: 'insecure HTTP request denied, use HTTPS' })
  await app.close()
})

test('secure: the check runs before authentication, so no credential is checked over plain HTTP', async () => {
  const app = await buildApp({})
  await app.inject({ url: '/auth', remoteAddress: '192.168.0.9', headers: creds })
  assert.deepEqual(app.calls, [])
  await app.close()
})

test('secure: loopback clients (127.0.0.1, ::1, ::ffff:127.0.0.1) may use plain HTTP', async () => {
  const app = await buildApp({})
  for (const remoteAddress of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1']) {
    const res = await app.inject({ url: '/auth', remoteAddress, headers: creds })
    assert.equal(res.statusCode, 200, remoteAddress)
  }
  await app.close()
})

test('secure with trustProxy: x-forwarded-proto https is accepted, http is not', async () => {
  const app = await buildApp({}, { trustProxy: true })
  const https = await app.inject({ url: '/auth', remoteAddress: '10.1.2.3', headers: { ...creds, 'x-forwarded-proto': 'https' } })
  assert.equal(https.statusCode, 200)
  const http = await app.inject({ url: '/auth', remoteAddress: '10.1.2.3', headers: { ...creds, 'x-forwarded-proto': 'http' } })
  assert.equal(http.statusCode, 403)
  await app.close()
})

test('secure without trustProxy: a forged x-forwarded-proto is ignored', async () => {
  const app = await buildApp({})
  const res = await app.inject({ url: '/auth', remoteAddress: '10.1.2.3', headers: { ...creds, 'x-forwarded-proto': 'https' } })
  assert.equal(res.statusCode, 403)
  await app.close()
})

test('secure: false allows plain HTTP from anywhere', async () => {
  const app = await buildApp({ secure: false })
  const res = await app.inject({ url: '/auth', remoteAddress: '10.1.2.3', headers: creds })
  assert.equal(res.statusCode, 200)
  assert.equal(res.json().user, 'calvin')
  await app.close()
})

test('secure: an OPEN route is denied over plain HTTP from a non-loopback client too', async () => {
  const app = await buildApp({})
  const res = await app.inject({ url: '/open', remoteAddress: '10.1.2.3' })
  assert.equal(res.statusCode, 403)
  await app.close()
})
