// Which schemes are enabled (FlaskSimpleAuth's expansion rules), which a route tries
// (authDefault, config.auth), its realm (config.realm), and the challenges of its 401.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { expandAuth, expandList } from '../lib/schemes/expand.js'
import { buildApp } from './helpers/app.js'
import { basic, buildAuthApp, FAST_PASSWORD, fixtureUsers, SECRET } from './helpers/auth-app.js'

test('the scalar "password" expands to token, none, basic, param', async (t) => {
  const app = await buildAuthApp(t, { auth: 'password' })
  await app.ready()
  assert.deepEqual(app.fsa.schemes, ['token', 'none', 'basic', 'param'])
})

test('the default auth is "password"', async (t) => {
  const app = await buildAuthApp(t, {})
  await app.ready()
  assert.deepEqual(app.fsa.schemes, ['token', 'none', 'basic', 'param'])
})

test('another scalar such as "basic" expands to token, basic, none', async (t) => {
  const app = await buildAuthApp(t, { auth: 'basic' })
  await app.ready()
  assert.deepEqual(app.fsa.schemes, ['token', 'basic', 'none'])
})

test('token, oauth and none stay alone as scalars', () => {
  assert.deepEqual(expandAuth('token'), ['token'])
  assert.deepEqual(expandAuth('oauth'), ['oauth'])
  assert.deepEqual(expandAuth('none'), ['none'])
})

test('a list is taken as given, with password becoming basic then param and duplicates dropped', async (t) => {
  const app = await buildAuthApp(t, { auth: ['param', 'password', 'none', 'basic'] })
  await app.ready()
  assert.deepEqual(app.fsa.schemes, ['param', 'basic', 'none'])
  assert.deepEqual(expandList('password'), ['basic', 'param'])
})

test('a list without token disables tokens: a bearer token is not a credential there', async (t) => {
  const app = await buildAuthApp(t, { auth: ['basic', 'none'] })
  const token = await app.createToken('calvin')
  const res = await app.inject({ url: '/auth', headers: { authorization: `Bearer ${token}` } })
  assert.equal(res.statusCode, 401)
  assert.equal(res.body, 'missing authentication')
  assert.equal(res.headers['www-authenticate'], 'Basic realm="fastify", charset="UTF-8"')
})

test('authDefault limits the schemes of routes that do not set config.auth', async (t) => {
  const app = await buildAuthApp(t, { auth: ['token', 'basic', 'none'], authDefault: 'token' })
  app.get('/basic-too', { config: { authorize: 'AUTH', auth: ['basic', 'token'] } }, async (req) => req.user)
  const byBasic = await app.inject({ url: '/auth', headers: { authorization: basic('calvin', 'hobbes') } })
  assert.equal(byBasic.statusCode, 401)
  assert.equal(byBasic.headers['www-authenticate'], 'Bearer realm="fastify"')
  const token = await app.createToken('calvin')
  assert.equal((await app.inject({ url: '/auth', headers: { authorization: `Bearer ${token}` } })).statusCode, 200)
  const other = await app.inject({ url: '/basic-too', headers: { authorization: basic('calvin', 'hobbes') } })
  assert.equal(other.statusCode, 200)
  assert.equal(other.body, 'calvin')
})

test('config.auth naming a scheme that is not enabled fails when the route is declared, naming it', async (t) => {
  const app = await buildAuthApp(t, { auth: ['basic', 'none'] })
  assert.throws(() => app.get('/t', { config: { authorize: 'AUTH', auth: 'token' } }, async () => 'no'),
    { code: 'FSA_ERR_ROUTE_AUTH', message: /GET \/t: scheme "token" is not enabled \(enabled: basic, none\)/ })
})

