import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type RouteOptions } from 'fastify'
import { Type } from 'typebox'
import { Validator } from '@seriousme/openapi-schema-validator'
import docs from '../plugins/docs.js'
import { applyRouteOpenApi, errorSchemaFor, securitySchemes, withErrorResponses, type RouteSecurityInfo } from '../lib/index.js'
import { ERROR_RESPONSES } from '../lib/openapi/security.js'
import { buildApp } from './helpers/app.js'

const PARAM = { user: 'USER', pass: 'PASS' }
const info = (over: Partial<RouteSecurityInfo>): RouteSecurityInfo => ({
  method: 'GET', url: '/x', authorize: 'AUTH', open: false, closed: false, undeclared: false, early: false, schemes: ['basic'], realm: 'r', groups: [], scopes: [], perms: [], ...over
})

async function validate (doc: unknown): Promise<void> {
  const result = await new Validator().validate(doc as never)
  assert.deepEqual(result, { valid: true })
}

test('security schemes follow the configured schemes and token carrier', () => {
  const jwt = securitySchemes(['token', 'basic', 'param', 'custom'], { type: 'jwt', carrier: 'bearer', name: 'Bearer' }, PARAM)
  assert.deepEqual(Object.keys(jwt), ['token', 'basic'])
  assert.deepEqual({ ...(jwt.token as object), description: undefined }, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: undefined })
  assert.match((jwt.basic as { description: string }).description, /USER and PASS/)
  const fsa = securitySchemes(['token'], { type: 'fsa', carrier: 'bearer', name: 'Bearer' }, PARAM).token as Record<string, unknown>
  assert.equal(fsa.scheme, 'bearer')
  assert.equal(fsa.bearerFormat, undefined)
  const word = securitySchemes(['token'], { type: 'fsa', carrier: 'bearer', name: 'Token' }, PARAM).token as Record<string, unknown>
  assert.deepEqual([word.type, word.in, word.name], ['apiKey', 'header', 'Authorization'])
  for (const [carrier, where] of [['header', 'header'], ['cookie', 'cookie'], ['param', 'query']] as const) {
    const s = securitySchemes(['token'], { type: 'fsa', carrier, name: 'AUTH' }, PARAM).token as Record<string, unknown>
    assert.deepEqual([s.type, s.in, s.name], ['apiKey', where, 'AUTH'])
  }
  const oauth = securitySchemes(['oauth', 'password'], { type: 'jwt', carrier: 'bearer', name: 'Bearer' }, PARAM)
  assert.equal((oauth.oauth as Record<string, unknown>).bearerFormat, 'JWT')
  assert.equal((oauth.basic as Record<string, unknown>).scheme, 'basic')
})

test('error schemas follow the errorResponse option', () => {
  assert.deepEqual(errorSchemaFor('plain'), { content: { 'text/plain': { schema: { type: 'string' } } } })
  assert.deepEqual(errorSchemaFor('json'), { content: { 'application/json': { schema: { type: 'string' } } } })
  assert.deepEqual(errorSchemaFor('json:msg'), { content: { 'application/json': { schema: { type: 'object', properties: { msg: { type: 'string' } }, required: ['msg'] } } } })
  assert.deepEqual(errorSchemaFor(() => 'x'), { content: { '*/*': { schema: {} } } })
})

test('route security, the declaration and the possible errors are recorded without touching the shared schema', () => {
  const shared = { params: Type.Object({ sid: Type.String() }) }
  const route = { method: 'PATCH', url: '/stuff/:sid', schema: shared, handler: () => {} } as unknown as RouteOptions
  const perms = [{ domain: 'stuff', params: ['sid'], mode: 'owner' }]
  applyRouteOpenApi(route, info({ authorize: [['stuff', 'sid', 'owner']], schemes: ['token', 'basic', 'param'], groups: ['admin'], perms }), { errorSchema: { type: 'string' } })
  const schema = route.schema as Record<string | symbol, unknown>
  assert.notEqual(schema, shared)
  assert.equal(Object.hasOwn(shared, 'security'), false)
  assert.deepEqual(schema.security, [{ token: [] }, { basic: [] }])
  assert.deepEqual(schema['x-fsa-authorize'], [['stuff', 'sid', 'owner']])
  assert.deepEqual(schema['x-fsa-auth'], ['token', 'basic', 'param'])
  const errors = schema[ERROR_RESPONSES] as Record<string, { description: string, type: string }>
  assert.deepEqual(Object.keys(errors), ['400', '401', '403', '404'])
  assert.match(errors['403']!.description, /not in group admin; permission denied on stuff/)
  assert.match(errors['404']!.description, /path parameter.*object does not exist/)
  assert.equal(errors['401']!.type, 'string')
  const documented = withErrorResponses(schema) as { response: Record<string, unknown> }
  assert.deepEqual(Object.keys(documented.response), ['200', '400', '401', '403', '404'])
})

