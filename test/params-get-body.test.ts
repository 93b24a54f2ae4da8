// Review: a GET body is read at most once. The authentication hook of a route allowing `param`
// reads it when the request has no header credentials; the parameter hook must not wait for it
// a second time (the stream has ended: it would wait forever).
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from 'typebox'
import { buildAuthApp, basic } from './helpers/auth-app.js'

const json = { 'content-type': 'application/json' }

async function appWithQuerySchema (t: TestContext) {
  const app = await buildAuthApp(t, { auth: ['basic', 'param', 'none'] })
  app.get('/search', {
    config: { authorize: 'AUTH' },
    schema: { querystring: Type.Object({ q: Type.Optional(Type.String()) }) }
  }, async (req) => ({ user: req.user, query: req.query }))
  return app
}

test('a GET with a blank JSON body and query credentials is answered, not left hanging', { timeout: 5000 }, async (t) => {
  const app = await appWithQuerySchema(t)
  const res = await app.inject({ method: 'GET', url: '/search?q=x&USER=calvin&PASS=hobbes', headers: json, payload: '   ' })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), { user: 'calvin', query: { q: 'x' } })
})

test('a GET body read for param credentials feeds the parameters without a second read', { timeout: 5000 }, async (t) => {
  const app = await appWithQuerySchema(t)
  const res = await app.inject({ method: 'GET', url: '/search', headers: json, payload: { USER: 'calvin', PASS: 'hobbes', q: 'y' } })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), { user: 'calvin', query: { q: 'y' } })
})

test('a GET with a blank JSON body and basic credentials is read once by the parameter hook', { timeout: 5000 }, async (t) => {
  const app = await appWithQuerySchema(t)
  const res = await app.inject({ method: 'GET', url: '/search?q=z', headers: { ...json, authorization: basic('calvin', 'hobbes') }, payload: ' ' })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), { user: 'calvin', query: { q: 'z' } })
})