test('config.auth restricts a route to the schemes it lists', async (t) => {
  const app = await buildAuthApp(t, { auth: 'password' })
  app.get('/param-only', { config: { authorize: 'AUTH', auth: 'param' } }, async (req) => req.user)
  const byBasic = await app.inject({ url: '/param-only', headers: { authorization: basic('calvin', 'hobbes') } })
  assert.equal(byBasic.statusCode, 401)
  assert.equal(byBasic.headers['www-authenticate'], undefined, 'a param-only route has no challenge')
  const byParam = await app.inject({ url: '/param-only?USER=calvin&PASS=hobbes' })
  assert.equal(byParam.statusCode, 200)
  assert.equal(byParam.body, 'calvin')
})

test('a 401 carries one challenge per scheme of the route, Basic and Bearer with their realm', async (t) => {
  const app = await buildAuthApp(t, { auth: 'password', realm: 'acme' })
  const res = await app.inject('/auth')
  assert.equal(res.statusCode, 401)
  assert.equal(res.headers['www-authenticate'], 'Basic realm="acme", charset="UTF-8", Bearer realm="acme"')
})

test('a realm with quotes is escaped in the challenge', async (t) => {
  const app = await buildAuthApp(t, { auth: ['basic'], realm: 'the "acme" \\ corp' })
  const res = await app.inject('/auth')
  assert.equal(res.headers['www-authenticate'], 'Basic realm="the \\"acme\\" \\\\ corp", charset="UTF-8"')
})

test('config.realm gives a route its own token space and its own basic challenge', async (t) => {
  const app = await buildAuthApp(t, { auth: 'password', realm: 'acme' })
  app.get('/mfa', { config: { authorize: 'AUTH', realm: 'mfa', auth: ['token', 'basic'] } }, async (req) => req.user)
  const mfaToken = await app.createToken('calvin', { realm: 'mfa' })
  const appToken = await app.createToken('calvin')

  const ok = await app.inject({ url: '/mfa', headers: { authorization: `Bearer ${mfaToken}` } })
  assert.equal(ok.statusCode, 200)
  assert.equal(ok.body, 'calvin')

  const wrongRoute = await app.inject({ url: '/auth', headers: { authorization: `Bearer ${mfaToken}` } })
  assert.equal(wrongRoute.statusCode, 401)
  assert.match(wrongRoute.body, /unexpected fsa token realm/)

  const wrongToken = await app.inject({ url: '/mfa', headers: { authorization: `Bearer ${appToken}` } })
  assert.equal(wrongToken.statusCode, 401)

  const challenge = await app.inject('/mfa')
  assert.equal(challenge.headers['www-authenticate'], 'Basic realm="mfa", charset="UTF-8", Bearer realm="mfa"')
})

test('a bad config.realm or config.auth fails when the route is declared', async (t) => {
  const app = await buildAuthApp(t, {})
  assert.throws(() => app.get('/r', { config: { authorize: 'AUTH', realm: '' } }, async () => 'no'),
    { code: 'FSA_ERR_ROUTE_AUTH', message: /GET \/r: config\.realm must be a non-empty string/ })
  assert.throws(() => app.get('/s', { config: { authorize: 'AUTH', auth: 3 as unknown as string } }, async () => 'no'),
    { code: 'FSA_ERR_ROUTE_AUTH', message: /config\.auth must be a scheme name/ })
})

test('schemes are tried in order and the first that authenticates wins', async (t) => {
  const { getUserPass } = await fixtureUsers()
  const app = await buildApp(t, { auth: ['basic', 'token', 'none'], getUserPass, password: FAST_PASSWORD, token: { secret: SECRET, carrier: 'header', name: 'X-Token' } }, (app) => {
    app.get('/who', { config: { authorize: 'AUTH' } }, async (req) => `${req.user} ${req.authScheme}`)
  })
  const token = await app.createToken('hobbes')
  const res = await app.inject({ url: '/who', headers: { authorization: basic('calvin', 'hobbes'), 'x-token': token } })
  assert.equal(res.body, 'calvin basic')
  const onlyToken = await app.inject({ url: '/who', headers: { 'x-token': token } })
  assert.equal(onlyToken.body, 'hobbes token')
})
