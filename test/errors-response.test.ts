// errorResponse applies to the plugin's own errors: its 401/403, err() from handlers, parameter
// validation on the routes it compiles; with handleErrors: true, also to Fastify's own 404, 400,
// 413 (body limit) and 415 (media type) and to unexpected errors.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance } from 'fastify'
import secure, { err, type SecureOptions } from '../lib/index.js'
import { FAST_PASSWORD, fixtureUsers } from './helpers/auth-app.js'

async function build (options: SecureOptions = {}, bodyLimit = 1024): Promise<FastifyInstance> {
  const { getUserPass } = await fixtureUsers()
  const app = Fastify({ bodyLimit, logger: false })
  await app.register(secure, { auth: ['basic', 'none'], getUserPass, password: FAST_PASSWORD, ...options })
  app.get('/auth', { config: { authorize: 'AUTH' } }, async () => 'hi')
  app.get('/closed', { config: { authorize: 'CLOSE' } }, async () => 'never')
  app.post('/stuff', {
    config: { authorize: 'OPEN' },
    schema: { body: { type: 'object', properties: { price: { type: 'number' } }, required: ['price'] } }
  }, async () => 'ok')
  app.get('/teapot', { config: { authorize: 'OPEN' } }, async () => err('I am a teapot', 418, { 'X-Brew': 'earl grey' }))
  app.get('/bad-status', { config: { authorize: 'OPEN' } }, async () => err('nope', 999))
  app.get('/crash', { config: { authorize: 'OPEN' } }, async () => { throw new Error('secret db path /var/lib/x') })
  return app
}

/** Every kind of error, and the message each should carry. */
async function errors (app: FastifyInstance) {
  return {
    401: [await app.inject('/auth'), 'missing authentication'],
    403: [await app.inject('/closed'), 'currently closed route'],
    404: [await app.inject('/no/such/route?PASS=secret'), 'not found: GET /no/such/route'],
    400: [await app.inject({ method: 'POST', url: '/stuff', payload: { price: 'cheap' } }), undefined],
    413: [await app.inject({ method: 'POST', url: '/stuff', payload: { price: 1, pad: 'x'.repeat(2000) } }), undefined],
    415: [await app.inject({ method: 'POST', url: '/stuff', headers: { 'content-type': 'text/csv' }, payload: 'a,b' }), undefined],
    418: [await app.inject('/teapot'), 'I am a teapot']
  } as const
}

test('errorResponse "plain" (the default) sends text/plain messages for plugin and, with handleErrors, Fastify errors', async () => {
  const app = await build({ handleErrors: true })
  for (const [status, [res, message]] of Object.entries(await errors(app))) {
    assert.equal(res.statusCode, Number(status))
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8', status)
    if (message !== undefined) assert.equal(res.body, message)
    assert.ok(res.body.length > 0)
  }
  await app.close()
})

test('errorResponse "json" sends the message as a JSON string', async () => {
  const app = await build({ errorResponse: 'json', handleErrors: true })
  for (const [status, [res, message]] of Object.entries(await errors(app))) {
    assert.equal(res.statusCode, Number(status))
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8', status)
    assert.equal(typeof res.json(), 'string')
    if (message !== undefined) assert.equal(res.json(), message)
  }
  await app.close()
})

test('errorResponse "json:error" sends { error: message }', async () => {
  const app = await build({ errorResponse: 'json:error', handleErrors: true })
  const all = await errors(app)
  for (const [status, [res, message]] of Object.entries(all)) {
    assert.equal(res.statusCode, Number(status))
    assert.deepEqual(Object.keys(res.json()), ['error'], status)
    if (message !== undefined) assert.equal(res.json().error, message)
  }
  assert.match(all[400][0].json().error, /price/)
  await app.close()
})

test('errorResponse as a function builds the body from message and status', async () => {
  const app = await build({ errorResponse: (message, status) => ({ status, message, ok: false }), handleErrors: true })
  for (const [status, [res, message]] of Object.entries(await errors(app))) {
    assert.equal(res.statusCode, Number(status))
    const body = res.json()
    assert.equal(body.status, Number(status))
    assert.equal(body.ok, false)
    if (message !== undefined) assert.equal(body.message, message)
  }
  await app.close()
})

test('a 401 keeps its WWW-Authenticate challenge in every format', async () => {
  for (const errorResponse of ['plain', 'json', 'json:msg'] as const) {
    const app = await build({ errorResponse })
    const res = await app.inject('/auth')
    assert.equal(res.headers['www-authenticate'], 'Basic realm="fastify", charset="UTF-8"', errorResponse)
    await app.close()
  }
})

test('err(message, status, headers) from a handler becomes that response with its headers', async () => {
  const app = await build({ errorResponse: 'json:error' })
  const res = await app.inject('/teapot')
  assert.equal(res.statusCode, 418)
  assert.deepEqual(res.json(), { error: 'I am a teapot' })
  assert.equal(res.headers['x-brew'], 'earl grey')
  await app.close()
})

