// Cross-site request forgery: requests whose credentials a browser attaches by itself (Basic, the
// auth cookie) with an unsafe method, requests that would get the auth cookie, and the account
// forms are refused (403) when Origin, Referer or Sec-Fetch-Site names another site; requests
// without these headers (curl, servers) and bearer tokens are not affected.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { basic, buildAuthApp, SECRET } from './helpers/auth-app.js'
import type { SecureOptions } from '../lib/index.js'

const creds = { authorization: basic('calvin', 'hobbes') }
const FOREIGN = { error: 'cross-site request denied' }
// fastify.inject sends Host: localhost:80, so the request's own origin is http://localhost
const OWN = 'http://localhost'
const TRUSTED = 'https://app.example.com'
const basicOptions: SecureOptions = { auth: ['token', 'basic', 'none'], errorResponse: 'json:error', crossSite: { trustedOrigins: [TRUSTED] } }

/** Every combination of the three headers, and whether a POST carrying Basic credentials passes. */
const CASES: Array<[string, Record<string, string>, boolean]> = [
  ['no Origin, Referer or Sec-Fetch-Site (curl)', {}, true],
  ['own Origin', { origin: OWN }, true],
  ['own Origin with the explicit default port', { origin: OWN, host: 'localhost:80' }, true],
  ['trusted Origin', { origin: TRUSTED }, true],
  ['foreign Origin', { origin: 'http://evil.example' }, false],
  ['foreign Origin on another port of the same host', { origin: 'http://localhost:8081' }, false],
  ['Origin: null', { origin: 'null' }, false],
  ['Origin: null with Sec-Fetch-Site: same-origin (a form of a no-referrer page of this origin)', { origin: 'null', 'sec-fetch-site': 'same-origin' }, true],
  ['Origin: null with Sec-Fetch-Site: cross-site (a sandboxed frame, a data: URL)', { origin: 'null', 'sec-fetch-site': 'cross-site' }, false],
  ['Origin: null with Sec-Fetch-Site: same-site', { origin: 'null', 'sec-fetch-site': 'same-site' }, false],
  ['malformed Origin', { origin: 'not an origin' }, false],
  ['own Origin wins over Sec-Fetch-Site: same-site', { origin: OWN, 'sec-fetch-site': 'same-site' }, true],
  ['trusted Origin wins over Sec-Fetch-Site: same-site', { origin: TRUSTED, 'sec-fetch-site': 'same-site' }, true],
  ['foreign Origin with Sec-Fetch-Site: same-origin', { origin: 'http://evil.example', 'sec-fetch-site': 'same-origin' }, false],
  ['foreign Origin with an own Referer', { origin: 'http://evil.example', referer: OWN + '/page' }, false],
  ['own Referer, no Origin', { referer: OWN + '/page?x=1' }, true],
  ['trusted Referer, no Origin', { referer: TRUSTED + '/app' }, true],
  ['foreign Referer, no Origin', { referer: 'http://evil.example/attack.html' }, false],
  ['foreign Referer, no Origin, Sec-Fetch-Site: same-origin', { referer: 'http://evil.example/', 'sec-fetch-site': 'same-origin' }, false],
  ['unparsable Referer, Sec-Fetch-Site: cross-site', { referer: '::', 'sec-fetch-site': 'cross-site' }, false],
  ['unparsable Referer alone', { referer: '::' }, true],
  ['Sec-Fetch-Site: cross-site alone', { 'sec-fetch-site': 'cross-site' }, false],
  ['Sec-Fetch-Site: same-site alone', { 'sec-fetch-site': 'same-site' }, false],
  ['Sec-Fetch-Site: same-origin alone', { 'sec-fetch-site': 'same-origin' }, true],
  ['Sec-Fetch-Site: none alone (typed URL, bookmark)', { 'sec-fetch-site': 'none' }, true]
]

for (const [name, headers, passes] of CASES) {
  test(`POST with Basic credentials, ${name}: ${passes ? 'served' : '403 before the password is checked'}`, async (t) => {
    const app = await buildAuthApp(t, basicOptions)
    const res = await app.inject({ method: 'POST', url: '/auth', headers: { ...creds, ...headers } })
    if (passes) {
      assert.equal(res.statusCode, 200, res.body)
      assert.deepEqual(res.json(), { user: 'calvin', scheme: 'basic' })
    } else {
      assert.equal(res.statusCode, 403, res.body)
      assert.deepEqual(res.json(), FOREIGN)
      assert.deepEqual(app.calls, [], 'no password lookup, no hash computed')
    }
  })
}

