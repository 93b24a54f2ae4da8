/**
 * `auth: 'oauth'` routes: `config.authorize` names JWT scopes, granted by the token's `scope`
 * claim (RFC 8693 §4.2, space-separated). A missing scope is a 403 that names it.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { perm, type SecureOptions } from '../lib/index.js'
import { buildApp, type TestApp } from './helpers/app.js'

const SECRET = 'oauth-tests-secret-0123456789-abcdefghijklmnop'

async function build (t: TestContext, extra: Partial<SecureOptions> = {}): Promise<TestApp> {
  return await buildApp(t, {
    auth: ['token', 'oauth', 'none'],
    authDefault: ['token', 'none'],
    token: { type: 'jwt', secret: SECRET, issuer: 'acme' },
    groupCheck: { read: () => false },
    objectPerms: { doc: (login, id) => id === 'mine' ? true : id === 'theirs' ? false : null },
    errorResponse: 'json:error',
    ...extra
  })
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

test('an oauth route grants access when the token carries every listed scope', async (t) => {
  const app = await build(t)
  app.get('/read', { config: { auth: 'oauth', authorize: 'read' } }, async (req) => ({ user: req.user, scopes: req.authToken?.scopes }))
  app.get('/rw', { config: { auth: 'oauth', authorize: ['read', 'write'] } }, async (req) => req.user)
  const reader = await app.createToken('calvin', { scope: ['read'] })
  const writer = await app.createToken('hobbes', { scope: ['read', 'write', 'admin'] })
  assert.deepEqual((await app.inject({ url: '/read', headers: bearer(reader) })).json(), { user: 'calvin', scopes: ['read'] })
  assert.equal((await app.inject({ url: '/rw', headers: bearer(writer) })).body, 'hobbes')
  const missing = await app.inject({ url: '/rw', headers: bearer(reader) })
  assert.equal(missing.statusCode, 403)
  assert.deepEqual(missing.json(), { error: 'missing scope "write"' })
})

test('a token without a scope claim is refused on a route that needs a scope', async (t) => {
  const app = await build(t)
  app.get('/read', { config: { auth: 'oauth', authorize: 'read' } }, async () => 'x')
  app.get('/any', { config: { auth: 'oauth', authorize: 'AUTH' } }, async (req) => req.user)
  const plain = await app.createToken('calvin')
  const res = await app.inject({ url: '/read', headers: bearer(plain) })
  assert.equal(res.statusCode, 403)
  assert.deepEqual(res.json(), { error: 'missing scope "read"' })
  assert.equal((await app.inject({ url: '/any', headers: bearer(plain) })).body, 'calvin')
  const anonymous = await app.inject('/read')
  assert.equal(anonymous.statusCode, 401)
  assert.equal(anonymous.headers['www-authenticate'], 'Bearer realm="fastify"')
})

test('on a token route the same names are groups, not scopes', async (t) => {
  const app = await build(t)
  app.get('/group', { config: { authorize: 'read' } }, async () => 'x')
  const reader = await app.createToken('calvin', { scope: ['read'] })
  const res = await app.inject({ url: '/group', headers: bearer(reader) })
  assert.equal(res.statusCode, 403)
  assert.deepEqual(res.json(), { error: 'not in group "read"' })
  const audit = app.fsa.routes().find((r) => r.url === '/group')
  assert.deepEqual([audit?.groups, audit?.scopes], [['read'], []])
})

test('scopes and object permissions combine on an oauth route', async (t) => {
  const app = await build(t)
  app.get('/doc/:id', { config: { auth: 'oauth', authorize: ['read', perm('doc', 'id', 'read')] } }, async () => 'doc')
  const reader = await app.createToken('calvin', { scope: ['read'] })
  assert.equal((await app.inject({ url: '/doc/mine', headers: bearer(reader) })).body, 'doc')
  assert.equal((await app.inject({ url: '/doc/theirs', headers: bearer(reader) })).statusCode, 403)
  assert.equal((await app.inject({ url: '/doc/none', headers: bearer(reader) })).statusCode, 404)
  const noScope = await app.createToken('calvin', { scope: ['write'] })
  assert.deepEqual((await app.inject({ url: '/doc/mine', headers: bearer(noScope) })).json(), { error: 'missing scope "read"' })
  const audit = app.fsa.routes().find((r) => r.url === '/doc/:id')
  assert.deepEqual(audit?.scopes, ['read'])
  assert.deepEqual(audit?.groups, [])
  assert.deepEqual(audit?.schemes, ['oauth'])
})

test('with the scopes option an unknown scope fails at start-up', async (t) => {
  const app = await build(t, { scopes: ['read', 'write'] })
  app.get('/ok', { config: { auth: 'oauth', authorize: ['read', 'write'] } }, async () => 'x')
  assert.throws(() => app.get('/bad', { config: { auth: 'oauth', authorize: 'delete' } }, async () => 'x'), {
    code: 'FSA_ERR_ROUTE_AUTHORIZE',
    message: 'GET /bad: unknown scope "delete" (declared: read, write)'
  })
})

test('oauth cannot be mixed with another scheme on a route', async (t) => {
  const app = await build(t)
  assert.throws(() => app.get('/mixed', { config: { auth: ['oauth', 'token'], authorize: 'read' } }, async () => 'x'), {
    code: 'FSA_ERR_ROUTE_AUTH',
    message: 'GET /mixed: oauth cannot be mixed with other schemes on a route'
  })
})

test('an application with oauth and none only treats undeclared routes as oauth routes', async (t) => {
  const app = await build(t, { auth: ['oauth', 'none'], authDefault: undefined })
  app.get('/open', { config: { authorize: 'OPEN' } }, async () => 'open')
  app.get('/read', { config: { authorize: 'read' } }, async (req) => req.user)
  const reader = await app.createToken('calvin', { scope: ['read'] })
  assert.equal((await app.inject('/open')).body, 'open')
  assert.equal((await app.inject({ url: '/read', headers: bearer(reader) })).body, 'calvin')
  const other = await app.createToken('calvin', { scope: ['write'] })
  assert.deepEqual((await app.inject({ url: '/read', headers: bearer(other) })).json(), { error: 'missing scope "read"' })
})

test('oauth needs JWT tokens', async (t) => {
  await assert.rejects(build(t, { token: { type: 'fsa', secret: SECRET } }), { code: 'FSA_ERR_OPT_INVALID' })
})
