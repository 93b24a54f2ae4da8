import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import Fastify, { type FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { JsonData } from '../lib/index.js'
import { installParams, compileRouteParams, type ParamSettings } from '../lib/params/index.js'
import { decodeJson } from '../lib/params/json-text.js'
import { compileErrorFormatter } from '../lib/errors/format.js'

type Recursive = { name: string, kids?: Recursive[] }

async function build (): Promise<FastifyInstance> {
  const app = Fastify({ logger: false })
  const all: ParamSettings = { rejectUnexpectedParam: true, authParams: ['USER', 'PASS'], sendError: compileErrorFormatter('json:error') }
  await installParams(app, all)
  app.addHook('onRoute', (route) => {
    const hook = compileRouteParams(route, all)
    if (hook !== null) route.preValidation = hook
  })
  const Q = Type.Object({
    n: Type.Optional(Type.Integer()),
    who: Type.Optional(Type.Object({ name: Type.String(), tags: Type.Optional(Type.Array(Type.String())) })),
    l: Type.Optional(Type.Array(Type.Number())),
    j: Type.Optional(JsonData),
    d: Type.Optional(Type.String({ format: 'date-time' }))
  })
  const Tree = Type.Cyclic({ Node: Type.Object({ name: Type.String(), kids: Type.Optional(Type.Array(Type.Ref('Node'))) }) }, 'Node')
  // handlers answer with the names only: echoing a 50,000-deep value would overflow the serialiser
  const names = (v: unknown) => Object.keys(v as object)
  app.get('/q', { schema: { querystring: Q } }, async (req) => names(req.query))
  app.delete('/q', { schema: { querystring: Q } }, async (req) => names(req.query))
  app.post('/b/:id', { schema: { params: Type.Object({ id: Type.Integer() }), body: Q } }, async (req) => names(req.body))
  app.put('/tree', { schema: { body: Type.Object({ t: Tree }) } }, async () => 'ok')
  return app
}

const METHODS = ['GET', 'DELETE', 'POST', 'PUT'] as const
const CONTENT_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x', 'APPLICATION/JSON; charset=utf-8', 'application/x-www-form-urlencoded; charset=latin1', undefined]
const KEYS = ['n', 'who', 'l', 'j', 'd', 'USER', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'x', 'n[]', '']
const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v))
const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  json,
  fc.constantFrom('{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '{"\\u005f_proto__":{"polluted":1}}', '[', '{', 'null', '1e999', '-0', '"', '%', '%E0%A4%A', '\u0000', 'true'),
  fc.integer({ min: 1, max: 20000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 20000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n))
)
const pairs = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), hostileText), { maxLength: 6 })
const encode = (list: Array<[string, string]>) => list.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')

test('generated hostile requests never get a 5xx and never pollute prototypes', async () => {
  const app = await build()
  await fc.assert(fc.asyncProperty(
    fc.constantFrom(...METHODS), fc.constantFrom('/q', '/b/1', '/b/x', '/tree'), pairs, fc.constantFrom(...CONTENT_TYPES),
    fc.oneof(pairs.map(encode), hostileText),
    async (method, path, query, contentType, body) => {
      const headers: Record<string, string> = contentType !== undefined ? { 'content-type': contentType } : {}
      const r = await app.inject({ method, url: `${path}?${encode(query)}`, headers, ...(method === 'GET' && contentType === undefined ? {} : { payload: body }) })
      assert.ok(r.statusCode < 500, `${method} ${path} → ${r.statusCode} ${r.body}`)
      assert.equal(({} as Record<string, unknown>).polluted, undefined)
      assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined)
    }
  ), { numRuns: 400 })
})

test('prototype keys in JSON text are refused with a 400', async () => {
  const app = await build()
  for (const text of ['{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '{"\\u005f_proto__":{"x":1}}']) {
    const r = await app.inject({ url: `/q?j=${encodeURIComponent(text)}` })
    assert.equal(r.statusCode, 400, text)
    assert.match(r.json().error, /^parameter "j" \(query\): forbidden/)
  }
  // a harmless "constructor" key is fine
  const ok = await app.inject({ url: `/q?j=${encodeURIComponent('{"constructor":"x"}')}` })
  assert.equal(ok.statusCode, 200)
  assert.deepEqual(ok.json(), ['j'])
})

test('a __proto__ parameter name is just an unexpected parameter', async () => {
  const app = await build()
  const r = await app.inject({ method: 'POST', url: '/b/1?__proto__=1', payload: '__proto__=2&constructor=3', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  assert.equal(r.statusCode, 400)
  assert.deepEqual(r.json().error.split('\n').sort(), ['unexpected parameter "__proto__" (body)', 'unexpected parameter "__proto__" (query)', 'unexpected parameter "constructor" (body)'])
  assert.equal(({} as Record<string, unknown>).polluted, undefined)
})

test('deeply nested values are a 400, not a crash', async () => {
  const app = await build()
  const depth = 20000
  const deep = '{"t":' + '{"name":"n","kids":['.repeat(depth) + '{"name":"leaf"}' + ']}'.repeat(depth) + '}'
  const r = await app.inject({ method: 'PUT', url: '/tree', payload: deep, headers: { 'content-type': 'application/json' } })
  assert.equal(r.statusCode, 400)
  assert.match(r.json().message, /cannot be validated/)
  const shallow: Recursive = { name: 'n', kids: [{ name: 'leaf' }] }
  assert.equal((await app.inject({ method: 'PUT', url: '/tree', payload: { t: shallow } })).statusCode, 200)
  const nested = '['.repeat(50000) + ']'.repeat(50000)
  const r2 = await app.inject({ url: `/q?j=${encodeURIComponent(nested)}` })
  assert.equal(r2.statusCode, 200)
})

test('a huge query value is handled without a 5xx', async () => {
  const app = await build()
  const r = await app.inject({ url: `/q?l=${'9,'.repeat(200000)}&${'z'.repeat(100000)}=1` })
  assert.equal(r.statusCode, 400)
  assert.ok(r.body.length < 2000)
})

test('decodeJson reports results instead of throwing', () => {
  assert.deepEqual(decodeJson('[1]'), { ok: true, value: [1] })
  assert.deepEqual(decodeJson('nope'), { ok: false, reason: 'invalid JSON' })
  assert.equal(decodeJson('{"a":{"__proto__":1}}').ok, false)
})
