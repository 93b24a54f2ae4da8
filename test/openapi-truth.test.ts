// The OpenAPI documents tell the truth: the demo's and the users plugin's pass both third-party
// validators with every schema compiled by Ajv2020 (OpenAPI 3.1 = JSON Schema 2020-12), the param
// scheme's credentials are request fields, requirements are in the descriptions, and error
// responses have the content type and shape the app really sends.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { Type } from 'typebox'
import { Validator } from '@seriousme/openapi-schema-validator'
import SwaggerParser from '@apidevtools/swagger-parser'
import docs from '../plugins/docs.js'
import users from '../plugins/users.js'
import { buildApp as buildAcme } from '../examples/acme/app.js'
import { buildApp } from './helpers/app.js'
import { FAST_PASSWORD, SECRET } from './helpers/accounts-app.js'
import { assertValidOpenApi, compileWithAjv2020, openApiAjv } from './helpers/openapi.js'

type Bag = Record<string, any>
const CHEAP = { memoryCost: 64, timeCost: 1, allowWeak: true }

async function acmeDocument (t: { after: (fn: () => Promise<void>) => void }): Promise<Bag> {
  const app = await buildAcme({ db: 'sqlite::memory:', adminPassword: 'Acme1', secret: randomBytes(32).toString('hex'), hashing: CHEAP })
  t.after(() => app.close())
  const res = await app.inject({ url: '/docs/json' })
  assert.equal(res.statusCode, 200)
  return res.json()
}

test('the demo\'s document is valid OpenAPI 3.1 for both validators, every schema compiling with Ajv2020', async (t) => {
  const doc = await acmeDocument(t)
  const compiled = await assertValidOpenApi(doc)
  assert.ok(compiled > 40, `${compiled} schemas compiled`)
  // the tuple of GET /stuff is a 2020-12 tuple, exactly as strict as TypeBox's
  const pair = doc.paths['/stuff'].get.responses['200'].content['application/json'].schema.items
  assert.deepEqual(pair, { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false, minItems: 2 })
  const validate = openApiAjv().compile(pair)
  assert.equal(validate(['pinte', 6.5]), true)
  assert.equal(validate(['pinte', 6.5, 'extra']), false)
  assert.equal(validate([6.5, 'pinte']), false)
})

test('the users plugin\'s document is valid OpenAPI 3.1 for both validators and Ajv2020', async (t) => {
  const app = await buildApp(t, { store: 'sqlite::memory:', auth: ['token', 'basic', 'param', 'none'], password: FAST_PASSWORD, token: { secret: SECRET }, errorResponse: 'json:error' },
    async (app) => {
      await app.register(docs, { openapi: { info: { title: 'accounts', version: '1' } } })
      await app.register(users)
    }, { ready: true })
  const doc = app.swagger() as Bag
  assert.ok(await assertValidOpenApi(doc) > 40)
  assert.match(doc.paths['/auth/users'].get.description, /in group `admin`/)
})

test('the check has teeth: a draft-07 tuple does not compile with Ajv2020', () => {
  const draft7 = { type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false, minItems: 2 }
  assert.throws(() => compileWithAjv2020(openApiAjv(), { components: {} }, draft7))
})

test('POST /token shows its login and password as required body fields that authenticate', async (t) => {
  const doc = await acmeDocument(t)
  const post = doc.paths['/token'].post
  assert.deepEqual(Object.keys(post.requestBody.content), ['application/x-www-form-urlencoded', 'application/json'])
  const body = post.requestBody.content['application/x-www-form-urlencoded'].schema
  assert.deepEqual(Object.keys(body.properties), ['username', 'password'])
  assert.deepEqual(body.required, ['username', 'password'])
  assert.match(body.properties.username.description, /authenticates the request/)
  assert.match(body.properties.password.description, /authenticates the request/)
  assert.equal(body.properties.password.format, 'password')
  assert.match(post.description, /authenticated \(param\)/)
  assert.equal(post.summary, 'Get a token by posting a login and password')
  // GET /token: basic as a security scheme, the param credentials as optional query fields
  const get = doc.paths['/token'].get
  assert.deepEqual(get.security, [{ basic: [] }])
  assert.deepEqual(get.parameters.map((p: Bag) => [p.in, p.name, p.required]), [['query', 'username', false], ['query', 'password', false]])
  // POST /stuff keeps its own fields, the credentials are optional beside them
  const stuff = doc.paths['/stuff'].post.requestBody.content['application/json'].schema
  assert.deepEqual(Object.keys(stuff.properties), ['stuff', 'price', 'username', 'password'])
  assert.deepEqual(stuff.required, ['stuff', 'price'])
})

