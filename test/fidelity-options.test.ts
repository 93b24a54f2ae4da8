/**
 * FlaskSimpleAuth directives with an option or API of their own here: `serverError`
 * (FSA_SERVER_ERROR), `notFoundError` (FSA_NOT_FOUND_ERROR) and `request.createToken()`
 * (create_token() inside a route, in the route's realm).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildApp } from './helpers/app.js'
import { perm } from '../lib/index.js'

const SECRET = 'fidelity-tests-secret-0123456789-abcdefgh'
const basic = (login: string, pass: string): string => 'Basic ' + Buffer.from(`${login}:${pass}`).toString('base64')

async function build (t: Parameters<typeof buildApp>[0], extra: Record<string, unknown> = {}) {
  const hash = await (await buildApp(t, { auth: ['basic'], getUserPass: () => null })).hashPassword('hobbes-secret-1')
  return await buildApp(t, {
    auth: ['token', 'basic', 'none'],
    realm: 'acme',
    token: { secret: SECRET },
    getUserPass: (login: string) => login === 'calvin' ? hash : null,
    objectPerms: { stuff: (_login: string, sid: string) => sid === '1' ? true : null },
    groups: ['boom'],
    userInGroup: () => { throw new Error('the group database is down') },
    ...extra
  }, (app) => {
    app.get('/stuff/:sid', { config: { authorize: perm('stuff', 'sid') } }, async () => 'stuff')
    app.get('/boom', { config: { authorize: 'boom' } }, async () => 'never')
    app.get('/login', { config: { authorize: 'AUTH', auth: 'basic' } }, async (req) => await req.createToken())
    app.get('/mfa/start', { config: { authorize: 'AUTH', auth: 'basic' } }, async (req) => await req.createToken({ realm: 'mfa', delay: 1 }))
    app.get('/mfa/renew', { config: { authorize: 'AUTH', auth: 'token', realm: 'mfa' } }, async (req) => await req.createToken())
    app.get('/mfa/check', { config: { authorize: 'AUTH', auth: 'token', realm: 'mfa' } }, async (req) => req.authUser)
    app.get('/me', { config: { authorize: 'AUTH', auth: 'token' } }, async (req) => req.authUser)
    app.get('/anon', { config: { authorize: 'OPEN', auth: ['token', 'none'] } }, async (req) => await req.createToken())
    app.get('/for-hobbes', { config: { authorize: 'OPEN', auth: ['token', 'none'] } }, async (req) => await req.createToken({ login: 'hobbes' }))
  })
}

test('notFoundError: the status of an object a permission callback does not find', async (t) => {
  const byDefault = await build(t)
  const calvin = { authorization: basic('calvin', 'hobbes-secret-1') }
  assert.equal((await byDefault.inject({ url: '/stuff/2', headers: calvin })).statusCode, 404)
  const hidden = await build(t, { notFoundError: 403 })
  assert.equal((await hidden.inject({ url: '/stuff/1', headers: calvin })).statusCode, 200)
  const r = await hidden.inject({ url: '/stuff/2', headers: calvin })
  assert.equal(r.statusCode, 403)
  assert.match(r.body, /object not found/)
  // Fastify's own 404 is not an object permission
  assert.equal((await hidden.inject('/nowhere')).statusCode, 404)
  await assert.rejects(build(t, { notFoundError: 200 }), /notFoundError/)
})

test('serverError: the status of the internal errors the plugin sends', async (t) => {
  const calvin = { authorization: basic('calvin', 'hobbes-secret-1') }
  const byDefault = await build(t)
  assert.deepEqual([(await byDefault.inject({ url: '/boom', headers: calvin })).statusCode], [500])
  const app = await build(t, { serverError: 503 })
  const r = await app.inject({ url: '/boom', headers: calvin })
  assert.equal(r.statusCode, 503)
  assert.equal(r.body, 'internal error in userInGroup for "boom"')
  await assert.rejects(build(t, { serverError: 400 }), /serverError/)
})

test('request.createToken() makes a token for the caller in the route\'s realm', async (t) => {
  const app = await build(t)
  const calvin = { authorization: basic('calvin', 'hobbes-secret-1') }
  const token = (await app.inject({ url: '/login', headers: calvin })).body
  assert.match(token, /^acme:calvin:/)
  assert.equal((await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })).body, 'calvin')
  assert.equal((await app.inject({ url: '/mfa/check', headers: { authorization: `Bearer ${token}` } })).statusCode, 401)
  // stage 1 gives an mfa token; inside an mfa route, the default realm is mfa
  const mfa = (await app.inject({ url: '/mfa/start', headers: calvin })).body
  assert.match(mfa, /^mfa:calvin:/)
  const renewed = await app.inject({ url: '/mfa/renew', headers: { authorization: `Bearer ${mfa}` } })
  assert.equal(renewed.statusCode, 200)
  assert.match(renewed.body, /^mfa:calvin:/)
  assert.equal((await app.inject({ url: '/mfa/check', headers: { authorization: `Bearer ${renewed.body}` } })).body, 'calvin')
  assert.equal((await app.inject({ url: '/me', headers: { authorization: `Bearer ${renewed.body}` } })).statusCode, 401)
  // nobody authenticated: 401, unless a login is given
  assert.equal((await app.inject('/anon')).statusCode, 401)
  assert.match((await app.inject('/for-hobbes')).body, /^acme:hobbes:/)
})
