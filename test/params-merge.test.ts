import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { createParamLayer, JsonData, type ParamSettings } from '../lib/params/index.js'
import { compileErrorFormatter } from '../lib/errors/format.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

/** A bare app with the parameter layer installed as the secure plugin does. */
async function build (settings: Partial<ParamSettings> = {}): Promise<FastifyInstance> {
  const app = Fastify()
  const all: ParamSettings = { rejectUnexpectedParam: true, authParams: ['USER', 'PASS'], sendError: compileErrorFormatter('json:error'), ...settings }
  const params = createParamLayer(app, all)
  app.addHook('onRoute', function (route) {
    const hook = params.route(this, route)
    if (hook !== null) route.preValidation = hook
  })
  return app
}

const Query = Type.Object({
  n: Type.Integer(),
  x: Type.Optional(Type.Number()),
  b: Type.Optional(Type.Boolean()),
  d: Type.Optional(Type.String({ format: 'date' })),
  who: Type.Optional(Type.Object({ name: Type.String(), born: Type.String({ format: 'date' }) })),
  l: Type.Optional(Type.Array(Type.Integer())),
  s: Type.Optional(Type.Array(Type.String())),
  j: Type.Optional(JsonData)
})

async function queryApp (settings: Partial<ParamSettings> = {}): Promise<FastifyInstance> {
  const app = await build(settings)
  app.get('/q', { schema: { querystring: Query } }, async (req) => req.query)
  app.delete('/q', { schema: { querystring: Query } }, async (req) => req.query)
  return app
}

async function bodyApp (): Promise<FastifyInstance> {
  const app = await build()
  const Body = Type.Object({ price: Type.Number(), tags: Type.Optional(Type.Array(Type.String())), who: Type.Optional(Type.Object({ name: Type.String() })), j: Type.Optional(JsonData) })
  app.post('/p', { schema: { body: Body } }, async (req) => req.body)
  app.put('/p', { schema: { body: Body } }, async (req) => req.body)
  app.patch('/p', { schema: { body: Body } }, async (req) => req.body)
  return app
}

test('query strings are converted by the schema: integers, numbers, booleans, dates', async () => {
  const app = await queryApp()
  const r = await app.inject({ url: '/q?n=42&x=-1.5&b=true&d=2020-07-29' })
  assert.equal(r.statusCode, 200)
  assert.deepEqual(r.json(), { n: 42, x: -1.5, b: true, d: '2020-07-29' })
})

test('object and JsonData fields are decoded from JSON text in the query string', async () => {
  const app = await queryApp()
  const who = encodeURIComponent('{"name":"Hobbes","born":"2020-07-29"}')
  const r = await app.inject({ url: `/q?n=1&who=${who}&j=${encodeURIComponent('[1,{"a":null}]')}` })
  assert.equal(r.statusCode, 200)
  assert.deepEqual(r.json(), { n: 1, who: { name: 'Hobbes', born: '2020-07-29' }, j: [1, { a: null }] })
})

test('JsonData accepts null, strings and numbers as JSON text', async () => {
  const app = await queryApp()
  for (const [text, value] of [['null', null], ['"hi"', 'hi'], ['3.5', 3.5], ['true', true]] as const) {
    const r = await app.inject({ url: `/q?n=1&j=${encodeURIComponent(text)}` })
    assert.equal(r.statusCode, 200, text)
    assert.deepEqual(r.json().j, value)
  }
})

test('repeated keys, a JSON list and a single value all give lists', async () => {
  const app = await queryApp()
  assert.deepEqual((await app.inject({ url: '/q?n=1&l=1&l=2&l=3' })).json().l, [1, 2, 3])
  assert.deepEqual((await app.inject({ url: `/q?n=1&l=${encodeURIComponent('[4,5]')}` })).json().l, [4, 5])
  assert.deepEqual((await app.inject({ url: '/q?n=1&l=7' })).json().l, [7])
  assert.deepEqual((await app.inject({ url: '/q?n=1&s=hello' })).json().s, ['hello'])
  assert.deepEqual((await app.inject({ url: '/q?n=1&s=[not json' })).json().s, ['[not json'])
})

test('form bodies are parsed and converted like query strings', async () => {
  const app = await bodyApp()
  const payload = `price=3.5&tags=a&tags=b&who=${encodeURIComponent('{"name":"Calvin"}')}&j=${encodeURIComponent('{"k":[1]}')}`
  const r = await app.inject({ method: 'POST', url: '/p', payload, headers: FORM })
  assert.equal(r.statusCode, 200)
  assert.deepEqual(r.json(), { price: 3.5, tags: ['a', 'b'], who: { name: 'Calvin' }, j: { k: [1] } })
})

test('JSON bodies keep their values: JsonData is not decoded again', async () => {
  const app = await bodyApp()
  const r = await app.inject({ method: 'POST', url: '/p', payload: { price: 2, j: '{"not":"decoded"}' } })
  assert.equal(r.statusCode, 200)
  assert.deepEqual(r.json(), { price: 2, j: '{"not":"decoded"}' })
})

test('body fields of POST, PUT and PATCH routes are also accepted from the query string', async () => {
  const app = await bodyApp()
  for (const method of ['POST', 'PUT', 'PATCH'] as const) {
    const r = await app.inject({ method, url: `/p?price=9.5&tags=x&who=${encodeURIComponent('{"name":"Susie"}')}`, payload: { j: 1 } })
    assert.equal(r.statusCode, 200, method)
    assert.deepEqual(r.json(), { j: 1, price: 9.5, tags: ['x'], who: { name: 'Susie' } })
  }
  const empty = await app.inject({ method: 'POST', url: '/p?price=1' })
  assert.equal(empty.statusCode, 200)
  assert.deepEqual(empty.json(), { price: 1 })
  const several = await app.inject({ method: 'POST', url: '/p?price=1&tags=x&tags=y' })
  assert.deepEqual(several.json(), { price: 1, tags: ['x', 'y'] }, 'every field moves to the body the first one created')
})