test('err() with a status outside 100..599 is an error of its own', async () => {
  assert.throws(() => err('x', 99), { code: 'FSA_ERR_BAD_STATUS' })
  assert.throws(() => err('x', 600), { code: 'FSA_ERR_BAD_STATUS' })
  assert.throws(() => err('x', 4.5), { code: 'FSA_ERR_BAD_STATUS' })
  assert.throws(() => err('x'), { statusCode: 400, message: 'x' })
  const app = await build()
  const res = await app.inject('/bad-status')
  assert.equal(res.statusCode, 500)
  assert.match(res.body, /err\(\) needs an HTTP status between 100 and 599, got 999/)
  await app.close()
})

test('with handleErrors, an unexpected handler error is a 500 "internal error" without its details', async () => {
  const app = await build({ errorResponse: 'json:error', handleErrors: true })
  const res = await app.inject('/crash')
  assert.equal(res.statusCode, 500)
  assert.deepEqual(res.json(), { error: 'internal error' })
  await app.close()
})

test('with handleErrors, the 404 message does not echo the query string', async () => {
  const app = await build({ handleErrors: true })
  const res = await app.inject('/nowhere?USER=calvin&PASS=hobbes')
  assert.equal(res.statusCode, 404)
  assert.doesNotMatch(res.body, /hobbes|PASS/)
  await app.close()
})

test('by default the plugin formats its own errors and leaves Fastify\'s (or the app\'s) handlers in charge of the rest', async () => {
  for (const options of [{}, { handleErrors: false }]) {
    const app = await build({ errorResponse: 'json:error', ...options })
    const notFound = await app.inject('/nowhere')
    assert.equal(notFound.statusCode, 404)
    assert.equal(notFound.json().message, 'Route GET:/nowhere not found', 'Fastify\'s own 404 body')
    const tooLarge = await app.inject({ method: 'POST', url: '/stuff', payload: { price: 1, pad: 'x'.repeat(2000) } })
    assert.deepEqual([tooLarge.statusCode, tooLarge.json().code], [413, 'FST_ERR_CTP_BODY_TOO_LARGE'])
    const crash = await app.inject('/crash')
    assert.deepEqual([crash.statusCode, crash.json().error], [500, 'Internal Server Error'], 'Fastify\'s default error body')
    // the plugin's own errors keep the configured format: authentication, validation of its routes, err()
    const denied = await app.inject('/auth')
    assert.equal(denied.statusCode, 401)
    assert.deepEqual(denied.json(), { error: 'missing authentication' })
    const invalid = await app.inject({ method: 'POST', url: '/stuff', payload: { price: 'x' } })
    assert.equal(invalid.statusCode, 400)
    assert.deepEqual(invalid.json(), { error: 'parameter "price" (body): must be number' })
    assert.deepEqual((await app.inject('/teapot')).json(), { error: 'I am a teapot' })
    await app.close()
  }
})

test('an app\'s own setErrorHandler after registration answers every error but the plugin\'s, and can delegate to fsa.handleError', async () => {
  const app = Fastify({ logger: false })
  await app.register(secure, { auth: ['basic', 'none'], getUserPass: () => null, errorResponse: 'json:error' })
  app.get('/before', { config: { authorize: 'OPEN' } }, async () => { throw new Error('boom') })
  const seen: string[] = []
  app.setErrorHandler((error: Error, request, reply) => {
    seen.push(error.message)
    if (request.url === '/crash') return reply.code(503).send({ custom: true })
    return app.fsa.handleError(error, request, reply)
  })
  app.get('/crash', { config: { authorize: 'OPEN' } }, async () => { throw new Error('crash') })
  app.get('/teapot', { config: { authorize: 'OPEN' } }, async () => err('I am a teapot', 418))
  const crash = await app.inject('/crash')
  assert.equal(crash.statusCode, 503)
  assert.deepEqual(crash.json(), { custom: true })
  // err() is the plugin's: its route error handler sends it before the app's sees anything
  const teapot = await app.inject('/teapot')
  assert.equal(teapot.statusCode, 418)
  assert.deepEqual(teapot.json(), { error: 'I am a teapot' })
  // Fastify resolves the scope's error handler when the app is ready: earlier routes use it too
  const before = await app.inject('/before')
  assert.equal(before.statusCode, 500)
  assert.deepEqual(before.json(), { error: 'internal error' })
  assert.deepEqual(seen, ['crash', 'boom'])
  await app.close()
})

test('fsa.sendError sends any status in the configured format', async () => {
  const app = await build({ errorResponse: 'json:why' })
  app.get('/custom', { config: { authorize: 'OPEN' } }, async (_req, reply) => app.fsa.sendError(reply, 429, 'slow down', { 'Retry-After': '1' }))
  const res = await app.inject('/custom')
  assert.equal(res.statusCode, 429)
  assert.deepEqual(res.json(), { why: 'slow down' })
  assert.equal(res.headers['retry-after'], '1')
  await app.close()
})
