/**
 * Header parameters (`schema.headers`) and cookie parameters (`config.cookies`), as
 * FlaskSimpleAuth's `Header` and `Cookie` parameters: converted, missing ones named in a 400.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from 'typebox'
import { buildApp } from './helpers/app.js'

async function build (t: TestContext) {
  return await buildApp(t, { auth: ['none'], errorResponse: 'json:error' }, (app) => {
    app.get('/h', { config: { authorize: 'OPEN' }, schema: { headers: Type.Object({ 'x-count': Type.Integer(), 'x-debug': Type.Optional(Type.Boolean()) }) } }, async (req) => ({ count: req.headers['x-count'], debug: req.headers['x-debug'] ?? null }))
    app.get('/hq', { config: { authorize: 'OPEN' }, schema: { headers: Type.Object({ 'x-count': Type.Integer() }), querystring: Type.Object({ n: Type.Integer() }) } }, async (req) => ({ count: req.headers['x-count'], n: (req.query as { n: number }).n }))
    app.get('/c', { config: { authorize: 'OPEN', cookies: Type.Object({ session: Type.String({ minLength: 4 }), visits: Type.Optional(Type.Integer()) }) } }, async (req) => req.cookieParams)
    app.get('/cq', { config: { authorize: 'OPEN', cookies: Type.Object({ lang: Type.String() }) }, schema: { querystring: Type.Object({ n: Type.Integer() }) } }, async (req) => ({ cookies: req.cookieParams, n: (req.query as { n: number }).n }))
  })
}

test('header parameters are converted, and missing or invalid ones named', async (t) => {
  const app = await build(t)
  assert.deepEqual((await app.inject({ url: '/h', headers: { 'x-count': '12' } })).json(), { count: 12, debug: null })
  const missing = await app.inject('/h')
  assert.deepEqual([missing.statusCode, missing.json()], [400, { error: 'missing parameter "x-count" (header)' }])
  const bad = await app.inject({ url: '/h', headers: { 'x-count': 'twelve' } })
  assert.deepEqual([bad.statusCode, bad.json()], [400, { error: 'parameter "x-count" (header): must be integer' }])
  // with another part, every problem in one 400
  const both = await app.inject('/hq?n=x')
  assert.deepEqual(both.json().error.split('\n').sort(), ['missing parameter "x-count" (header)', 'parameter "n" (query): must be integer'])
  assert.deepEqual((await app.inject({ url: '/hq?n=1', headers: { 'x-count': '2' } })).json(), { count: 2, n: 1 })
})

test('cookie parameters are converted into request.cookieParams, and missing or invalid ones named', async (t) => {
  const app = await build(t)
  const ok = await app.inject({ url: '/c', headers: { cookie: 'session=abcd%20ef; visits=3; other=1' } })
  assert.equal(ok.statusCode, 200)
  assert.deepEqual(ok.json(), { session: 'abcd ef', visits: 3, other: '1' })
  const missing = await app.inject({ url: '/c', headers: { cookie: 'visits=3' } })
  assert.deepEqual([missing.statusCode, missing.json()], [400, { error: 'missing parameter "session" (cookie)' }])
  const bad = await app.inject({ url: '/c', headers: { cookie: 'session=ab; visits=many' } })
  assert.equal(bad.statusCode, 400)
  assert.deepEqual(bad.json().error.split('\n').sort(), ['parameter "session" (cookie): must NOT have fewer than 4 characters', 'parameter "visits" (cookie): must be integer'])
  assert.equal((await app.inject('/c')).statusCode, 400)
  // with other parameters
  assert.deepEqual((await app.inject({ url: '/cq?n=x', headers: { cookie: 'lang=fr' } })).json(), { error: 'parameter "n" (query): must be integer' })
  assert.deepEqual((await app.inject({ url: '/cq?n=1' })).json(), { error: 'missing parameter "lang" (cookie)' })
  assert.deepEqual((await app.inject({ url: '/cq?n=1', headers: { cookie: 'lang=fr' } })).json(), { cookies: { lang: 'fr' }, n: 1 })
  await assert.rejects(buildApp(t, { auth: ['none'] }, (a) => { a.get('/x', { config: { authorize: 'OPEN', cookies: 'session' as unknown as object } }, async () => 'x') }, { ready: true }), /config\.cookies/)
})
