// The plugin beside an application's error and not-found handlers: it installs none unless asked
// (handleErrors: true), sends its own errors itself, and an application's handlers set before or
// after it answer everything else.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import secure, { err, type SecureOptions } from '../lib/index.js'

type When = 'before' | 'after'

/** An app whose own error and not-found handlers are set `when` relative to the plugin. */
async function build (when: When, options: SecureOptions = {}): Promise<{ app: FastifyInstance, seen: string[] }> {
  const app = Fastify({ logger: false })
  const seen: string[] = []
  const own = (a: FastifyInstance): void => {
    a.setErrorHandler((error: Error, _request: FastifyRequest, reply: FastifyReply) => {
      seen.push(error.message)
      return reply.code(599).send({ app: 'error', message: error.message })
    })
    a.setNotFoundHandler((request, reply) => reply.code(404).send({ app: 'not found', url: request.url }))
  }
  if (when === 'before') own(app)
  await app.register(secure, { auth: ['basic', 'none'], getUserPass: () => null, errorResponse: 'json:error', ...options })
  if (when === 'after') own(app)
  app.get('/crash', { config: { authorize: 'OPEN' } }, async () => { throw new Error('crash') })
  app.get('/teapot', { config: { authorize: 'OPEN' } }, async () => err('I am a teapot', 418))
  app.get('/auth', { config: { authorize: 'AUTH' } }, async () => 'never')
  app.get('/n', { config: { authorize: 'OPEN' }, schema: { querystring: Type.Object({ n: Type.Integer() }) } }, async (req) => req.query)
  return { app, seen }
}

for (const when of ['before', 'after'] as const) {
  test(`an app's error and not-found handlers set ${when} the plugin are kept; the plugin's own errors keep its format`, async () => {
    const { app, seen } = await build(when)
    const crash = await app.inject('/crash')
    assert.deepEqual([crash.statusCode, crash.json()], [599, { app: 'error', message: 'crash' }])
    const missing = await app.inject('/nowhere?PASS=x')
    assert.deepEqual([missing.statusCode, missing.json()], [404, { app: 'not found', url: '/nowhere?PASS=x' }])
    // the plugin's own: authentication, err(), parameter validation of its routes
    const denied = await app.inject('/auth')
    assert.deepEqual([denied.statusCode, denied.json()], [401, { error: 'missing authentication' }])
    assert.equal(denied.headers['www-authenticate'], 'Basic realm="fastify", charset="UTF-8"')
    assert.deepEqual((await app.inject('/teapot')).json(), { error: 'I am a teapot' })
    const invalid = await app.inject('/n?n=x')
    assert.deepEqual([invalid.statusCode, invalid.json()], [400, { error: 'parameter "n" (query): must be integer' }])
    assert.deepEqual(seen, ['crash'], 'the app\'s handler saw only the error that was not the plugin\'s')
    await app.close()
  })
}

test('a route\'s own error handler is kept', async () => {
  const app = Fastify({ logger: false })
  await app.register(secure, { auth: ['none'], errorResponse: 'json:error' })
  app.get('/mine', {
    config: { authorize: 'OPEN' },
    errorHandler: (error, _request, reply) => reply.code(409).send({ mine: error.message })
  }, async () => err('from the handler', 418))
  assert.deepEqual((await app.inject('/mine')).json(), { mine: 'from the handler' })
  await app.close()
})

test('with handleErrors: true the plugin installs its root error and not-found handlers', async () => {
  const app = Fastify({ logger: false })
  await app.register(secure, { auth: ['none'], errorResponse: 'json:error', handleErrors: true })
  app.get('/crash', { config: { authorize: 'OPEN' } }, async () => { throw new Error('secret detail') })
  // a second not-found handler in the same scope is Fastify's error, as for any two plugins
  assert.throws(() => app.setNotFoundHandler(async () => 'x'), /Not found handler already set/)
  const crash = await app.inject('/crash')
  assert.deepEqual([crash.statusCode, crash.json()], [500, { error: 'internal error' }])
  assert.deepEqual((await app.inject('/nowhere')).json(), { error: 'not found: GET /nowhere' })
  await app.close()
})
