import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from 'typebox'
import { JsonData } from '../lib/index.js'
import { buildApp } from './helpers/app.js'

async function build (t: TestContext) {
  const hash = await (await buildApp(t, { auth: ['basic'], getUserPass: () => null })).hashPassword('hobbes-secret-1')
  return await buildApp(t, { auth: ['basic', 'param', 'none'], getUserPass: async (login: string) => login === 'calvin' ? hash : null, errorResponse: 'json:error' }, (app) => {
    app.post('/stuff', { config: { authorize: 'AUTH' }, schema: { body: Type.Object({ price: Type.Number(), meta: Type.Optional(JsonData) }) } }, async (req) => ({ user: req.authUser, body: req.body }))
    app.get('/open', { config: { authorize: 'OPEN' }, schema: { querystring: Type.Object({ n: Type.Integer() }) } }, async (req) => req.query)
  })
}

const basic = 'Basic ' + Buffer.from('calvin:hobbes-secret-1').toString('base64')

test('through the secure plugin parameters are merged, decoded and checked after authentication', async (t) => {
  const app = await build(t)
  const ok = await app.inject({ method: 'POST', url: '/stuff?price=2', payload: `meta=${encodeURIComponent('{"a":1}')}`, headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' } })
  assert.equal(ok.statusCode, 200)
  assert.deepEqual(ok.json(), { user: 'calvin', body: { meta: { a: 1 }, price: 2 } })
  // 401 comes before 400
  const anon = await app.inject({ method: 'POST', url: '/stuff?bad=1', payload: { price: 'x' } })
  assert.equal(anon.statusCode, 401)
  const bad = await app.inject({ method: 'POST', url: '/stuff?bad=1', payload: { price: 'x' }, headers: { authorization: basic } })
  assert.equal(bad.statusCode, 400)
  assert.deepEqual(bad.json().error.split('\n').sort(), ['parameter "price" (body): must be number', 'unexpected parameter "bad" (query)'])
})

test('the param scheme credentials are exempt from the unexpected-parameter check', async (t) => {
  const app = await build(t)
  const r = await app.inject({ method: 'POST', url: '/stuff', payload: 'USER=calvin&PASS=hobbes-secret-1&price=3', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  assert.equal(r.statusCode, 200)
  assert.deepEqual(r.json(), { user: 'calvin', body: { price: 3 } })
})

test('validation errors of open routes use the configured error format', async (t) => {
  const app = await build(t)
  const r = await app.inject({ url: '/open?n=x' })
  assert.equal(r.statusCode, 400)
  assert.deepEqual(r.json(), { error: 'parameter "n" (query): must be integer' })
})
