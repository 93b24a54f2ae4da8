import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { createParamLayer, formatValidationError, schemaErrorFormatter, JsonData, type ParamSettings } from '../lib/params/index.js'
import { ajvLines, joinLines, MAX_LINES, quote } from '../lib/params/messages.js'
import { compileErrorFormatter } from '../lib/errors/format.js'

async function build (format: 'plain' | 'json:error' = 'json:error'): Promise<FastifyInstance> {
  const app = Fastify()
  const all: ParamSettings = { rejectUnexpectedParam: true, authParams: ['USER', 'PASS'], sendError: compileErrorFormatter(format) }
  const params = createParamLayer(app, all)
  app.addHook('onRoute', function (route) {
    const hook = params.route(this, route)
    if (hook !== null) route.preValidation = hook
  })
  return app
}

const Stuff = {
  params: Type.Object({ sid: Type.Integer() }),
  querystring: Type.Object({ verbose: Type.Optional(Type.Boolean()) }),
  body: Type.Object({ price: Type.Number({ minimum: 0 }), when: Type.String({ format: 'date' }), who: Type.Optional(Type.Object({ name: Type.String() })), j: Type.Optional(JsonData) })
}

test('every problem of a request comes back in one 400, one line per problem', async () => {
  const app = await build()
  app.patch('/stuff/:sid', { schema: Stuff }, async () => 'ok')
  const r = await app.inject({ method: 'PATCH', url: '/stuff/3?verbose=perhaps&extra=1', payload: { price: -1, when: 'yesterday', nope: true } })
  assert.equal(r.statusCode, 400)
  assert.equal(r.headers['content-type'], 'application/json; charset=utf-8')
  assert.deepEqual(r.json().error.split('\n').sort(), [
    'parameter "price" (body): must be >= 0',
    'parameter "verbose" (query): must be boolean (true/false, 1/0, t/f, yes/no, on/off)',
    'parameter "when" (body): must match format "date"',
    'unexpected parameter "extra" (query)',
    'unexpected parameter "nope" (body)'
  ])
})

test('missing parameters are named', async () => {
  const app = await build('plain')
  app.post('/stuff/:sid', { schema: Stuff }, async () => 'ok')
  const r = await app.inject({ method: 'POST', url: '/stuff/3', payload: {} })
  assert.equal(r.statusCode, 400)
  assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8')
  assert.deepEqual(r.body.split('\n').sort(), ['missing parameter "price" (body)', 'missing parameter "when" (body)'])
})

test('a path parameter that fails conversion is a 404', async () => {
  const app = await build()
  app.patch('/stuff/:sid', { schema: Stuff }, async () => 'ok')
  app.get('/only/:sid', { schema: { params: Stuff.params } }, async () => 'ok')
  const r = await app.inject({ method: 'PATCH', url: '/stuff/abc?extra=1', payload: { price: 'x' } })
  assert.equal(r.statusCode, 404)
  assert.equal(r.json().error, 'not found: parameter "sid" (path): must be integer')
  // a route with only a params schema fails in Fastify's own validation step: same answer
  // (the route's error handler formats it; no application-wide handler is involved)
  const r2 = await app.inject({ url: '/only/abc' })
  assert.equal(r2.statusCode, 404)
  assert.equal(r2.json().error, 'not found: parameter "sid" (path): must be integer')
})

