// The acme demo replays every step of docs/tutorial.md, with fsa and with JWT tokens: each
// request of the tutorial, its status code and what the body says.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Tester } from '../lib/testing/index.js'
import { ACCOUNT_REQUESTS_PER_MINUTE, buildApp, type AcmeApp } from '../examples/acme/app.js'

const VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version
// #region test-setup
/** Cheap argon2 parameters: tests only, through buildApp's option (the demo keeps the defaults). */
const CHEAP = { memoryCost: 64, timeCost: 1, allowWeak: true }
const USERS = { acme: { password: 'Acme1' }, meca: { password: 'Mec0!' }, mace: { password: 'Mac1!' } }

/** A fresh acme app on a private in-memory database, and a Tester that knows the users. */
async function acme (tokenType: 'fsa' | 'jwt'): Promise<{ app: AcmeApp, t: Tester }> {
  const app = await buildApp({ db: 'sqlite::memory:', adminPassword: USERS.acme.password, secret: randomBytes(32).toString('hex'), tokenType, hashing: CHEAP })
  return { app, t: new Tester({ app, users: USERS, param: { user: 'username', pass: 'password' } }) }
}
// #endregion test-setup

/** The date `days` days ago, as YYYY-MM-DD (UTC). */
function daysAgo (days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)
}

