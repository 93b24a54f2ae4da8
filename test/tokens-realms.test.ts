/**
 * Realm collisions (issue 11, part 6): fsa tokens carry their realm simplified, so `admin area`
 * and `admin-area` are one token realm and a token of one would be accepted on the other. Two
 * realms of a registration that simplify to the same token realm are a start-up error.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance } from 'fastify'
import secure, { type SecureOptions } from '../lib/index.js'

const SECRET = 'realm-tests-secret-0123456789-abcdefghijkl'

/** Start an app whose routes use `realms`; the start-up error, or the app. */
async function startWith (t: { after: (fn: () => unknown) => void }, options: SecureOptions, realms: string[]): Promise<FastifyInstance | Error & { code?: string }> {
  const app = Fastify()
  t.after(() => app.close())
  try {
    await app.register(secure, { auth: ['token'], getUserPass: () => null, ...options })
    realms.forEach((realm, i) => app.get(`/r${i}`, { config: { authorize: 'AUTH', realm } }, async (req) => req.authUser))
    await app.ready()
    return app
  } catch (e) { return e as Error }
}

test('a route realm that is the application realm as an fsa token realm is a start-up error', async (t) => {
  const got = await startWith(t, { realm: 'admin area', token: { secret: SECRET } }, ['admin-area'])
  assert.ok(got instanceof Error, 'refused')
  assert.equal(got.code, 'FSA_ERR_ROUTE_REALM')
  assert.match(got.message, /GET \/r0: realms "admin-area" and "admin area" are the same fsa token realm "admin-area"/)
})

test('two route realms that simplify alike are a start-up error', async (t) => {
  const got = await startWith(t, { realm: 'acme', token: { secret: SECRET } }, ['back office', 'back office', 'back_office!'])
  assert.ok(got instanceof Error)
  assert.equal(got.code, 'FSA_ERR_ROUTE_REALM')
  assert.match(got.message, /GET \/r2/)
})

test('distinct token realms start, and a token of one realm is refused on the other', async (t) => {
  const app = await startWith(t, { realm: 'admin area', token: { secret: SECRET } }, ['admin', 'admin area'])
  assert.ok(!(app instanceof Error), String(app))
  const token = await app.createToken('calvin')
  assert.equal((await app.inject({ url: '/r1', headers: { authorization: `Bearer ${token}` } })).statusCode, 200)
  assert.equal((await app.inject({ url: '/r0', headers: { authorization: `Bearer ${token}` } })).statusCode, 401)
})

test('JWTs carry the realm as written: no collision to refuse', async (t) => {
  const app = await startWith(t, { realm: 'admin area', token: { type: 'jwt', secret: SECRET } }, ['admin-area'])
  assert.ok(!(app instanceof Error), String(app))
})