test('invalid JSON text is reported once per parameter', async () => {
  const app = await build()
  app.post('/stuff/:sid', { schema: Stuff }, async () => 'ok')
  const r = await app.inject({ method: 'POST', url: '/stuff/1', payload: 'price=1&when=2020-01-01&who={oops&j=[1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  assert.equal(r.statusCode, 400)
  assert.deepEqual(r.json().error.split('\n').sort(), ['parameter "j" (body): invalid JSON', 'parameter "who" (body): invalid JSON'])
})

test('a JSON field repeated in the query string is a 400', async () => {
  const app = await build()
  app.get('/j', { schema: { querystring: Type.Object({ j: JsonData }) } }, async () => 'ok')
  const r = await app.inject({ url: '/j?j=1&j=2' })
  assert.equal(r.statusCode, 400)
  assert.equal(r.json().error, 'parameter "j" (query): given 2 times')
})

test('a body on a route that takes none is refused', async () => {
  const app = await build()
  app.delete('/q', { schema: { querystring: Type.Object({ a: Type.Optional(Type.String()) }) } }, async () => 'ok')
  const r = await app.inject({ method: 'DELETE', url: '/q', payload: '[1,2]', headers: { 'content-type': 'application/json' } })
  assert.equal(r.statusCode, 400)
  assert.equal(r.json().error, 'unexpected request body')
})

test('a route with a single schema part reports all its errors through Fastify, in the configured format', async () => {
  const app = await build()
  app.get('/one', { schema: { querystring: Type.Object({ a: Type.Integer(), b: Type.Integer() }) } }, async () => 'ok')
  const r = await app.inject({ url: '/one?a=x&b=y' })
  assert.equal(r.statusCode, 400)
  assert.deepEqual(r.json(), { error: 'parameter "a" (query): must be integer\nparameter "b" (query): must be integer' })
})

test('formatValidationError turns a Fastify validation error into lines', () => {
  const error = Object.assign(new Error('querystring/a must be integer'), {
    validationContext: 'querystring',
    validation: [
      { instancePath: '/a', schemaPath: '#/properties/a/type', keyword: 'type', params: { type: 'integer' }, message: 'must be integer' },
      { instancePath: '/who/born', schemaPath: '#/properties/who/properties/born/format', keyword: 'format', params: {}, message: 'must match format "date"' },
      { instancePath: '/l/2', schemaPath: '#/properties/l/items/type', keyword: 'type', params: {}, message: 'must be integer' }
    ]
  }) as unknown as FastifyError
  assert.equal(formatValidationError(error), 'parameter "a" (query): must be integer\nparameter "who.born" (query): must match format "date"\nparameter "l[2]" (query): must be integer')
  assert.equal(formatValidationError(new Error('plain') as FastifyError), 'plain')
})

test('branch errors of a failed union are replaced by the union error', () => {
  const lines = ajvLines([
    { instancePath: '/u', schemaPath: '#/properties/u/anyOf/0/type', keyword: 'type', params: {}, message: 'must be integer' },
    { instancePath: '/u', schemaPath: '#/properties/u/anyOf/1/type', keyword: 'type', params: {}, message: 'must be null' },
    { instancePath: '/u', schemaPath: '#/properties/u/anyOf', keyword: 'anyOf', params: {}, message: 'must match a schema in anyOf' },
    { instancePath: '', schemaPath: '#/type', keyword: 'type', params: {}, message: 'must be object' }
  ], 'body')
  assert.deepEqual(lines, ['parameter "u" (body): must match a schema in anyOf', 'body: must be object'])
})

test('names are quoted and cut, and long messages are capped', () => {
  assert.equal(quote('a\nb'), '"a\\nb"')
  assert.equal(quote('x'.repeat(100)).length, 64 + 3)
  const many = Array.from({ length: MAX_LINES + 5 }, (_, i) => `line ${i}`)
  const joined = joinLines(many).split('\n')
  assert.equal(joined.length, MAX_LINES + 1)
  assert.equal(joined.at(-1), '... and 5 more problems')
})

test('schemaErrorFormatter gives catalogue errors with their status', () => {
  const path = schemaErrorFormatter([{ instancePath: '/id', schemaPath: '#', keyword: 'type', params: {}, message: 'must be integer' }] as never, 'params') as FastifyError
  assert.equal(path.code, 'FSA_ERR_PARAM_PATH')
  assert.equal(path.statusCode, 404)
  const body = schemaErrorFormatter([{ instancePath: '', schemaPath: '#/required', keyword: 'required', params: { missingProperty: 'a' }, message: '' }] as never, 'body') as FastifyError
  assert.equal(body.code, 'FSA_ERR_PARAM_INVALID')
  assert.equal(body.statusCode, 400)
  assert.equal(body.message, 'missing parameter "a" (body)')
})

test('a GET body above the route body limit is a 413', async () => {
  const app = await build()
  app.get('/q', { bodyLimit: 10, schema: { querystring: Type.Object({ a: Type.Optional(Type.String()) }) } }, async () => 'ok')
  const r = await app.inject({ method: 'GET', url: '/q', payload: { a: 'x'.repeat(50) } })
  assert.equal(r.statusCode, 413)
  assert.equal(r.body, JSON.stringify({ error: 'request body is too large' }))
  const small = await app.inject({ method: 'GET', url: '/q', payload: { a: 'x' } })
  assert.equal(small.statusCode, 200)
})

test('a query field sent as bad JSON text in a form body is reported once, not also as missing', async () => {
  const app = await build()
  app.get('/len', { schema: { querystring: Type.Object({ p: JsonData }) } }, async () => 'ok')
  const r = await app.inject({ method: 'GET', url: '/len', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'p=not-json' })
  assert.equal(r.statusCode, 400)
  const lines: string[] = r.json().error.split('\n')
  assert.equal(lines.length, 1)
  assert.match(lines[0] as string, /^parameter "p" \(body\): /)
})

test('a body field sent as bad JSON text in the query is reported once, not also as missing', async () => {
  const app = await build()
  app.post('/who', { schema: { body: Type.Object({ who: Type.Object({ name: Type.String() }) }) } }, async () => 'ok')
  const r = await app.inject({ method: 'POST', url: '/who?who=%7Bbroken' })
  assert.equal(r.statusCode, 400)
  const lines: string[] = r.json().error.split('\n')
  assert.equal(lines.length, 1)
  assert.match(lines[0] as string, /^parameter "who" \(query\): /)
})