test('query fields of GET and DELETE routes are also accepted from a JSON or form body', async () => {
  const app = await queryApp()
  const get = await app.inject({ method: 'GET', url: '/q?x=1', payload: { n: 5, who: { name: 'Moe', born: '2001-01-01' } } })
  assert.equal(get.statusCode, 200)
  assert.deepEqual(get.json(), { x: 1, n: 5, who: { name: 'Moe', born: '2001-01-01' } })
  const del = await app.inject({ method: 'DELETE', url: '/q', payload: 'n=6&l=1&l=2&b=false', headers: FORM })
  assert.equal(del.statusCode, 200)
  assert.deepEqual(del.json(), { n: 6, l: [1, 2], b: false })
  const form = await app.inject({ method: 'GET', url: '/q', payload: 'n=7&s=a', headers: FORM })
  assert.deepEqual(form.json(), { n: 7, s: ['a'] })
})

test('the same field from the query string and the body is a 400', async () => {
  const q = await queryApp()
  const r1 = await q.inject({ method: 'DELETE', url: '/q?n=1', payload: { n: 2 } })
  assert.equal(r1.statusCode, 400)
  assert.equal(r1.json().error, 'parameter "n" given both in query and body')
  const b = await bodyApp()
  const r2 = await b.inject({ method: 'POST', url: '/p?price=1', payload: 'price=2', headers: FORM })
  assert.equal(r2.statusCode, 400)
  assert.equal(r2.json().error, 'parameter "price" given both in query and body')
})

test('authentication parameters are exempt and removed before the handler', async () => {
  const app = await queryApp()
  const r = await app.inject({ url: '/q?n=1&USER=calvin&PASS=hobbes' })
  assert.equal(r.statusCode, 200)
  assert.deepEqual(r.json(), { n: 1 })
  const b = await bodyApp()
  const r2 = await b.inject({ method: 'POST', url: '/p?USER=calvin', payload: { price: 1, PASS: 'secret' } })
  assert.equal(r2.statusCode, 200)
  assert.deepEqual(r2.json(), { price: 1 })
})

test('with rejectUnexpectedParam false unknown parameters are left alone', async () => {
  const app = await queryApp({ rejectUnexpectedParam: false })
  const r = await app.inject({ url: '/q?n=1&other=2' })
  assert.equal(r.statusCode, 200)
  assert.deepEqual(r.json(), { n: 1, other: '2' })
})

test('routes without a schema take no parameters unless they accept them', async () => {
  const app = await build()
  app.get('/none', async (req) => req.query)
  app.get('/free', { config: { unexpectedParams: 'accept' } }, async (req) => req.query)
  const r = await app.inject({ url: '/none?anything=1' })
  assert.equal(r.statusCode, 400)
  assert.deepEqual(r.json(), { error: 'unexpected parameter "anything" (query)' })
  assert.deepEqual((await app.inject({ url: '/free?anything=1' })).json(), { anything: '1' })
  const off = await build({ rejectUnexpectedParam: false })
  off.get('/free', async (req) => req.query)
  assert.deepEqual((await off.inject({ url: '/free?anything=1' })).json(), { anything: '1' })
})

test('open schemas (additionalProperties, records) accept other names', async () => {
  const app = await build()
  app.get('/open', { schema: { querystring: Type.Object({ a: Type.Optional(Type.String()) }, { additionalProperties: true }) } }, async (req) => req.query)
  app.get('/rec', { schema: { querystring: Type.Record(Type.String(), Type.String()) } }, async (req) => req.query)
  assert.deepEqual((await app.inject({ url: '/open?a=1&b=2' })).json(), { a: '1', b: '2' })
  assert.deepEqual((await app.inject({ url: '/rec?z=1' })).json(), { z: '1' })
})

test('an existing form parser is kept', async () => {
  const app = Fastify()
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => { done(null, { raw: body }) })
  createParamLayer(app, { rejectUnexpectedParam: true, authParams: [], sendError: compileErrorFormatter('plain') })
  app.post('/f', async (req) => req.body)
  const r = await app.inject({ method: 'POST', url: '/f', payload: 'a=1', headers: FORM })
  assert.deepEqual(r.json(), { raw: 'a=1' })
})

test('shared schemas added with addSchema are resolved', async () => {
  const app = await build()
  app.addSchema({ $id: 'price', type: 'number', minimum: 0 })
  app.get('/s', { schema: { querystring: Type.Object({ p: Type.Unsafe<number>({ $ref: 'price#' }) }) } }, async (req) => req.query)
  await app.register(async (child) => {
    child.addSchema({ $id: 'code', type: 'string', pattern: '^[a-z]+$' })
    child.get('/c', { schema: { querystring: Type.Object({ c: Type.Unsafe<string>({ $ref: 'code#' }) }) } }, async (req) => req.query)
  })
  assert.deepEqual((await app.inject({ url: '/s?p=3' })).json(), { p: 3 })
  assert.equal((await app.inject({ url: '/s?p=-3' })).statusCode, 400)
  assert.deepEqual((await app.inject({ url: '/c?c=abc' })).json(), { c: 'abc' })
  assert.equal((await app.inject({ url: '/c?c=ABC' })).statusCode, 400)
})