test('open routes have no security and no 401; declared responses and security win', () => {
  const route = { method: 'GET', url: '/o', schema: { response: { 400: { type: 'string', description: 'mine' } } }, handler: () => {} } as unknown as RouteOptions
  applyRouteOpenApi(route, info({ authorize: 'OPEN', open: true, schemes: [] }), { errorSchema: {} })
  const schema = route.schema as Record<string, unknown>
  assert.deepEqual(schema.security, [])
  assert.deepEqual(schema['x-fsa-auth'], [])
  const documented = withErrorResponses(schema) as { response: Record<string, { description: string }> }
  assert.equal(documented.response['400']!.description, 'mine')
  assert.equal(documented.response['401'], undefined)
  const custom = { method: 'GET', url: '/c', schema: { security: [{ mine: [] }] }, handler: () => {} } as unknown as RouteOptions
  applyRouteOpenApi(custom, info({ undeclared: true, closed: true, authorize: undefined }), { errorSchema: {} })
  assert.deepEqual((custom.schema as Record<string, unknown>).security, [{ mine: [] }])
  assert.equal((custom.schema as Record<string, unknown>)['x-fsa-authorize'], null)
  assert.equal(withErrorResponses(undefined), undefined)
})

test('the document of a secured app is valid OpenAPI and the docs are open (secure first)', async (t) => {
  const secureOptions = { auth: ['token', 'basic', 'param', 'none'], token: { type: 'jwt' as const, secret: 's'.repeat(40) }, getUserPass: async () => null, errorResponse: 'json:error' as const }
  const docsOptions = { errorResponse: 'json:error', openapi: { info: { title: 'Acme', version: '2.0.0' } } } as const
  const app = await buildApp(t, secureOptions, async (app) => {
    await app.register(docs, docsOptions)
    app.get('/hello', { config: { authorize: 'OPEN' }, schema: { querystring: Type.Object({ n: Type.Optional(Type.Integer()) }) } }, async () => 'hi')
    app.patch('/stuff/:sid', { config: { authorize: 'AUTH' }, schema: { params: Type.Object({ sid: Type.Integer() }), body: Type.Object({ price: Type.Number() }) } }, async () => 'ok')
    app.get('/closed', async () => 'never')
  })
  const json = await app.inject({ url: '/docs/json' })
  assert.equal(json.statusCode, 200)
  const doc = json.json()
  await validate(doc)
  assert.equal(doc.info.title, 'Acme')
  assert.deepEqual(Object.keys(doc.components.securitySchemes), ['token', 'basic'])
  assert.equal(doc.components.securitySchemes.token.bearerFormat, 'JWT')
  const patch = doc.paths['/stuff/{sid}'].patch
  assert.deepEqual(patch.security, [{ token: [] }, { basic: [] }])
  assert.equal(patch['x-fsa-authorize'], 'AUTH')
  assert.deepEqual(Object.keys(patch.responses), ['200', '400', '401', '404'])
  assert.deepEqual(patch.responses['401'].content['application/json'].schema.required, ['error'])
  const hello = doc.paths['/hello'].get
  assert.deepEqual(hello.security, [])
  assert.deepEqual(Object.keys(hello.responses), ['200', '400'])
  assert.deepEqual(Object.keys(doc.paths['/closed'].get.responses), ['200', '403'])
  assert.equal(doc.paths['/docs/json'], undefined)
  assert.equal((await app.inject({ url: '/docs' })).statusCode, 200)
  const audit = app.fsa.routes().filter((r) => r.url.startsWith('/docs'))
  for (const r of audit) assert.equal(r.open, true, `${r.method} ${r.url}`)
  assert.ok(audit.length > 0)
  assert.equal((await app.inject({ url: '/closed' })).statusCode, 403)
})

