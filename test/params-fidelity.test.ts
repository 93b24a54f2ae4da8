/**
 * FlaskSimpleAuth's parameter behaviour replayed on small apps: routes without a schema take no
 * parameters but credentials, a request without a body names every missing parameter, nullable
 * unions keep `null`, booleans accept their usual spellings in text, and authorize aliases.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from 'typebox'
import { buildApp } from './helpers/app.js'
import type { SecureOptions } from '../lib/index.js'
import docs from '../plugins/docs.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

async function build (t: TestContext, options: SecureOptions = {}) {
  const hash = await (await buildApp(t, { auth: ['basic'], getUserPass: () => null })).hashPassword('hobbes-secret-1')
  return await buildApp(t, {
    auth: ['token', 'basic', 'param', 'none'],
    token: { secret: 'a-secret-of-at-least-32-characters-long!!', carrier: 'param' },
    getUserPass: (login: string) => login === 'calvin' ? hash : null,
    errorResponse: 'json:error',
    ...options
  }, (app) => {
    app.get('/hello', { config: { authorize: 'OPEN' } }, async () => ({ msg: 'hello' }))
    app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.authUser }))
    app.post('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.authUser, body: req.body ?? null }))
    app.get('/raw', { config: { authorize: 'OPEN', unexpectedParams: 'accept' } }, async (req) => req.query)
    app.post('/user', { config: { authorize: 'OPEN' }, schema: { body: Type.Object({ login: Type.String(), email: Type.String(), pass: Type.String() }) } }, async (req) => req.body)
    app.post('/null', { config: { authorize: 'OPEN' }, schema: { body: Type.Object({ n: Type.Union([Type.Integer(), Type.Null()]), s: Type.Union([Type.String(), Type.Null()]), m: Type.Optional(Type.Union([Type.Null(), Type.Integer()])) }) } }, async (req) => req.body)
    app.get('/bool', { config: { authorize: 'OPEN' }, schema: { querystring: Type.Object({ b: Type.Boolean(), l: Type.Optional(Type.Array(Type.Boolean())) }) } }, async (req) => req.query)
    app.post('/bool', { config: { authorize: 'OPEN' }, schema: { body: Type.Object({ b: Type.Boolean() }) } }, async (req) => req.body)
  })
}

test('a route without a schema refuses unexpected query and form parameters, naming them', async (t) => {
  const app = await build(t)
  assert.deepEqual((await app.inject('/hello')).json(), { msg: 'hello' })
  const q = await app.inject('/hello?foo=bar')
  assert.equal(q.statusCode, 400)
  assert.deepEqual(q.json(), { error: 'unexpected parameter "foo" (query)' })
  const form = await app.inject({ method: 'GET', url: '/hello', payload: 'foo=bar', headers: FORM })
  assert.equal(form.statusCode, 400)
  assert.deepEqual(form.json(), { error: 'unexpected parameter "foo" (body)' })
  const json = await app.inject({ method: 'GET', url: '/hello', payload: { foo: 1 } })
  assert.equal(json.statusCode, 400)
  assert.deepEqual(json.json(), { error: 'unexpected parameter "foo" (body)' })
  const text = await app.inject({ method: 'POST', url: '/me', payload: '"x"', headers: { 'content-type': 'application/json', authorization: basic } })
  assert.deepEqual([text.statusCode, text.json()], [400, { error: 'unexpected request body' }])
})

const basic = 'Basic ' + Buffer.from('calvin:hobbes-secret-1').toString('base64')

test('credentials stay exempt on routes without a schema, and are removed', async (t) => {
  const app = await build(t)
  const viaParam = await app.inject({ method: 'POST', url: '/me', payload: 'USER=calvin&PASS=hobbes-secret-1', headers: FORM })
  assert.deepEqual([viaParam.statusCode, viaParam.json()], [200, { user: 'calvin', body: {} }])
  const viaQuery = await app.inject('/me?USER=calvin&PASS=hobbes-secret-1')
  assert.deepEqual([viaQuery.statusCode, viaQuery.json()], [200, { user: 'calvin' }])
  const token = await app.createToken('calvin')
  const viaToken = await app.inject(`/me?AUTH=${encodeURIComponent(token)}`)
  assert.deepEqual([viaToken.statusCode, viaToken.json()], [200, { user: 'calvin' }])
  const extra = await app.inject({ url: '/me?x=1', headers: { authorization: basic } })
  assert.deepEqual([extra.statusCode, extra.json()], [400, { error: 'unexpected parameter "x" (query)' }])
  // 401 before 400, as on routes with a schema
  assert.equal((await app.inject('/me?x=1')).statusCode, 401)
})

test('config.unexpectedParams and rejectUnexpectedParam: false accept unexpected parameters', async (t) => {
  const app = await build(t)
  assert.deepEqual((await app.inject('/raw?foo=bar')).json(), { foo: 'bar' })
  const off = await build(t, { rejectUnexpectedParam: false })
  assert.deepEqual((await off.inject('/hello?foo=bar')).json(), { msg: 'hello' })
  await assert.rejects(buildApp(t, { auth: ['none'] }, (a) => { a.get('/x', { config: { authorize: 'OPEN', unexpectedParams: 'maybe' as 'accept' } }, async () => 'x') }, { ready: true }), /unexpectedParams/)
})

test('a request without a body names every missing parameter', async (t) => {
  const app = await build(t)
  const r = await app.inject({ method: 'POST', url: '/user' })
  assert.equal(r.statusCode, 400)
  assert.deepEqual(r.json().error.split('\n').sort(), ['missing parameter "email" (body)', 'missing parameter "login" (body)', 'missing parameter "pass" (body)'])
  // as an empty JSON object and an empty form do
  const empty = await app.inject({ method: 'POST', url: '/user', payload: {} })
  assert.deepEqual(empty.json(), r.json())
  // query fields still fill the body
  const q = await app.inject({ method: 'POST', url: '/user?login=calvin&email=c@x.org&pass=p' })
  assert.deepEqual([q.statusCode, q.json()], [200, { login: 'calvin', email: 'c@x.org', pass: 'p' }])
})

test('a nullable union keeps a JSON null, whatever the order of its members', async (t) => {
  const app = await build(t)
  const r = await app.inject({ method: 'POST', url: '/null', payload: { n: null, s: null, m: null } })
  assert.deepEqual([r.statusCode, r.json()], [200, { n: null, s: null, m: null }])
  const v = await app.inject({ method: 'POST', url: '/null', payload: { n: '12', s: 'x' } })
  assert.deepEqual([v.statusCode, v.json()], [200, { n: 12, s: 'x' }])
  // empty text is null, as the parameters reference says
  const form = await app.inject({ method: 'POST', url: '/null', payload: 'n=&s=', headers: FORM })
  assert.deepEqual([form.statusCode, form.json()], [200, { n: null, s: null }])
  assert.equal((await app.inject({ method: 'POST', url: '/null', payload: { n: 'x', s: 'x' } })).statusCode, 400)
})

test('booleans in query and form values accept the usual spellings, case-insensitively', async (t) => {
  const app = await build(t)
  const spellings: Array<[string, boolean]> = [['true', true], ['TRUE', true], ['1', true], ['t', true], ['Yes', true], ['on', true],
    ['false', false], ['False', false], ['0', false], ['F', false], ['no', false], ['OFF', false]]
  for (const [text, value] of spellings) {
    const r = await app.inject(`/bool?b=${text}`)
    assert.deepEqual([r.statusCode, r.json()], [200, { b: value }], text)
    const f = await app.inject({ method: 'POST', url: '/bool', payload: `b=${text}`, headers: FORM })
    assert.deepEqual([f.statusCode, f.json()], [200, { b: value }], text)
  }
  assert.deepEqual((await app.inject('/bool?b=yes&l=no&l=1')).json(), { b: true, l: [false, true] })
  for (const text of ['', 'yess', '2', 'nope', ' true']) {
    const r = await app.inject(`/bool?b=${encodeURIComponent(text)}`)
    assert.equal(r.statusCode, 400, text)
    assert.match(r.json().error, /^parameter "b" \(query\): must be boolean/)
  }
  // JSON booleans stay strict: a JSON string "yes" is no boolean
  const json = await app.inject({ method: 'POST', url: '/bool', payload: { b: 'yes' } })
  assert.deepEqual([json.statusCode, json.json()], [400, { error: 'parameter "b" (body): must be boolean' }])
  assert.deepEqual((await app.inject({ method: 'POST', url: '/bool', payload: { b: false } })).json(), { b: false })
})

test('FlaskSimpleAuth authorize aliases: NOAUTH is OPEN, AUTHENTICATED is AUTH, NOBODY is CLOSE', async (t) => {
  const app = await buildApp(t, { auth: ['basic', 'none'], getUserPass: () => null, groups: ['admin'], userInGroup: () => true }, (a) => {
    a.get('/noauth', { config: { authorize: 'NOAUTH' } }, async () => 'open')
    a.get('/authenticated', { config: { authorize: 'AUTHENTICATED' } }, async () => 'auth')
    a.get('/nobody', { config: { authorize: ['NOBODY', 'admin'] } }, async () => 'closed')
  })
  assert.equal((await app.inject('/noauth')).statusCode, 200)
  assert.equal((await app.inject('/authenticated')).statusCode, 401)
  assert.equal((await app.inject('/nobody')).statusCode, 403)
  const info = app.fsa.routes().filter((r) => r.url !== undefined)
  const byUrl = new Map(info.map((r) => [r.url, r]))
  assert.equal(byUrl.get('/noauth')?.open, true)
  assert.deepEqual(byUrl.get('/authenticated')?.groups, [])
  assert.equal(byUrl.get('/nobody')?.closed, true)
})

test('the docs plugin\'s routes accept unexpected parameters (Swagger UI reads its own query)', async (t) => {
  const app = await buildApp(t, { auth: ['none'] }, async (a) => {
    await a.register(docs)
    a.get('/hello', { config: { authorize: 'OPEN' } }, async () => 'hello')
  })
  assert.equal((await app.inject('/docs/json?cache=1')).statusCode, 200)
  assert.notEqual((await app.inject('/docs/static/index.html?v=2')).statusCode, 400)
  assert.equal((await app.inject('/docs/static/swagger-ui.css?v=2')).statusCode, 200)
  assert.equal((await app.inject('/hello?cache=1')).statusCode, 400)
})
