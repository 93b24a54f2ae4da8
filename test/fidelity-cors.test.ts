/**
 * The `cors` option (FSA_CORS): @fastify/cors registered with its options, its preflight route
 * declared OPEN (a route the plugin never compiled would answer 403), and its string origins
 * trusted by the cross-site check.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildApp } from './helpers/app.js'

const basic = (login: string, pass: string): string => 'Basic ' + Buffer.from(`${login}:${pass}`).toString('base64')

async function build (t: Parameters<typeof buildApp>[0], cors: unknown, strict = true) {
  const hash = await (await buildApp(t, { auth: ['basic'], getUserPass: () => null })).hashPassword('hobbes-secret-1')
  return await buildApp(t, { auth: ['basic', 'none'], getUserPass: (l: string) => l === 'calvin' ? hash : null, cors: cors as boolean, strict }, (app) => {
    app.get('/hello', { config: { authorize: 'OPEN' } }, async () => 'hello')
    app.post('/stuff', { config: { authorize: 'AUTH' } }, async (req) => req.authUser)
  })
}

const APP = 'https://app.example.com'
const EVIL = 'https://evil.example.com'

test('cors: preflight and simple requests get the CORS headers of @fastify/cors', async (t) => {
  const app = await build(t, { origin: [APP], credentials: true })
  const pre = await app.inject({ method: 'OPTIONS', url: '/stuff', headers: { origin: APP, 'access-control-request-method': 'POST' } })
  assert.equal(pre.statusCode, 204)
  assert.equal(pre.headers['access-control-allow-origin'], APP)
  assert.equal(pre.headers['access-control-allow-credentials'], 'true')
  const simple = await app.inject({ url: '/hello', headers: { origin: APP } })
  assert.equal(simple.statusCode, 200)
  assert.equal(simple.headers['access-control-allow-origin'], APP)
  const other = await app.inject({ url: '/hello', headers: { origin: EVIL } })
  assert.equal(other.headers['access-control-allow-origin'], undefined)
  assert.ok(app.fsa.routes().some((r) => r.method === 'OPTIONS' && r.url === '*' && r.open))
})

test('cors: its string origins are trusted by the cross-site check, others are not', async (t) => {
  const app = await build(t, { origin: [APP], credentials: true })
  const calvin = basic('calvin', 'hobbes-secret-1')
  const trusted = await app.inject({ method: 'POST', url: '/stuff', headers: { origin: APP, authorization: calvin } })
  assert.deepEqual([trusted.statusCode, trusted.body], [200, 'calvin'])
  const foreign = await app.inject({ method: 'POST', url: '/stuff', headers: { origin: EVIL, authorization: calvin } })
  assert.equal(foreign.statusCode, 403)
  // no CORS: the same origin is foreign
  const without = await build(t, false)
  assert.equal((await without.inject({ method: 'POST', url: '/stuff', headers: { origin: APP, authorization: calvin } })).statusCode, 403)
  assert.equal((await without.inject({ method: 'OPTIONS', url: '/stuff', headers: { origin: APP, 'access-control-request-method': 'POST' } })).statusCode, 404)
})

test('cors: true uses the defaults of @fastify/cors; a bad origin is a start-up error', async (t) => {
  const app = await build(t, true)
  const r = await app.inject({ url: '/hello', headers: { origin: EVIL } })
  assert.equal(r.headers['access-control-allow-origin'], '*')
  await assert.rejects(build(t, { origin: ['https://app.example.com/path'] }), /cors\.origin\.0/)
  await assert.rejects(build(t, 'yes'), /cors/)
})
