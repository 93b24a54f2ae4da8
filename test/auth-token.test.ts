// Tokens through the plugin: fsa and JWT created with app.createToken, every carrier, the auth
// cookie, failure cases (always 401, never echoed), start-up checks and the validation cache.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import type { SecureOptions } from '../lib/index.js'
import { buildApp } from './helpers/app.js'
import { basic, buildAuthApp, FAST_PASSWORD, logCapture, SECRET } from './helpers/auth-app.js'
import { fakeTime } from './helpers/time.js'

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')

for (const type of ['fsa', 'jwt'] as const) {
  test(`a ${type} token from app.createToken authenticates as a bearer token`, async (t) => {
    const app = await buildAuthApp(t, { token: { type } })
    const token = await app.createToken('calvin')
    assert.equal(typeof token, 'string')
    const res = await app.inject({ url: '/auth', headers: { authorization: `Bearer ${token}` } })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { user: 'calvin', scheme: 'token' })
  })

  test(`an expired ${type} token is a 401 naming expiry`, async (t) => {
    const time = fakeTime(t)
    const app = await buildAuthApp(t, { token: { type } })
    const token = await app.createToken('calvin', { delay: 1 / 60 })
    time.tick(2100)
    const res = await app.inject({ url: '/auth', headers: { authorization: `Bearer ${token}` } })
    assert.equal(res.statusCode, 401)
    assert.equal(res.body, `expired ${type} token`)
  })

  test(`a tampered ${type} token is a 401 that does not echo the token`, async (t) => {
    const app = await buildAuthApp(t, { token: { type } })
    const token = await app.createToken('calvin')
    const forged = type === 'fsa'
      ? token.replace(':calvin:', ':hobbes:')
      : token.split('.').map((p, i) => i === 1 ? b64url({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'hobbes' }) : p).join('.')
    assert.notEqual(forged, token)
    const res = await app.inject({ url: '/auth', headers: { authorization: `Bearer ${forged}` } })
    assert.equal(res.statusCode, 401)
    assert.equal(res.body, `invalid ${type} token signature`)
    assert.ok(!res.body.includes(forged))
  })

  test(`a ${type} token of another realm is a 401`, async (t) => {
    const app = await buildAuthApp(t, { token: { type }, realm: 'acme' })
    const token = await app.createToken('calvin', { realm: 'other' })
    const res = await app.inject({ url: '/auth', headers: { authorization: `Bearer ${token}` } })
    assert.equal(res.statusCode, 401)
    assert.equal(res.body, `unexpected ${type} token realm or audience`)
  })

  test(`malformed ${type} tokens are 401, never 400 or 500`, async (t) => {
    const app = await buildAuthApp(t, { token: { type } })
    for (const bad of ['x', 'a:b:c', 'a.b.c', '...', '%%%', 'Zm9v.YmFy.YmF6', 'acme:calvin:20991315000000:00']) {
      const res = await app.inject({ url: '/auth', headers: { authorization: `Bearer ${bad}` } })
      assert.equal(res.statusCode, 401, bad)
      assert.ok(!res.body.includes(bad) || bad.length < 4, `${bad} echoed: ${res.body}`)
    }
  })
}