test('docs registered before the secure plugin are closed: their routes were never declared to it', async (t) => {
  const app = await buildApp(t, { auth: ['basic', 'none'], getUserPass: async () => null }, (app) => {
    app.get('/hello', { config: { authorize: 'OPEN' } }, async () => 'hi')
  }, { before: (app) => app.register(docs, { openapi: { info: { title: 'Acme', version: '2.0.0' } } }), ready: true })
  assert.equal((await app.inject({ url: '/docs/json' })).statusCode, 403)
  assert.equal((await app.inject({ url: '/docs' })).statusCode, 403)
  assert.equal((await app.inject({ url: '/hello' })).statusCode, 200)
  const docsRoutes = app.fsa.routes().filter((r) => r.url.startsWith('/docs'))
  assert.ok(docsRoutes.length > 0)
  for (const r of docsRoutes) assert.equal(r.early, true, `${r.method} ${r.url}`)
})

test('explicit security schemes and a user transform are honoured on a bare app', async () => {
  const app = Fastify()
  const seen: Array<{ url: string, authorize: unknown }> = []
  app.addHook('onRoute', (route) => {
    seen.push({ url: route.url, authorize: (route.config as { authorize?: unknown } | undefined)?.authorize })
    if (route.url === '/k') applyRouteOpenApi(route, info({ schemes: ['custom'] }), { errorSchema: {} })
  })
  await app.register(docs, {
    routePrefix: '/api-docs',
    securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } },
    swagger: { transform: ({ schema, url }) => ({ schema: { ...schema, summary: 'seen' }, url }) }
  })
  app.get('/k', { schema: { security: [{ key: [] }] } }, async () => 'k')
  app.get('/gone', { schema: { security: [{ unknown: [] }] } }, async () => 'g')
  const doc = (await app.inject({ url: '/api-docs/json' })).json()
  await validate(doc)
  assert.deepEqual(doc.paths['/k'].get.security, [{ key: [] }])
  assert.equal(doc.paths['/k'].get.summary, 'seen')
  assert.equal(doc.paths['/gone'].get.security, undefined)
  const docsRoutes = seen.filter((r) => r.url.startsWith('/api-docs'))
  assert.ok(docsRoutes.length >= 3)
  for (const r of docsRoutes) assert.equal(r.authorize, 'OPEN', r.url)
  assert.equal(seen.find((r) => r.url === '/k')?.authorize, undefined)
})

test('an application registering plain @fastify/swagger still gets a valid document', async (t) => {
  const { default: swagger } = await import('@fastify/swagger')
  const app = await buildApp(t, { getUserPass: () => null, token: { secret: 's'.repeat(40) } }, (app) => {
    app.get('/auth', { config: { authorize: 'AUTH' } }, async () => 'x')
    app.get('/open', { config: { authorize: 'OPEN' } }, async () => 'x')
  }, { before: (app) => app.register(swagger, { openapi: { info: { title: 'plain', version: '1' } } }), ready: true })
  const doc = app.swagger() as { paths: Record<string, unknown> }
  assert.deepEqual(Object.keys(doc.paths).sort(), ['/auth', '/open'])
  await validate(doc)
})

test('a route without a parameter schema documents the 400 it sends for unexpected parameters, unless it accepts them', async (t) => {
  const secureOptions = { auth: ['token', 'none'], token: { secret: 's'.repeat(40) } }
  const routes = async (app: ReturnType<typeof Fastify>): Promise<void> => {
    await app.register(docs, {})
    app.get('/plain', { config: { authorize: 'OPEN' } }, async () => 'hi')
    app.get('/raw', { config: { authorize: 'OPEN', unexpectedParams: 'accept' } }, async () => 'raw')
  }
  const app = await buildApp(t, secureOptions, routes)
  const doc = (await app.inject({ url: '/docs/json' })).json()
  assert.deepEqual(Object.keys(doc.paths['/plain'].get.responses), ['200', '400'])
  assert.equal((await app.inject({ url: '/plain?x=1' })).statusCode, 400, 'what the document says')
  assert.deepEqual(Object.keys(doc.paths['/raw'].get.responses), ['200'])
  assert.equal((await app.inject({ url: '/raw?x=1' })).statusCode, 200)
  const lax = await buildApp(t, { ...secureOptions, rejectUnexpectedParam: false }, routes)
  const laxDoc = (await lax.inject({ url: '/docs/json' })).json()
  assert.deepEqual(Object.keys(laxDoc.paths['/plain'].get.responses), ['200'])
  assert.equal((await lax.inject({ url: '/plain?x=1' })).statusCode, 200)
})