for (const tokenType of ['fsa', 'jwt'] as const) {
  describe(`the acme tutorial with ${tokenType} tokens`, () => {
    test('GET /hello is open and shows the version, with the added headers; debug headers only in dev mode', async () => {
      const { app, t } = await acme(tokenType)
      const res = await t.request('GET', '/hello')
      assert.equal(res.status, 200)
      assert.deepEqual(res.body, { msg: 'hello', version: VERSION })
      assert.equal(res.headers.application, 'Acme')
      // production mode by default: FSA-Delay would tell whether a login exists
      assert.equal(res.headers['fsa-request'], undefined)
      assert.equal(res.headers['fsa-delay'], undefined)
      await app.close()
      const dev = await buildApp({ db: 'sqlite::memory:', adminPassword: USERS.acme.password, tokenType, hashing: CHEAP, mode: 'dev' })
      const devRes = await dev.inject('/hello')
      assert.equal(devRes.headers['fsa-request'], 'GET /hello')
      assert.ok(devRes.headers['fsa-delay'] !== undefined)
      await dev.close()
    })

    // #region test-basic
    test('basic authentication: 401 without or with unknown credentials, then stuff is added and listed', async () => {
      const { app, t } = await acme(tokenType)
      const denied = await t.request('GET', '/hello-me')
      assert.equal(denied.status, 401)
      assert.match(String(denied.headers['www-authenticate']), /Basic realm="acme"/)
      assert.equal(typeof denied.body.error, 'string')
      await t.get('/hello-me', { login: 'meca', status: 401 })
      assert.deepEqual(await t.get('/hello-me', { login: 'acme', status: 200 }), { msg: 'hello', user: 'acme' })
      await t.post('/stuff', { login: 'acme', form: { stuff: 'pinte', price: 6.5 }, status: 201 })
      const again = await t.post('/stuff', { login: 'acme', json: { stuff: 'pinte', price: 6.5 }, status: 409 })
      assert.match(again.error, /pinte/)
      await t.post('/stuff', { login: 'acme', query: { stuff: 'pot', price: 2 }, status: 201 })
      assert.deepEqual(await t.get('/stuff', { login: 'acme', status: 200 }), [['pinte', 6.5], ['pot', 2]])
      await t.post('/stuff', { login: 'acme', json: { stuff: 'cup', price: 'cheap' }, status: 400 })
      await app.close()
    })
    // #endregion test-basic

    test('param authentication: username and password in the query, a form or a JSON body', async () => {
      const { app, t } = await acme(tokenType)
      assert.equal((await t.get('/hello-me', { login: 'acme', auth: 'param', status: 200 })).user, 'acme')
      assert.equal((await t.get('/hello-me', { login: 'acme', auth: 'param', form: {}, status: 200 })).user, 'acme')
      assert.equal((await t.get('/hello-me', { login: 'acme', auth: 'param', json: {}, status: 200 })).user, 'acme')
      await t.get('/hello-me', { query: { username: 'acme', password: 'wrong' }, status: 401 })
      await app.close()
    })

    test('token authentication: GET /token with basic or param, POST /token with param only', async () => {
      const { app, t } = await acme(tokenType)
      const token = await t.fetchToken('acme')
      if (tokenType === 'fsa') assert.match(token, /^acme:acme:\d{14}:[0-9a-f]+$/)
      else assert.equal(token.split('.').length, 3)
      assert.deepEqual(await t.get('/hello-me', { login: 'acme', auth: 'bearer', status: 200 }), { msg: 'hello', user: 'acme' })
      assert.ok((await t.get('/token', { login: 'acme', auth: 'param', form: {}, status: 200 })).token)
      assert.ok((await t.get('/token', { login: 'acme', auth: 'param', json: {}, status: 200 })).token)
      assert.ok((await t.post('/token', { login: 'acme', auth: 'param', form: {}, status: 201 })).token)
      assert.ok((await t.post('/token', { login: 'acme', auth: 'param', json: {}, status: 201 })).token)
      await t.post('/token', { login: 'acme', auth: 'basic', status: 401 })
      await t.get('/hello-me', { headers: { authorization: 'Bearer ' + token.slice(0, -2) + 'xx' }, status: 401 })
      await app.close()
    })

    test('GET /days takes someone as JSON text or JSON, and a bad date is a 400', async () => {
      const { app, t } = await acme(tokenType)
      const hobbes = await t.get('/days', { form: { who: JSON.stringify({ name: 'Hobbes', born: daysAgo(1000) }) }, status: 200 })
      assert.deepEqual(hobbes, { name: 'Hobbes', days: 1000 })
      assert.deepEqual(await t.get('/days', { query: { who: JSON.stringify({ name: 'Susie', born: daysAgo(0) }) }, status: 200 }), { name: 'Susie', days: 0 })
      const calvin = await t.get('/days', { json: { who: { name: 'Calvin', born: '1970-03-20' } }, status: 200 })
      assert.equal(calvin.name, 'Calvin')
      assert.ok(Number.isInteger(calvin.days) && calvin.days > 20000)
      const bad = await t.get('/days', { json: { who: { name: 'Hobbes', born: 'not yesterday' } }, status: 400 })
      assert.match(bad.error, /who\.born/)
      await t.get('/days', { form: { who: '{"name":"Calvin","born":"unknown"}' }, status: 400 })
      await app.close()
    })

    test('GET /primes keeps the primes of a list of integers, and non-integers are a 400', async () => {
      const { app, t } = await acme(tokenType)
      assert.deepEqual(await t.get('/primes', { query: { li: [7, 8] }, status: 200 }), [7])
      assert.deepEqual(await t.get('/primes', { form: { li: [1, 10, 11] }, status: 200 }), [11])
      assert.deepEqual(await t.get('/primes', { json: { li: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, status: 200 }), [2, 3, 5, 7])
      await t.get('/primes', { json: { li: ['odd', 'even'] }, status: 400 })
      await t.get('/primes', { form: { li: ['prime', 'time'] }, status: 400 })
      await app.close()
    })

    test('GET /len gives the length of any JSON value, and a missing or bad one is a 400', async () => {
      const { app, t } = await acme(tokenType)
      assert.deepEqual(await t.get('/len', { json: { p: { hi: 'w!' } }, status: 200 }), { len: 1 })
      assert.deepEqual(await t.get('/len', { json: { p: ['foo', 'bla'] }, status: 200 }), { len: 2 })
      assert.deepEqual(await t.get('/len', { json: { p: 'hi!' }, status: 200 }), { len: 3 })
      assert.deepEqual(await t.get('/len', { form: { p: '"hi!"' }, status: 200 }), { len: 3 })
      assert.deepEqual(await t.get('/len', { form: { p: '[1,2]' }, status: 200 }), { len: 2 })
      assert.deepEqual(await t.get('/len', { query: { p: '3.14' }, status: 200 }), { len: 'not available' })
      assert.deepEqual(await t.get('/len', { json: { p: null }, status: 200 }), { len: 'not available' })
      assert.match((await t.get('/len', { status: 400 })).error, /missing parameter "p"/)
      assert.match((await t.get('/len', { form: { p: 'bad-json' }, status: 400 })).error, /invalid JSON/)
      await app.close()
    })

    test('POST /user refuses weak passwords with a JSON error saying why', async () => {
      const { app, t } = await acme(tokenType)
      const short = await t.post('/user', { login: 'acme', form: { login: 'came', email: 'came@acme.org', password: 'C@me' }, status: 400 })
      assert.match(short.error, /too short/)
      const regex = await t.post('/user', { login: 'acme', form: { login: 'came', email: 'came@acme.org', password: 'Cameleon' }, status: 400 })
      assert.match(regex.error, /must match/)
      await t.post('/user', { login: 'acme', json: { login: 'Came', email: 'came@acme.org', password: 'Cameleon1' }, status: 400 })
      await t.post('/user', { login: 'acme', json: { login: 'came', email: 'not an email', password: 'Cameleon1' }, status: 400 })
      // refuseCommon is on in the demo: listed passwords are refused whatever their case
      const common = await t.post('/user', { login: 'acme', json: { login: 'came', email: 'came@acme.org', password: 'Password1' }, status: 400 })
      assert.match(common.error, /too common/)
      await app.close()
    })

    test('groups: the admin creates users, an existing login is a 409, a non-admin gets a 403', async () => {
      const { app, t } = await acme(tokenType)
      // meca is unknown first: that answer must not stick once meca is created
      await t.get('/hello-me', { login: 'meca', status: 401 })
      assert.deepEqual(await t.post('/user', { login: 'acme', json: { login: 'meca', email: 'meca@acme.org', password: 'Mec0!' }, status: 201 }), { login: 'meca' })
      await t.post('/user', { login: 'acme', form: { login: 'mace', email: 'mace@acme.org', password: 'Mac1!' }, status: 201 })
      await t.post('/user', { login: 'acme', json: { login: 'meca', email: 'other@acme.org', password: 'Mec0!' }, status: 409 })
      assert.equal((await t.get('/hello-me', { login: 'meca', status: 200 })).user, 'meca')
      const forbidden = await t.post('/user', { login: 'meca', json: { login: 'cema', email: 'cema@acme.org', password: 'Cem0!' }, status: 403 })
      assert.equal(typeof forbidden.error, 'string')
      await t.post('/user', { json: { login: 'cema', email: 'cema@acme.org', password: 'Cem0!' }, status: 401 })
      await app.close()
    })

    test('object permissions: only the owner changes its stuff, unknown stuff is a 404', async () => {
      const { app, t } = await acme(tokenType)
      await t.post('/user', { login: 'acme', json: { login: 'mace', email: 'mace@acme.org', password: 'Mac1!' }, status: 201 })
      await t.post('/stuff', { login: 'mace', json: { stuff: 'bear', price: 3.14 }, status: 201 })
      await t.patch('/stuff/bear', { login: 'acme', json: { price: 0.5 }, status: 403 })
      await t.fetchToken('mace')
      assert.deepEqual(await t.patch('/stuff/bear', { login: 'mace', auth: 'bearer', json: { price: 2.72 }, status: 200 }), { stuff: 'bear', price: 2.72 })
      assert.deepEqual(await t.get('/stuff', { login: 'mace', status: 200 }), [['bear', 2.72]])
      assert.deepEqual(await t.get('/stuff', { login: 'acme', status: 200 }), [])
      await t.patch('/stuff/teddy', { login: 'mace', json: { price: 1 }, status: 404 })
      await t.patch('/stuff/bear', { json: { price: 1 }, status: 401 })
      await t.patch('/stuff/bear', { login: 'mace', json: { price: 'free' }, status: 400 })
      // not found is not cached: stuff created after a 404 is found
      await t.post('/stuff', { login: 'mace', json: { stuff: 'teddy', price: 9 }, status: 201 })
      await t.patch('/stuff/teddy', { login: 'mace', form: { price: 8 }, status: 200 })
      await app.close()
    })
  })
}

test('the Swagger UI and the OpenAPI document describe every acme route', async () => {
  const { app, t } = await acme('fsa')
  const ui = await t.request('GET', '/docs')
  assert.equal(ui.status, 200)
  assert.match(ui.text, /Swagger UI/)
  const doc = await t.get('/docs/json', { status: 200 })
  assert.equal(doc.info.title, 'Acme')
  for (const path of ['/hello', '/hello-me', '/stuff', '/stuff/{sid}', '/token', '/user', '/days', '/primes', '/len']) {
    assert.ok(doc.paths[path] !== undefined, `${path} is documented`)
  }
  assert.ok(doc.components.securitySchemes !== undefined)
  await app.close()
})

for (const tokenType of ['fsa', 'jwt'] as const) {
  test(`the account routes of the demo (${tokenType}): login, me, log out everywhere, no self-registration`, async () => {
    const { app, t } = await acme(tokenType)
    const { token } = await t.post('/auth/login', { json: { login: 'acme', password: USERS.acme.password }, status: 200 })
    t.setToken('acme', token)
    const me = await t.get('/auth/me', { login: 'acme', auth: 'bearer', status: 200 })
    assert.equal(me.login, 'acme')
    assert.deepEqual(me.groups, ['admin'])
    // a token of the tutorial's GET /token is revoked too
    const other = (await t.get('/token', { login: 'acme', status: 200 })).token as string
    await t.post('/auth/logout?everywhere=true', { login: 'acme', auth: 'bearer', status: 204 })
    await t.get('/auth/me', { login: 'acme', auth: 'bearer', status: 401 })
    t.setToken('acme', other)
    await t.get('/hello-me', { login: 'acme', auth: 'bearer', status: 401 })
    await t.post('/auth/register', { json: { login: 'newbie', email: 'n@acme.org', password: 'N3wbie' }, status: 404 })
    assert.equal(await app.fsa.store?.getUser('newbie'), null)
    await app.close()
  })
}

test('the demo throttles its token routes and rate-limits its account routes', async () => {
  const { app } = await acme('fsa')
  const basicAuth = (password: string) => 'Basic ' + Buffer.from(`acme:${password}`).toString('base64')
  const tokens: number[] = []
  for (let i = 0; i < 6; i++) tokens.push((await app.inject({ url: '/token', headers: { authorization: basicAuth('wrong') } })).statusCode)
  assert.deepEqual(tokens, [401, 401, 401, 401, 401, 429])
  const blocked = await app.inject({ url: '/token', headers: { authorization: basicAuth(USERS.acme.password) } })
  assert.equal(blocked.statusCode, 429, 'the right password too, while blocked')
  assert.equal(blocked.json().error, 'too many failed attempts, retry later')
  const forgot = { method: 'POST' as const, url: '/auth/password/forgot', payload: { email: 'nobody@acme.org' } }
  const statuses = new Set<number>()
  for (let i = 0; i < ACCOUNT_REQUESTS_PER_MINUTE + 1; i++) statuses.add((await app.inject(forgot)).statusCode)
  assert.deepEqual([...statuses], [202, 429], '@fastify/rate-limit past its limit')
  await app.close()
})
