// The plugin beside @fastify/jwt and @fastify/auth, in either order: the application starts, its
// JWT routes see @fastify/jwt's `request.user`, the plugin's routes give the login in
// `request.authUser` (and `requireUser`), and `request.user` stays @fastify/jwt's wherever it
// decorated it. (Both type-check together: test/types-fixtures.test.ts.)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import fastifyJwt from '@fastify/jwt'
import fastifyAuth from '@fastify/auth'
import secure, { requireUser } from '../lib/index.js'
import { basic, fixtureUsers, FAST_PASSWORD, SECRET } from './helpers/auth-app.js'

const JWT_SECRET = 'application-jwt-secret-0123456789-abcdef'

async function build (order: 'jwt first' | 'plugin first'): Promise<FastifyInstance> {
  const app = Fastify({ logger: false })
  const { getUserPass } = await fixtureUsers()
  const jwt = async (): Promise<void> => { await app.register(fastifyJwt, { secret: JWT_SECRET }) }
  if (order === 'jwt first') await jwt()
  await app.register(secure, { auth: ['token', 'basic', 'none'], getUserPass, password: FAST_PASSWORD, token: { secret: SECRET }, errorResponse: 'json:error' })
  if (order === 'plugin first') await jwt()
  await app.register(fastifyAuth)
  const verifyJwt = async (request: FastifyRequest): Promise<void> => { await request.jwtVerify() }
  // the application's own JWT route: not the plugin's business (OPEN), guarded by @fastify/auth
  app.get('/jwt', { config: { authorize: 'OPEN' }, preHandler: app.auth([verifyJwt]) }, async (request) => ({ payload: request.user }))
  // the plugin's route: the login in authUser, request.user left to @fastify/jwt (null here)
  app.get('/fsa', { config: { authorize: 'AUTH' } }, async (request) => ({ login: requireUser(request), authUser: request.authUser, user: request.user }))
  app.get('/open', { config: { authorize: 'OPEN' } }, async (_request: FastifyRequest, reply: FastifyReply) => reply.send({ ok: true }))
  return app
}

for (const order of ['jwt first', 'plugin first'] as const) {
  test(`@fastify/jwt and @fastify/auth registered beside the plugin (${order}): both kinds of route work`, async () => {
    const app = await build(order)
    await app.ready()
    const token = app.jwt.sign({ sub: 'hobbes', role: 'tiger' })
    const jwt = await app.inject({ url: '/jwt', headers: { authorization: `Bearer ${token}` } })
    assert.equal(jwt.statusCode, 200, jwt.body)
    assert.equal(jwt.json().payload.sub, 'hobbes')
    assert.equal(jwt.json().payload.role, 'tiger')
    assert.equal((await app.inject('/jwt')).statusCode, 401, '@fastify/auth refuses a request without a JWT')
    const fsa = await app.inject({ url: '/fsa', headers: { authorization: basic('calvin', 'hobbes') } })
    assert.equal(fsa.statusCode, 200, fsa.body)
    assert.deepEqual(fsa.json(), { login: 'calvin', authUser: 'calvin', user: null })
    const ours = await app.createToken('calvin')
    assert.equal((await app.inject({ url: '/fsa', headers: { authorization: `Bearer ${ours}` } })).json().login, 'calvin')
    // each refuses the other's token
    assert.equal((await app.inject({ url: '/fsa', headers: { authorization: `Bearer ${token}` } })).statusCode, 401)
    assert.equal((await app.inject({ url: '/jwt', headers: { authorization: `Bearer ${ours}` } })).statusCode, 401)
    await app.close()
  })
}

test('request.user is the login where nothing else decorated it, and @fastify/jwt\'s in the scope that registered it', async () => {
  const app = Fastify({ logger: false })
  const { getUserPass } = await fixtureUsers()
  await app.register(secure, { auth: ['basic', 'none'], getUserPass, password: FAST_PASSWORD })
  const who = async (request: FastifyRequest) => ({ authUser: request.authUser, user: request.user ?? 'absent' })
  app.get('/plain', { config: { authorize: 'AUTH' } }, who)
  app.get('/open', { config: { authorize: 'OPEN' } }, who)
  await app.register(async (scope) => {
    await scope.register(fastifyJwt, { secret: JWT_SECRET })
    scope.get('/scoped', { config: { authorize: 'AUTH' } }, who)
  })
  const auth = { authorization: basic('calvin', 'hobbes') }
  assert.deepEqual((await app.inject({ url: '/plain', headers: auth })).json(), { authUser: 'calvin', user: 'calvin' })
  assert.deepEqual((await app.inject({ url: '/scoped', headers: auth })).json(), { authUser: 'calvin', user: 'absent' }, '@fastify/jwt\'s null')
  // OPEN routes authenticate nobody: authUser is null, request.user is not set
  assert.deepEqual((await app.inject({ url: '/open', headers: auth })).json(), { authUser: null, user: 'absent' })
  await app.close()
})

test('requireUser refuses a request that was not authenticated with the catalogue 401', async () => {
  const app = Fastify({ logger: false })
  await app.register(secure, { auth: ['none'], errorResponse: 'json:error' })
  app.get('/open', { config: { authorize: 'OPEN' } }, async (request) => ({ login: requireUser(request) }))
  const r = await app.inject('/open')
  assert.deepEqual([r.statusCode, r.json()], [401, { error: 'missing authentication' }])
  assert.throws(() => requireUser({ authUser: null }), { code: 'FSA_ERR_AUTH_MISSING', statusCode: 401 })
  assert.equal(requireUser({ authUser: 'calvin' }), 'calvin')
  await app.close()
})
