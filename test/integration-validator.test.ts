// The plugin beside an application's own validation: its parameter layer compiles only the routes
// the plugin compiles, starting from the application's `ajv` settings; routes it does not compile,
// and routes or scopes with their own validator compiler, keep the application's validation.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance, type FastifyServerOptions, type FastifySchemaCompiler } from 'fastify'
import { Type } from 'typebox'
import secure from '../lib/index.js'
import { logCapture } from './helpers/auth-app.js'

/** An Ajv plugin adding the format `even` (digits of an even number), as an application would. */
function evenFormat (ajv: { addFormat: (name: string, f: (s: string) => boolean) => unknown }): void {
  ajv.addFormat('even', (s) => /^\d+$/.test(s) && Number(s) % 2 === 0)
}

const Even = Type.Object({ n: Type.String({ format: 'even' }), m: Type.Integer() })

async function appWith (options: FastifyServerOptions, before?: (app: FastifyInstance) => void): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, ...options })
  before?.(app)
  await app.register(secure, { auth: ['none'], errorResponse: 'json:error' })
  return app
}

/**
 * The application's own routes (`theirs`) at the root, the plugin and its routes (`ours`) in a
 * context of their own: a route the plugin does not compile is only served outside its scope.
 */
async function appBeside (options: FastifyServerOptions, theirs: (app: FastifyInstance) => void, ours: (secured: FastifyInstance) => void): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, ...options })
  theirs(app)
  await app.register(async (secured) => {
    await secured.register(secure, { auth: ['none'], errorResponse: 'json:error' })
    ours(secured)
  })
  return app
}

test('the application\'s ajv plugins and options hold on its own routes and on the plugin\'s', async () => {
  const app = await appBeside({ ajv: { plugins: [evenFormat as never], customOptions: { removeAdditional: 'all' } } }, (app) => {
    // outside the plugin's scope: not compiled by it, Fastify's (first-error) validation
    app.get('/theirs', { schema: { querystring: Even } }, async (req) => req.query)
  }, (secured) => {
    secured.get('/ours', { config: { authorize: 'OPEN' }, schema: { querystring: Even } }, async (req) => req.query)
    secured.post('/ours', { config: { authorize: 'OPEN' }, schema: { body: Type.Object({ a: Type.String() }, { additionalProperties: false }) } }, async (req) => req.body)
  })
  assert.deepEqual((await app.inject('/theirs?n=4&m=1')).json(), { n: '4', m: 1 })
  assert.deepEqual((await app.inject('/ours?n=4&m=1')).json(), { n: '4', m: 1 })
  const theirs = await app.inject('/theirs?n=3&m=x')
  assert.equal(theirs.statusCode, 400)
  assert.equal(theirs.json().code, 'FST_ERR_VALIDATION', 'Fastify\'s own answer on a route the plugin does not compile')
  const ours = await app.inject('/ours?n=3&m=x')
  assert.equal(ours.statusCode, 400)
  assert.deepEqual(ours.json(), { error: 'parameter "n" (query): must match format "even"\nparameter "m" (query): must be integer' })
  // removeAdditional: 'all' comes from the application's options (the parameter rules would refuse the name)
  assert.deepEqual((await app.inject({ method: 'POST', url: '/ours', payload: { a: 'x' } })).json(), { a: 'x' })
  await app.close()
})