test('the group and permission a demo route needs are in its description; every demo route has a summary and tags', async (t) => {
  const doc = await acmeDocument(t)
  assert.match(doc.paths['/user'].post.description, /authenticated \(token, basic, param\) and in group `admin`\./)
  assert.match(doc.paths['/stuff/{sid}'].patch.description, /and permission `owner` on `stuff` `sid`/)
  assert.match(doc.paths['/hello'].get.description, /^Open: no authentication\.$/)
  for (const [path, item] of Object.entries(doc.paths as Bag)) {
    if (path.startsWith('/auth/')) continue
    for (const [method, op] of Object.entries(item as Bag)) {
      assert.ok(typeof op.summary === 'string' && op.summary.length > 0, `${method} ${path} has a summary`)
      assert.ok(Array.isArray(op.tags) && op.tags.length > 0, `${method} ${path} has tags`)
    }
  }
})

test('closed routes say so: declared CLOSE and undeclared', async (t) => {
  const app = await buildApp(t, { auth: ['basic', 'none'], getUserPass: async () => null }, async (app) => {
    await app.register(docs)
    app.get('/close', { config: { authorize: 'CLOSE' }, schema: { description: 'Retired.' } }, async () => 'never')
    app.get('/nothing', async () => 'never')
  }, { ready: true })
  const doc = app.swagger() as Bag
  await assertValidOpenApi(doc)
  assert.equal(doc.paths['/close'].get.description, 'Retired.\n\nClosed: every request is refused (403).')
  assert.match(doc.paths['/nothing'].get.description, /^Closed: the route declares no `authorize`/)
  assert.deepEqual(Object.keys(doc.paths['/close'].get.responses), ['200', '403'])
})

/** An app with a basic-authenticated route, documented with the secure plugin's errorResponse only. */
async function errorApp (t: Parameters<typeof buildApp>[0], errorResponse?: 'plain' | 'json:error' | 'json:message' | ((message: string) => unknown)): Promise<{ doc: Bag, reply: { type: string, body: string } }> {
  const app = await buildApp(t, { auth: ['basic', 'none'], getUserPass: async () => null, ...(errorResponse !== undefined ? { errorResponse } : {}) }, async (app) => {
    await app.register(docs)
    app.get('/me', { config: { authorize: 'AUTH' }, schema: { querystring: Type.Object({ n: Type.Optional(Type.Integer()) }) } }, async () => 'me')
  }, { ready: true })
  const doc = app.swagger() as Bag
  await assertValidOpenApi(doc)
  const res = await app.inject({ url: '/me' })
  assert.equal(res.statusCode, 401)
  return { doc, reply: { type: String(res.headers['content-type']), body: res.body } }
}

test('error responses have the content type and shape the app sends, read from the secure plugin', async (t) => {
  for (const option of ['json:error', 'json:message'] as const) {
    const { doc, reply } = await errorApp(t, option)
    const documented = doc.paths['/me'].get.responses['401'].content
    assert.deepEqual(Object.keys(documented), ['application/json'])
    assert.match(reply.type, /^application\/json/)
    const key = option.slice('json:'.length)
    assert.deepEqual(documented['application/json'].schema, { type: 'object', properties: { [key]: { type: 'string' } }, required: [key] })
    assert.equal(openApiAjv().compile(documented['application/json'].schema)(JSON.parse(reply.body)), true, reply.body)
    assert.deepEqual(Object.keys(doc.paths['/me'].get.responses['400'].content), ['application/json'])
  }
  for (const option of ['plain', undefined]) {
    const { doc, reply } = await errorApp(t, option as 'plain' | undefined)
    assert.deepEqual(doc.paths['/me'].get.responses['401'].content, { 'text/plain': { schema: { type: 'string' } } }, String(option))
    assert.match(reply.type, /^text\/plain/)
  }  // a function decides the body: documented as any body of any type
  const custom = await errorApp(t, (message) => ({ problem: message }))
  assert.deepEqual(custom.doc.paths['/me'].get.responses['401'].content, { '*/*': { schema: {} } })
  assert.equal(JSON.parse(custom.reply.body).problem, 'missing authentication')
})

