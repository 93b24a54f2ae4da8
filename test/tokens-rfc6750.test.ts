// RFC 6750 §2.1 (Authorization request header field), with RFC 7235 §2.1 for the scheme word.
//   credentials = "Bearer" 1*SP b64token
// Deliberate choices, tested below: the scheme word is case-insensitive (FlaskSimpleAuth was not);
// credentials that are present but unusable are handed to verification so that they fail with a
// 401 (RFC 6750 §3.1 would answer 400 invalid_request), and another scheme means "not mine".
import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import { bearerToken, extractToken } from '../lib/tokens/carriers.js'
import { createTokenManager } from '../lib/tokens/manager.js'
import { resolveTokenOptions, type TokenOptions } from '../lib/tokens/options.js'

const SECRET = 'rfc6750-test-secret-0123456789-abcdefg'

async function build (opts: TokenOptions = {}) {
  const app = Fastify()
  const tokens = await createTokenManager(app, resolveTokenOptions({ secret: SECRET, ...opts }, 'acme'))
  app.get('/who', async (request, reply) => {
    const token = extractToken(request, tokens.options)
    if (token === null) return reply.code(401).header('www-authenticate', `${tokens.options.name} realm="acme"`).send({ error: 'missing' })
    return tokens.verify(token, 'acme').login
  })
  return { app, tokens }
}

test('RFC 6750 §2.1: Authorization: Bearer <token> authenticates', async () => {
  const { app, tokens } = await build()
  const res = await app.inject({ url: '/who', headers: { authorization: `Bearer ${tokens.create('calvin')}` } })
  assert.equal(res.statusCode, 200)
  assert.equal(res.body, 'calvin')
})

test('RFC 7235 §2.1: the scheme word is case-insensitive', async () => {
  const { app, tokens } = await build()
  for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
    const res = await app.inject({ url: '/who', headers: { authorization: `${scheme} ${tokens.create('calvin')}` } })
    assert.equal(res.statusCode, 200, scheme)
    assert.equal(res.body, 'calvin')
  }
})

test('RFC 6750 §2.1: JWT tokens are b64token and travel unchanged', async () => {
  const { app, tokens } = await build({ type: 'jwt' })
  const token = tokens.create('calvin')
  assert.match(token, /^[A-Za-z0-9\-._~+/]+=*$/)
  const res = await app.inject({ url: '/who', headers: { authorization: `Bearer ${token}` } })
  assert.equal(res.body, 'calvin')
})

test('RFC 6750 §2.1: one or more spaces separate the scheme from the token', () => {
  assert.equal(bearerToken('Bearer abc', 'bearer'), 'abc')
  assert.equal(bearerToken('Bearer    abc', 'bearer'), 'abc')
})

test('RFC 7235: another scheme is not a bearer token', async () => {
  const { app } = await build()
  for (const authorization of ['Basic Y2FsdmluOmhvYmJlcw==', 'Bearerabc', 'Bear abc', 'Token abc', '']) {
    const res = await app.inject({ url: '/who', headers: { authorization } })
    assert.equal(res.statusCode, 401, authorization)
    assert.deepEqual(res.json(), { error: 'missing' })
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="acme"')
  }
  const none = await app.inject({ url: '/who' })
  assert.equal(none.statusCode, 401)
})

test('RFC 6750 §3.1: an empty or multi-part credential is a 401 malformed token, not a fall-through', async () => {
  const { app, tokens } = await build()
  const token = tokens.create('calvin')
  for (const authorization of ['Bearer', 'Bearer ', `Bearer ${token} ${token}`, `Bearer ${token},x`]) {
    const res = await app.inject({ url: '/who', headers: { authorization } })
    assert.equal(res.statusCode, 401, authorization)
    assert.ok(['FSA_ERR_TOKEN_MALFORMED', 'FSA_ERR_TOKEN_SIGNATURE'].includes(res.json().code), authorization)
    assert.ok(!res.body.includes(token))
  }
})

test('RFC 6750 §3.1: an invalid token is a 401 that does not echo it', async () => {
  const { app } = await build()
  const token = 'acme:calvin:20991231235959:00000000000000000000000000000000'
  const res = await app.inject({ url: '/who', headers: { authorization: `Bearer ${token}` } })
  assert.equal(res.statusCode, 401)
  assert.equal(res.json().code, 'FSA_ERR_TOKEN_SIGNATURE')
  assert.ok(!res.body.includes(token))
})

test('a custom scheme word replaces Bearer, also case-insensitively', async () => {
  const { app, tokens } = await build({ name: 'Token' })
  const token = tokens.create('calvin')
  assert.equal((await app.inject({ url: '/who', headers: { authorization: `token ${token}` } })).body, 'calvin')
  assert.equal((await app.inject({ url: '/who', headers: { authorization: `Bearer ${token}` } })).statusCode, 401)
})