test('every unsafe method with Basic credentials is checked; safe methods are not', async (t) => {
  const app = await buildAuthApp(t, basicOptions)
  app.route({ method: ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/any', config: { authorize: 'AUTH' }, handler: async () => 'ok' })
  const headers = { ...creds, origin: 'http://evil.example' }
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
    assert.equal((await app.inject({ method, url: '/any', headers })).statusCode, 403, method)
  }
  for (const method of ['GET', 'HEAD', 'OPTIONS'] as const) {
    assert.equal((await app.inject({ method, url: '/any', headers })).statusCode, 200, method)
  }
})

test('a form-encoded cross-site POST with Basic credentials is refused (what an HTML form sends)', async (t) => {
  const app = await buildAuthApp(t, basicOptions)
  const res = await app.inject({ method: 'POST', url: '/auth', headers: { ...creds, origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' })
  assert.equal(res.statusCode, 403)
})

test('bearer tokens are not ambient: a cross-site POST with a bearer token is served', async (t) => {
  const app = await buildAuthApp(t, basicOptions)
  const token = await app.createToken('calvin')
  const res = await app.inject({ method: 'POST', url: '/auth', headers: { authorization: `Bearer ${token}`, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), { user: 'calvin', scheme: 'token' })
})

test('crossSite: false switches the protection off', async (t) => {
  const app = await buildAuthApp(t, { ...basicOptions, crossSite: false })
  const res = await app.inject({ method: 'POST', url: '/auth', headers: { ...creds, origin: 'http://evil.example' } })
  assert.equal(res.statusCode, 200)
})

test('the own origin follows trustProxy (X-Forwarded-Proto and X-Forwarded-Host)', async (t) => {
  const app = await buildAuthApp(t, { ...basicOptions, crossSite: {} }, { trustProxy: true })
  const proxied = { ...creds, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.example.com' }
  assert.equal((await app.inject({ method: 'POST', url: '/auth', remoteAddress: '10.0.0.1', headers: { ...proxied, origin: 'https://shop.example.com' } })).statusCode, 200)
  assert.equal((await app.inject({ method: 'POST', url: '/auth', remoteAddress: '10.0.0.1', headers: { ...proxied, origin: 'http://shop.example.com' } })).statusCode, 403)
  assert.equal((await app.inject({ method: 'POST', url: '/auth', remoteAddress: '10.0.0.1', headers: { ...proxied, origin: TRUSTED } })).statusCode, 403, 'no longer trusted')
})

test('trustedOrigins must be origins: a path, a bad URL or "null" fails start-up naming the entry', async (t) => {
  for (const bad of ['https://app.example.com/path', 'app.example.com', 'null', 'https://u:p@app.example.com']) {
    await assert.rejects(buildAuthApp(t, { crossSite: { trustedOrigins: [TRUSTED, bad] } }).then((app) => app.ready()), /invalid option "crossSite\.trustedOrigins\.1": expected an origin/, bad)
  }
  await assert.rejects(buildAuthApp(t, { crossSite: true } as unknown as SecureOptions).then((app) => app.ready()), /invalid option "crossSite"/)
})

// ---- the cookie carrier ---------------------------------------------------------------------

const cookieOptions: SecureOptions = { auth: ['token', 'basic', 'param', 'none'], errorResponse: 'json:error', token: { carrier: 'cookie', secret: SECRET } }

test('cookie carrier: an unsafe cross-site request carrying the auth cookie is refused; a safe one is served', async (t) => {
  const app = await buildAuthApp(t, cookieOptions)
  const cookies = { auth: await app.createToken('calvin') }
  const post = await app.inject({ method: 'POST', url: '/auth', cookies, headers: { origin: 'http://evil.example' } })
  assert.equal(post.statusCode, 403)
  assert.deepEqual(post.json(), FOREIGN)
  assert.equal((await app.inject({ method: 'POST', url: '/auth', cookies, headers: { origin: OWN } })).statusCode, 200)
  assert.equal((await app.inject({ method: 'POST', url: '/auth', cookies })).statusCode, 200, 'no browser headers')
  // a link followed from another site: a top-level GET keeps working
  assert.equal((await app.inject({ method: 'GET', url: '/auth', cookies, headers: { referer: 'http://evil.example/', 'sec-fetch-site': 'cross-site' } })).statusCode, 200)
})

test('cookie carrier: a cross-site request that would get the cookie is refused whatever its method (Basic)', async (t) => {
  const app = await buildAuthApp(t, cookieOptions)
  for (const method of ['GET', 'POST'] as const) {
    const res = await app.inject({ method, url: '/auth', headers: { ...creds, 'sec-fetch-site': 'cross-site' } })
    assert.equal(res.statusCode, 403, method)
    assert.equal(res.headers['set-cookie'], undefined)
  }
  assert.deepEqual(app.calls, [])
  const own = await app.inject({ method: 'GET', url: '/auth', headers: { ...creds, 'sec-fetch-site': 'same-origin' } })
  assert.equal(own.statusCode, 200)
  assert.match(String(own.headers['set-cookie']), /^auth=/)
})

test('cookie carrier: login CSRF with param credentials in a cross-site form is refused, no cookie', async (t) => {
  const app = await buildAuthApp(t, cookieOptions)
  const form = { 'content-type': 'application/x-www-form-urlencoded' }
  const res = await app.inject({ method: 'POST', url: '/auth', headers: { ...form, origin: 'http://evil.example' }, payload: 'USER=hobbes&PASS=calvin' })
  assert.equal(res.statusCode, 403)
  assert.equal(res.headers['set-cookie'], undefined)
  assert.deepEqual(app.calls, [])
  const curl = await app.inject({ method: 'POST', url: '/auth', headers: form, payload: 'USER=hobbes&PASS=calvin' })
  assert.equal(curl.statusCode, 200)
  assert.match(String(curl.headers['set-cookie']), /^auth=/)
})

test('cookie carrier: request.authenticate() on an OPEN route gives no cookie to a cross-site request', async (t) => {
  const app = await buildAuthApp(t, cookieOptions)
  app.get('/maybe', { config: { authorize: 'OPEN' } }, async (req) => ({ user: await req.authenticate({ required: false }) }))
  const foreign = await app.inject({ url: '/maybe', headers: { ...creds, origin: 'http://evil.example' } })
  assert.equal(foreign.statusCode, 403)
  assert.equal(foreign.headers['set-cookie'], undefined)
  const own = await app.inject({ url: '/maybe', headers: creds })
  assert.deepEqual(own.json(), { user: 'calvin' })
  assert.match(String(own.headers['set-cookie']), /^auth=/)
})

// ---- per route ------------------------------------------------------------------------------

test('config.crossSite: true refuses every cross-site request of an OPEN route; false never checks', async (t) => {
  const app = await buildAuthApp(t, basicOptions)
  app.get('/form', { config: { authorize: 'OPEN', crossSite: true } }, async () => 'form')
  app.post('/hook', { config: { authorize: 'AUTH', crossSite: false } }, async () => 'hook')
  assert.equal((await app.inject({ url: '/form', headers: { 'sec-fetch-site': 'cross-site' } })).statusCode, 403)
  assert.equal((await app.inject({ url: '/form', headers: { origin: OWN } })).statusCode, 200)
  assert.equal((await app.inject({ url: '/form' })).statusCode, 200)
  assert.equal((await app.inject({ method: 'POST', url: '/hook', headers: { ...creds, origin: 'http://evil.example' } })).statusCode, 200)
})

test('config.crossSite: true on a protected route checks every request, bearer tokens and GET included', async (t) => {
  const app = await buildAuthApp(t, basicOptions)
  app.get('/strict', { config: { authorize: 'AUTH', crossSite: true } }, async () => 'strict')
  const bearer = { authorization: `Bearer ${await app.createToken('calvin')}` }
  assert.equal((await app.inject({ url: '/strict', headers: { ...bearer, 'sec-fetch-site': 'cross-site' } })).statusCode, 403)
  assert.equal((await app.inject({ url: '/strict', headers: { ...bearer, 'sec-fetch-site': 'same-origin' } })).statusCode, 200)
  assert.equal((await app.inject({ url: '/strict', headers: bearer })).statusCode, 200)
})

test('config.crossSite must be a boolean', async (t) => {
  const app = await buildAuthApp(t, basicOptions)
  assert.throws(() => app.get('/x', { config: { authorize: 'OPEN', crossSite: 'yes' as unknown as boolean } }, async () => 'x'), /config\.crossSite must be a boolean/)
})