test('an application may ask for OpenAPI 3.0: tuples and null unions in its dialect, valid for both validators', async (t) => {
  const app = await buildApp(t, { auth: ['basic', 'param', 'none'], getUserPass: async () => null }, async (app) => {
    await app.register(docs, { openapi: { openapi: '3.0.3', info: { title: 'three-oh', version: '1' } } })
    app.get('/pairs', {
      config: { authorize: 'AUTH' },
      schema: { querystring: Type.Object({ n: Type.Union([Type.Integer(), Type.Null()]) }), response: { 200: Type.Array(Type.Tuple([Type.String(), Type.Number()])) } }
    }, async () => [])
  }, { ready: true })
  const doc = app.swagger() as Bag
  assert.equal(doc.openapi, '3.0.3')
  assert.deepEqual(await new Validator().validate(structuredClone(doc) as never), { valid: true })
  await SwaggerParser.validate(structuredClone(doc) as never)
  const pair = doc.paths['/pairs'].get.responses['200'].content['application/json'].schema.items
  assert.deepEqual(pair, { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] }, minItems: 2, maxItems: 2 })
  assert.deepEqual(doc.paths['/pairs'].get.parameters.map((p: Bag) => p.name), ['n', 'USER', 'PASS'])
})

test('plain @fastify/swagger with the exported helpers gets the same truthful 3.1 document', async (t) => {
  const { default: swagger } = await import('@fastify/swagger')
  const { applyRouteOpenApi, convertDocumentSchemas, describeOperation, errorSchemaFor, securitySchemes, withErrorResponses } = await import('../lib/index.js')
  const app = await buildApp(t, { auth: ['basic', 'param', 'none'], getUserPass: async () => null, errorResponse: 'json:error' }, (app) => {
    app.get('/pairs', { config: { authorize: 'AUTH' }, schema: { response: { 200: Type.Array(Type.Tuple([Type.String(), Type.Number()])) } } }, async () => [])
  }, {
    ready: true,
    before: (app) => app.register(swagger, {
      openapi: { openapi: '3.1.0', info: { title: 'plain', version: '1' }, components: { securitySchemes: securitySchemes(['basic'], { type: 'fsa', carrier: 'bearer', name: 'Bearer' }, { user: 'USER', pass: 'PASS' }) } },
      transform: ({ schema, url, route }: { schema: Bag, url: string, route: { method: string } }) => {
        const info = app.fsa.routes().find((r) => r.url === url && r.method === route.method)
        if (info === undefined) return { schema, url }
        const holder = { schema } as unknown as Parameters<typeof applyRouteOpenApi>[0]
        applyRouteOpenApi(holder, info, { errorSchema: errorSchemaFor(app.fsa.errorResponse) })
        return { schema: withErrorResponses(describeOperation(holder.schema as Bag, info, app.fsa.param)), url }
      },
      transformObject: ({ openapiObject }: { openapiObject: Bag }) => convertDocumentSchemas(openapiObject)
    } as never)
  })
  const doc = app.swagger() as Bag
  await assertValidOpenApi(doc)
  const get = doc.paths['/pairs'].get
  assert.ok(Array.isArray(get.responses['200'].content['application/json'].schema.items.prefixItems))
  assert.deepEqual(get.parameters.map((p: Bag) => p.name), ['USER', 'PASS'])
  assert.deepEqual(Object.keys(get.responses['401'].content), ['application/json'])
})