test('a JWT with alg "none" is refused with a 401', async (t) => {
  const app = await buildAuthApp(t, { token: { type: 'jwt' } })
  const exp = Math.floor(Date.now() / 1000) + 600
  const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'calvin', aud: 'fastify', exp })}.`
  const res = await app.inject({ url: '/auth', headers: { authorization: `Bearer ${unsigned}` } })
  assert.equal(res.statusCode, 401)
})

test('a JWT signed with another HMAC algorithm than the configured one is refused', async (t) => {
  const app = await buildAuthApp(t, { token: { type: 'jwt', algorithm: 'HS256' } })
  const head = b64url({ alg: 'HS512', typ: 'JWT' })
  const body = b64url({ sub: 'calvin', aud: 'fastify', exp: Math.floor(Date.now() / 1000) + 600 })
  const sig = createHmac('sha512', SECRET).update(`${head}.${body}`).digest('base64url')
  const res = await app.inject({ url: '/auth', headers: { authorization: `Bearer ${head}.${body}.${sig}` } })
  assert.equal(res.statusCode, 401)
})

test('a secret shorter than 32 bytes is refused at start-up without showing it', async (t) => {
  await assert.rejects(buildApp(t, { token: { secret: 'short-secret-1234' } }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'FSA_ERR_OPT_SECRET')
    assert.ok(!e.message.includes('short-secret-1234'))
    return true
  })
})

test('algorithm "none" is refused at start-up', async (t) => {
  await assert.rejects(buildApp(t, { token: { type: 'jwt', secret: SECRET, algorithm: 'none' } }), { code: 'FSA_ERR_OPT_ALGORITHM' })
})

test('without a secret, a random one is used and a warning is logged', async (t) => {
  const app = await buildApp(t, { auth: ['token', 'none'] }, (app) => {
    app.get('/t', { config: { authorize: 'AUTH' } }, async (req) => req.user)
  }, { logs: 'warn' })
  const token = await app.createToken('calvin')
  const res = await app.inject({ url: '/t', headers: { authorization: `Bearer ${token}` } })
  assert.equal(res.statusCode, 200)
  assert.match(app.logs.text(), /random token secret: only suits a single process/)
})

test('tokens and passwords never appear in error bodies or logs', async (t) => {
  const logs = logCapture()
  const app = await buildAuthApp(t, {}, { logger: { stream: logs.stream, level: 'trace' } })
  const token = await app.createToken('calvin')
  const tampered = token.slice(0, -4) + 'abcd'
  await app.inject({ url: '/auth', headers: { authorization: `Bearer ${tampered}` } })
  await app.inject({ url: '/auth', headers: { authorization: basic('calvin', 'Pa55-w0rd-guess') } })
  await app.inject({ url: '/auth', headers: { authorization: `Bearer ${token}` } })
  const text = logs.text()
  assert.ok(logs.lines.length > 0)
  for (const secret of [token, tampered, 'Pa55-w0rd-guess', SECRET]) assert.ok(!text.includes(secret), 'logged a secret')
})

test('the bearer scheme word is configurable and case-insensitive', async (t) => {
  const app = await buildAuthApp(t, { token: { name: 'Token' } })
  const token = await app.createToken('calvin')
  for (const word of ['Token', 'token', 'TOKEN']) {
    const res = await app.inject({ url: '/auth', headers: { authorization: `${word} ${token}` } })
    assert.equal(res.statusCode, 200, word)
  }
  const bearer = await app.inject({ url: '/auth', headers: { authorization: `Bearer ${token}` } })
  assert.equal(bearer.statusCode, 401)
  assert.match(String(bearer.headers['www-authenticate']), /Token realm="fastify"/)
})

test('the header carrier reads the token from the named header', async (t) => {
  const app = await buildAuthApp(t, { token: { carrier: 'header', name: 'X-Auth' } })
  const token = await app.createToken('hobbes')
  const res = await app.inject({ url: '/auth', headers: { 'x-auth': token } })
  assert.equal(res.statusCode, 200)
  assert.equal(res.json().user, 'hobbes')
  const none = await app.inject('/auth')
  assert.equal(none.statusCode, 401)
  assert.doesNotMatch(String(none.headers['www-authenticate']), /Bearer/, 'no bearer challenge for a header token')
})

test('the param carrier reads the token from the query string and from a JSON body', async (t) => {
  const app = await buildAuthApp(t, { token: { carrier: 'param', name: 'AUTH' } })
  const token = await app.createToken('calvin')
  const q = await app.inject(`/auth?AUTH=${encodeURIComponent(token)}`)
  assert.equal(q.statusCode, 200)
  assert.equal(q.json().scheme, 'token')
  const body = await app.inject({ method: 'POST', url: '/auth', payload: { AUTH: token } })
  assert.equal(body.statusCode, 200)
  const bad = await app.inject('/auth?AUTH=garbage')
  assert.equal(bad.statusCode, 401)
})

test('a token holding a NUL is refused, so it cannot pose as a token of another realm', async (t) => {
  const app = await buildApp(t, { auth: ['token'], token: { carrier: 'param', name: 'AUTH', secret: SECRET } }, (app) => {
    app.get('/mfa', { config: { authorize: 'AUTH', realm: 'mfa' } }, async (req) => ({ user: req.user }))
    app.get('/app', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
  })
  const mfa = await app.createToken('calvin', { realm: 'mfa' })
  // validated (and cached) for realm "mfa"
  assert.equal((await app.inject(`/mfa?AUTH=${encodeURIComponent(mfa)}`)).statusCode, 200)
  assert.equal((await app.inject(`/app?AUTH=${encodeURIComponent(mfa)}`)).statusCode, 401)
  // "mfa\0<token>" would be the cache key of the mfa validation
  const forged = await app.inject(`/app?AUTH=${encodeURIComponent('mfa\0' + mfa)}`)
  assert.equal(forged.statusCode, 401)
  assert.match(forged.body, /malformed fsa token/)
})

function cookieOptions (extra: Partial<SecureOptions> = {}): SecureOptions {
  return { auth: ['token', 'basic', 'none'], ...extra, token: { carrier: 'cookie', secret: SECRET, ...extra.token } }
}

test('with the cookie carrier, a basic login sets an HttpOnly SameSite=Lax auth cookie, without Secure on loopback', async (t) => {
  const app = await buildAuthApp(t, cookieOptions())
  const login = await app.inject({ url: '/auth', headers: { authorization: basic('calvin', 'hobbes') } })
  assert.equal(login.statusCode, 200)
  const set = String(login.headers['set-cookie'])
  assert.match(set, /^auth=/)
  assert.match(set, /HttpOnly/)
  assert.match(set, /SameSite=Lax/)
  assert.match(set, /Max-Age=3600/)
  assert.doesNotMatch(set, /Secure/)
  const cookie = login.cookies.find((c) => c.name === 'auth')
  assert.ok(cookie !== undefined)
  const again = await app.inject({ url: '/auth', cookies: { auth: cookie.value } })
  assert.equal(again.statusCode, 200)
  assert.deepEqual(again.json(), { user: 'calvin', scheme: 'token' })
  assert.equal(again.headers['set-cookie'], undefined, 'no renewal by default')
})

test('a login on a route of another realm (an MFA step) sets no application cookie', async (t) => {
  const app = await buildAuthApp(t, cookieOptions())
  app.get('/mfa', { config: { authorize: 'AUTH', realm: 'mfa', auth: 'basic' } }, async (req) => ({ user: req.user }))
  const step = await app.inject({ url: '/mfa', headers: { authorization: basic('calvin', 'hobbes') } })
  assert.equal(step.statusCode, 200)
  assert.equal(step.headers['set-cookie'], undefined)
})

test('the auth cookie is Secure for a non-loopback client over HTTPS', async (t) => {
  const app = await buildAuthApp(t, cookieOptions(), { trustProxy: true })
  const res = await app.inject({ url: '/auth', remoteAddress: '10.1.2.3', headers: { authorization: basic('calvin', 'hobbes'), 'x-forwarded-proto': 'https' } })
  assert.equal(res.statusCode, 200)
  assert.match(String(res.headers['set-cookie']), /Secure/)
})

test('a failed login sets no cookie', async (t) => {
  const app = await buildAuthApp(t, cookieOptions())
  const res = await app.inject({ url: '/auth', headers: { authorization: basic('calvin', 'wrong') } })
  assert.equal(res.statusCode, 401)
  assert.equal(res.headers['set-cookie'], undefined)
})

test('the auth cookie is renewed when less than renewal × delay is left', async (t) => {
  const app = await buildAuthApp(t, cookieOptions({ token: { renewal: 0.5, delay: 10 } }))
  const fresh = await app.createToken('calvin')
  const kept = await app.inject({ url: '/auth', cookies: { auth: fresh } })
  assert.equal(kept.headers['set-cookie'], undefined)
  const old = await app.createToken('calvin', { delay: 2 })
  const renewed = await app.inject({ url: '/auth', cookies: { auth: old } })
  assert.equal(renewed.statusCode, 200)
  const cookie = renewed.cookies.find((c) => c.name === 'auth')
  assert.ok(cookie !== undefined && cookie.value !== old)
  assert.equal((await app.inject({ url: '/auth', cookies: { auth: cookie.value } })).statusCode, 200)
})

test('token validation is cached and expiry is re-checked on cache hits', async (t) => {
  // the time stands still until tick: however slow the machine, the token is valid for the
  // first two requests and expired for the third
  const time = fakeTime(t)
  const app = await buildAuthApp(t, {})
  const token = await app.createToken('calvin', { delay: 1 / 60 })
  const headers = { authorization: `Bearer ${token}` }
  assert.equal((await app.inject({ url: '/auth', headers })).statusCode, 200)
  assert.equal((await app.inject({ url: '/auth', headers })).statusCode, 200)
  const stats = app.fsa.cacheStats().byKind.token
  assert.equal(stats.misses, 1)
  assert.equal(stats.hits, 1)
  time.tick(2100)
  const late = await app.inject({ url: '/auth', headers })
  assert.equal(late.statusCode, 401)
  assert.equal(late.body, 'expired fsa token')
  assert.equal(app.fsa.cacheStats().byKind.token.hits, 2, 'the expired answer came from the cache')
})

test('createToken without tokens enabled says so', async (t) => {
  const app = await buildApp(t, { auth: ['basic', 'none'], getUserPass: () => null, password: FAST_PASSWORD })
  await assert.rejects(app.createToken('calvin'), { code: 'FSA_ERR_TOKEN_NO_SIGNER', message: /tokens are not enabled/ })
})
