// Schema Objects in the dialect of the document's OpenAPI version (lib/openapi/schemas.ts): the
// draft-07 forms TypeBox and Fastify produce become JSON Schema 2020-12 for OpenAPI 3.1, or the
// closest OpenAPI 3.0 can say; nothing else changes, and the input is never mutated.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from 'typebox'
import { convertDocumentSchemas, toOpenApiSchema } from '../lib/openapi/schemas.js'
import { openApiAjv } from './helpers/openapi.js'

const tuple = () => ({ type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false, minItems: 2 })

test('a TypeBox tuple becomes prefixItems in 3.1, as strict as the original', () => {
  const source = Type.Array(Type.Tuple([Type.String(), Type.Number()]))
  const copy = JSON.parse(JSON.stringify(source))
  const converted = toOpenApiSchema(source, '3.1.0') as Record<string, any>
  assert.deepEqual(JSON.parse(JSON.stringify(source)), copy, 'the route schema is not mutated')
  assert.deepEqual(converted.items.prefixItems, [{ type: 'string' }, { type: 'number' }])
  assert.equal(converted.items.items, false)
  assert.equal(converted.items.additionalItems, undefined)
  const validate = openApiAjv().compile(converted)
  assert.equal(validate([['a', 1]]), true)
  assert.equal(validate([['a', 1, 2]]), false)
  assert.equal(validate([[1, 'a']]), false)
})

test('tuples open at the end, with an additionalItems schema, and nested anywhere', () => {
  assert.deepEqual(toOpenApiSchema({ type: 'array', items: [{ type: 'string' }] }, '3.1.0'), { type: 'array', prefixItems: [{ type: 'string' }] })
  assert.deepEqual(toOpenApiSchema({ type: 'array', items: [{ type: 'string' }], additionalItems: { type: 'integer' } }, '3.1.0'),
    { type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'integer' } })
  const nested = toOpenApiSchema({ type: 'object', properties: { items: tuple(), additionalItems: { anyOf: [tuple()] } } }, '3.1.0') as Record<string, any>
  assert.deepEqual(Object.keys(nested.properties), ['items', 'additionalItems'], 'property names are not keywords')
  assert.ok(Array.isArray(nested.properties.items.prefixItems))
  assert.ok(Array.isArray(nested.properties.additionalItems.anyOf[0].prefixItems))
  // data keywords stay data
  const data = { enum: [{ items: [1], additionalItems: false }], default: { items: [1] } }
  assert.deepEqual(toOpenApiSchema(data, '3.1.0'), data)
  // additionalItems without a tuple means nothing: dropped
  assert.deepEqual(toOpenApiSchema({ type: 'array', items: { type: 'string' }, additionalItems: false }, '3.1.0'), { type: 'array', items: { type: 'string' } })
})

test('OpenAPI 3.0 has no tuples: the members as anyOf, the length bounded', () => {
  assert.deepEqual(toOpenApiSchema(tuple(), '3.0.3'), { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] }, minItems: 2, maxItems: 2 })
  assert.deepEqual(toOpenApiSchema({ type: 'array', items: [{ type: 'string' }] }, '3.0.3'), { type: 'array', items: { type: 'string' } })
  assert.deepEqual(toOpenApiSchema({ exclusiveMinimum: true, minimum: 0 }, '3.0.3'), { exclusiveMinimum: true, minimum: 0 })
})

test('draft-07 dependencies and draft-04 exclusive bounds become 2020-12 keywords in 3.1', () => {
  assert.deepEqual(toOpenApiSchema({ type: 'object', dependencies: { a: ['b'], c: { required: ['d'] } } }, '3.1.0'),
    { type: 'object', dependentRequired: { a: ['b'] }, dependentSchemas: { c: { required: ['d'] } } })
  assert.deepEqual(toOpenApiSchema({ type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false }, '3.1.0'),
    { type: 'number', exclusiveMinimum: 0, maximum: 9 })
  assert.deepEqual(toOpenApiSchema({ type: 'number', exclusiveMinimum: 3 }, '3.1.0'), { type: 'number', exclusiveMinimum: 3 })
})

test('every Schema Object of a document is converted: components, parameters, bodies, responses, headers', () => {
  const media = () => ({ 'application/json': { schema: tuple() } })
  const doc = {
    openapi: '3.1.0',
    components: { schemas: { Pair: tuple() } },
    paths: {
      '/x': {
        parameters: [{ name: 'ignored', in: 'query' }],
        post: {
          parameters: [{ name: 'q', in: 'query', schema: tuple() }, { name: 'j', in: 'query', content: media() }],
          requestBody: { content: media() },
          responses: { 200: { description: 'ok', content: media(), headers: { 'X-Pair': { schema: tuple() } } } }
        }
      }
    }
  }
  const text = JSON.stringify(convertDocumentSchemas(doc))
  assert.equal(text.includes('additionalItems'), false, text)
  assert.equal(text.split('prefixItems').length - 1, 6)
})
