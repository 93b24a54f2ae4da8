// RFC 6750 (Bearer Token Usage) at the plugin level: what a protected route answers. The carrier
// parsing itself is covered by tokens-rfc6750.test.ts; here the route, its challenge and the
// fall-through to other schemes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { basic, buildAuthApp } from './helpers/auth-app.js'

test('RFC 6750 §3: a request without a token gets a 401 with a Bearer challenge naming the realm', async (t) => {
  const app = await buildAuthApp(t, { auth: ['token'], realm: 'acme' })
  const res = await app.inject('/auth')
  assert.equal(res.statusCode, 401)
  assert.equal(res.headers['www-authenticate'], 'Bearer realm="acme"')
  assert.equal(res.body, 'missing authentication')
})

test('RFC 6750 §3.1: an invalid token gets a 401 that keeps the Bearer challenge', async (t) => {
  const app = await buildAuthApp(t, { auth: ['token'], realm: 'acme' })
  const res = await app.inject({ url: '/auth', headers: { authorization: 'Bearer acme:calvin:20990101000000:deadbeef' } })
  assert.equal(res.statusCode, 401)
  assert.equal(res.headers['www-authenticate'], 'Bearer realm="acme"')
})

test('RFC 6750 §2.1: "Bearer" without credentials is a 401 malformed token, not missing authentication', async (t) => {
  const app = await buildAuthApp(t, { auth: ['token'] })
  const res = await app.inject({ url: '/auth', headers: { authorization: 'Bearer' } })
  assert.equal(res.statusCode, 401)
  assert.equal(res.body, 'malformed fsa token')
})

test('RFC 7235: a Basic Authorization header falls through the token scheme to basic', async (t) => {
  const app = await buildAuthApp(t, { auth: 'basic' })
  const res = await app.inject({ url: '/auth', headers: { authorization: basic('calvin', 'hobbes') } })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), { user: 'calvin', scheme: 'basic' })
})

test('RFC 6750 §2.1: the bearer token authenticates the route and is kept on request.authToken', async (t) => {
  const app = await buildAuthApp(t, { auth: ['token'], token: { type: 'jwt' }, realm: 'acme' })
  app.get('/token', { config: { authorize: 'AUTH' } }, async (req) => ({ login: req.authToken?.login, realm: req.authToken?.realm }))
  const token = await app.createToken('hobbes')
  const res = await app.inject({ url: '/token', headers: { authorization: `bearer ${token}` } })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), { login: 'hobbes', realm: 'acme' })
})