test('options the parameter rules override are named in a start-up warning, and only the plugin\'s routes are affected', async () => {
  const log = logCapture()
  const app = await appBeside({ logger: { level: 'warn', stream: log.stream }, ajv: { customOptions: { allErrors: false, coerceTypes: false } } }, (app) => {
    app.get('/theirs', { schema: { querystring: Type.Object({ m: Type.Integer() }) } }, async (req) => req.query)
  }, (secured) => {
    secured.get('/ours', { config: { authorize: 'OPEN' }, schema: { querystring: Type.Object({ m: Type.Integer(), k: Type.Integer() }) } }, async (req) => req.query)
  })
  await app.ready()
  const warning = log.lines.map((l) => JSON.parse(l) as { code?: string, msg: string }).find((l) => l.code === 'FSAWRN_PARAM_AJV')
  assert.ok(warning !== undefined, log.text())
  assert.match(warning.msg, /ajv\.customOptions\.allErrors is false/)
  assert.match(warning.msg, /ajv\.customOptions\.coerceTypes is false/)
  // the application's route keeps its options: no coercion of query text
  assert.equal((await app.inject('/theirs?m=1')).statusCode, 400)
  // the plugin's: coerced, and every problem reported
  assert.deepEqual((await app.inject('/ours?m=1&k=2')).json(), { m: 1, k: 2 })
  assert.equal((await app.inject('/ours?m=x&k=y')).json().error.split('\n').length, 2)
  await app.close()
})

test('no warning when the application\'s options agree with the parameter rules', async () => {
  const log = logCapture()
  const app = await appWith({ logger: { level: 'warn', stream: log.stream }, ajv: { customOptions: { allErrors: true, coerceTypes: 'array' } } })
  await app.ready()
  assert.doesNotMatch(log.text(), /FSAWRN_PARAM_AJV/)
  await app.close()
})

test('an application validator compiler set before or after the plugin is untouched and used on the plugin\'s routes too', async () => {
  for (const when of ['before', 'after'] as const) {
    const compiled: string[] = []
    const theirs: FastifySchemaCompiler<unknown> = ({ url, httpPart }) => {
      compiled.push(`${url} ${httpPart ?? ''}`)
      return (data: unknown) => ({ value: data })
    }
    const app = await appWith({}, (app) => { if (when === 'before') app.setValidatorCompiler(theirs) })
    if (when === 'after') app.setValidatorCompiler(theirs)
    app.get('/ours', { config: { authorize: 'OPEN' }, schema: { querystring: Type.Object({ m: Type.Integer() }) } }, async (req) => req.query)
    await app.ready()
    assert.equal(app.validatorCompiler, theirs, when)
    assert.deepEqual([...new Set(compiled)], ['/ours querystring'], when) // GET and its HEAD twin
    // their compiler accepts anything: the parameter rules (conversion, unexpected names) do not apply here
    assert.deepEqual((await app.inject('/ours?m=x&other=1')).json(), { m: 'x', other: '1' }, when)
    await app.close()
  }
})

test('a scope\'s or a route\'s own validator compiler is kept; the other routes get the parameter rules', async () => {
  const accept: FastifySchemaCompiler<unknown> = () => (data: unknown) => ({ value: data })
  const app = await appWith({})
  const Q = { querystring: Type.Object({ m: Type.Integer() }) }
  await app.register(async (scope) => {
    scope.setValidatorCompiler(accept)
    scope.get('/scoped', { config: { authorize: 'OPEN' }, schema: Q }, async (req) => req.query)
  })
  app.get('/routed', { config: { authorize: 'OPEN' }, schema: Q, validatorCompiler: accept }, async (req) => req.query)
  app.get('/ours', { config: { authorize: 'OPEN' }, schema: Q }, async (req) => req.query)
  assert.deepEqual((await app.inject('/scoped?m=x')).json(), { m: 'x' })
  assert.deepEqual((await app.inject('/routed?m=x&z=1')).json(), { m: 'x', z: '1' })
  const ours = await app.inject('/ours?m=x&z=1')
  assert.equal(ours.statusCode, 400)
  assert.deepEqual(ours.json().error.split('\n').sort(), ['parameter "m" (query): must be integer', 'unexpected parameter "z" (query)'])
  await app.close()
})

test('the plugin installs no validator compiler, schema controller or schema error formatter on the application', async () => {
  const app = await appWith({})
  app.get('/ours', { config: { authorize: 'OPEN' }, schema: { querystring: Type.Object({ m: Type.Integer() }) } }, async (req) => req.query)
  assert.equal(app.validatorCompiler, undefined)
  await app.ready()
  // Fastify builds the root compiler itself only for routes without one: none here
  assert.equal(app.validatorCompiler, undefined)
  await app.close()
})
