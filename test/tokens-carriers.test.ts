import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyCookie from '@fastify/cookie'
import fastifyFormbody from '@fastify/formbody'
import { clearTokenCookie, extractToken, isLoopback, needsRenewal, setTokenCookie } from '../lib/tokens/carriers.js'
import { createTokenManager, type TokenManager } from '../lib/tokens/manager.js'
import { resolveTokenOptions, type TokenOptions } from '../lib/tokens/options.js'

const SECRET = 'carrier-test-secret-0123456789-abcdefgh'

/**
 * A real app: `/who` extracts and verifies the token like the token scheme does, in onRequest
 * (or preValidation for the param carrier), `/login` sets the cookie, `/logout` clears it.
 */
async function build (opts: TokenOptions): Promise<{ app: FastifyInstance, tokens: TokenManager }> {
  const app = Fastify()
  await app.register(fastifyCookie)
  await app.register(fastifyFormbody)
  const tokens = await createTokenManager(app, resolveTokenOptions({ secret: SECRET, ...opts }, 'acme'))
  const hook = tokens.options.carrier === 'param' ? 'preValidation' : 'onRequest'
  app.addHook(hook, async (request, reply) => {
    if (!request.url.startsWith('/who')) return
    const token = extractToken(request, tokens.options)
    if (token === null) return reply.code(401).send({ error: 'missing' })
    const info = tokens.verify(token, 'acme')
    reply.header('x-login', info.login)
  })
  app.all('/who', async (_request, reply) => reply.getHeader('x-login'))
  app.post('/login', async (request, reply) => {
    setTokenCookie(reply, tokens.create((request.body as { login: string }).login), tokens.options, request)
    return 'ok'
  })
  app.post('/logout', async (_request, reply) => { clearTokenCookie(reply, tokens.options); return 'bye' })
  return { app, tokens }
}

test('the header carrier reads the configured header, any case', async () => {
  const { app, tokens } = await build({ carrier: 'header', name: 'X-Auth-Token' })
  const token = tokens.create('calvin')
  const res = await app.inject({ url: '/who', headers: { 'x-auth-token': token } })
  assert.equal(res.statusCode, 200)
  assert.equal(res.body, 'calvin')
  const upper = await app.inject({ url: '/who', headers: { 'X-AUTH-TOKEN': token } })
  assert.equal(upper.body, 'calvin')
  const none = await app.inject({ url: '/who', headers: { authorization: `Bearer ${token}` } })
  assert.equal(none.statusCode, 401)
  assert.deepEqual(none.json(), { error: 'missing' })
})

test('a bad token in the header carrier is a 401 that does not echo it', async () => {
  const { app, tokens } = await build({ carrier: 'header' })
  const bad = tokens.create('calvin').slice(0, -1) + 'x'
  const res = await app.inject({ url: '/who', headers: { auth: bad } })
  assert.equal(res.statusCode, 401)
  assert.equal(res.json().code, 'FSA_ERR_TOKEN_SIGNATURE')
  assert.ok(!res.body.includes(bad))
})

test('the cookie carrier reads the named cookie', async () => {
  const { app, tokens } = await build({ carrier: 'cookie' })
  const res = await app.inject({ url: '/who', cookies: { auth: tokens.create('calvin') } })
  assert.equal(res.body, 'calvin')
  const other = await app.inject({ url: '/who', cookies: { session: tokens.create('calvin') } })
  assert.equal(other.statusCode, 401)
})

test('the param carrier reads the query string, then form and JSON bodies', async () => {
  const { app, tokens } = await build({ carrier: 'param' })
  const token = tokens.create('calvin')
  const query = await app.inject({ url: '/who', query: { AUTH: token } })
  assert.equal(query.body, 'calvin')
  const form = await app.inject({ method: 'POST', url: '/who', payload: `AUTH=${encodeURIComponent(token)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  assert.equal(form.body, 'calvin')
  const json = await app.inject({ method: 'POST', url: '/who', payload: { AUTH: token } })
  assert.equal(json.body, 'calvin')
  const absent = await app.inject({ method: 'POST', url: '/who', payload: { auth: token } })
  assert.equal(absent.statusCode, 401)
  assert.deepEqual(absent.json(), { error: 'missing' })
  const text = await app.inject({ method: 'POST', url: '/who', payload: 'AUTH', headers: { 'content-type': 'text/plain' } })
  assert.equal(text.statusCode, 401)
})

test('a repeated token parameter is refused with a 401 rather than guessed', async () => {
  const { app, tokens } = await build({ carrier: 'param' })
  const token = tokens.create('calvin')
  const res = await app.inject({ url: `/who?AUTH=${encodeURIComponent(token)}&AUTH=${encodeURIComponent(token)}` })
  assert.equal(res.statusCode, 401)
  assert.equal(res.json().code, 'FSA_ERR_TOKEN_MALFORMED')
})

test('the auth cookie is HttpOnly, SameSite=Lax, Path=/, with Max-Age = delay, not Secure on loopback', async () => {
  const { app, tokens } = await build({ carrier: 'cookie', delay: 10 })
  const res = await app.inject({ method: 'POST', url: '/login', payload: { login: 'calvin' }, remoteAddress: '127.0.0.1' })
  assert.equal(res.statusCode, 200)
  const header = String(res.headers['set-cookie'])
  assert.match(header, /^auth=[^;]+; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax$/)
  const cookie = res.cookies[0]
  assert.ok(cookie !== undefined)
  assert.equal(tokens.verify(cookie.value, 'acme').login, 'calvin')
  const who = await app.inject({ url: '/who', cookies: { auth: cookie.value } })
  assert.equal(who.body, 'calvin')
})

test('the auth cookie is Secure when the request does not come from loopback', async () => {
  const { app } = await build({ carrier: 'cookie' })
  const res = await app.inject({ method: 'POST', url: '/login', payload: { login: 'calvin' }, remoteAddress: '203.0.113.9' })
  assert.match(String(res.headers['set-cookie']), /; Max-Age=3600; Path=\/; HttpOnly; Secure; SameSite=Lax$/)
})

test('cookie attributes follow the options', async () => {
  const { app } = await build({ carrier: 'cookie', name: 'sid', cookie: { path: '/api', sameSite: 'strict', secure: true, domain: 'example.org' } })
  const res = await app.inject({ method: 'POST', url: '/login', payload: { login: 'calvin' }, remoteAddress: '127.0.0.1' })
  assert.match(String(res.headers['set-cookie']), /^sid=[^;]+; Max-Age=3600; Domain=example\.org; Path=\/api; HttpOnly; Secure; SameSite=Strict$/)
  const { app: plain } = await build({ carrier: 'cookie', cookie: { secure: false } })
  const far = await plain.inject({ method: 'POST', url: '/login', payload: { login: 'calvin' }, remoteAddress: '203.0.113.9' })
  assert.ok(!String(far.headers['set-cookie']).includes('Secure'))
})

test('logout clears the cookie with the same path', async () => {
  const { app } = await build({ carrier: 'cookie', cookie: { path: '/api' } })
  const res = await app.inject({ method: 'POST', url: '/logout' })
  const header = String(res.headers['set-cookie'])
  assert.match(header, /^auth=; Max-Age=0; Path=\/api; .*HttpOnly; Secure; SameSite=Lax$/)
  assert.match(header, /Expires=Thu, 01 Jan 1970/)
})

test('loopback addresses are recognised', () => {
  assert.deepEqual(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '10.0.0.1', '::ffff:10.0.0.1', '1270::1'].map(isLoopback),
    [true, true, true, true, false, false, false])
})

test('renewal happens only when less than renewal × delay is left', async () => {
  const never = resolveTokenOptions({ secret: SECRET, carrier: 'cookie' }, 'acme')
  const half = resolveTokenOptions({ secret: SECRET, carrier: 'cookie', renewal: 0.5, delay: 60, grace: 2 }, 'acme')
  const now = Date.UTC(2030, 0, 1)
  const info = (minutesLeft: number) => ({ login: 'calvin', realm: 'acme', expires: now + minutesLeft * 60_000 + half.graceMs })
  assert.equal(needsRenewal(info(1), never, now), false)
  assert.equal(needsRenewal(info(31), half, now), false)
  assert.equal(needsRenewal(info(30), half, now), false)
  assert.equal(needsRenewal(info(29), half, now), true)
  assert.equal(needsRenewal({ login: 'calvin', realm: 'acme', expires: Date.now() + 10 * 60_000 }, half), true)
})
