// The Tester of `fastify-simple-auth/testing`: how it sends credentials and parameters, checks
// statuses and parses answers, through inject() and over HTTP.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { AssertionError } from 'node:assert'
import Fastify, { type FastifyInstance } from 'fastify'
import formbody from '@fastify/formbody'
import { Tester } from '../lib/testing/index.js'

/** An app echoing what it receives; GET /raw echoes a GET body, which Fastify leaves unread. */
async function echoApp (): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(formbody)
  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/echo',
    handler: async (req) => ({ method: req.method, url: req.url, query: req.query, body: req.body ?? null, authorization: req.headers.authorization ?? null, x: req.headers['x-test'] ?? null, type: req.headers['content-type'] ?? null })
  })
  app.get('/raw', async (req) => {
    let text = ''
    for await (const chunk of req.raw) text += String(chunk)
    return { text, type: req.headers['content-type'] ?? null }
  })
  app.get('/text', async (_req, reply) => reply.type('text/plain').send('plain words'))
  app.get('/bad-json', async (_req, reply) => reply.type('application/json').send('{oops'))
  app.get('/token', async (req) => ({ token: 'tok-' + String(req.headers.authorization), other: 42 }))
  return app
}

const users = { calvin: { password: 'Hobbes1' }, susie: { token: 'susie-token' } }

test('a Tester needs exactly one of app or url', async () => {
  const app = await echoApp()
  assert.throws(() => new Tester({}), /exactly one of app or url/)
  assert.throws(() => new Tester({ app, url: 'http://127.0.0.1:1' }), /exactly one of app or url/)
  await app.close()
})

test('basic credentials go in the Authorization header (RFC 7617, UTF-8)', async () => {
  const app = await echoApp()
  const t = new Tester({ app, users: { ...users, éloïse: { password: 'mot:de:passe€' } } })
  const body = await t.get('/echo', { login: 'calvin', status: 200 })
  assert.equal(body.authorization, 'Basic ' + Buffer.from('calvin:Hobbes1').toString('base64'))
  const utf8 = await t.get('/echo', { login: 'éloïse', status: 200 })
  assert.equal(Buffer.from(utf8.authorization.slice(6), 'base64').toString('utf8'), 'éloïse:mot:de:passe€')
  await app.close()
})

test('param credentials go in the form, the JSON object or the query string, under the configured names', async () => {
  const app = await echoApp()
  const t = new Tester({ app, users, auth: 'param', param: { user: 'username', pass: 'password' } })
  assert.deepEqual((await t.post('/echo', { login: 'calvin', form: { a: 1 } })).body, { a: '1', username: 'calvin', password: 'Hobbes1' })
  assert.deepEqual((await t.post('/echo', { login: 'calvin', json: { a: 1 } })).body, { a: 1, username: 'calvin', password: 'Hobbes1' })
  const inQuery = await t.post('/echo', { login: 'calvin', json: [1, 2] })
  assert.deepEqual(inQuery.body, [1, 2])
  assert.deepEqual(inQuery.query, { username: 'calvin', password: 'Hobbes1' })
  const defaults = new Tester({ app, users })
  assert.deepEqual((await defaults.get('/echo', { login: 'calvin', auth: 'param' })).query, { USER: 'calvin', PASS: 'Hobbes1' })
  await app.close()
})

test('bearer credentials use the known token, with a configurable scheme word', async () => {
  const app = await echoApp()
  const t = new Tester({ app, users, bearer: 'Token' })
  assert.equal((await t.get('/echo', { login: 'susie', auth: 'bearer' })).authorization, 'Token susie-token')
  t.setToken('calvin', 'calvin-token')
  assert.equal((await t.get('/echo', { login: 'calvin', auth: 'bearer' })).authorization, 'Token calvin-token')
  assert.equal((await t.get('/echo', { login: 'calvin', auth: 'none' })).authorization, null)
  await app.close()
})

test('unknown passwords and tokens are a TypeError naming the user', async () => {
  const app = await echoApp()
  const t = new Tester({ app, users })
  await assert.rejects(t.get('/echo', { login: 'susie' }), /no password known for susie/)
  await assert.rejects(t.get('/echo', { login: 'calvin', auth: 'bearer' }), /no token known for calvin/)
  await assert.rejects(t.get('/echo', { login: 'hobbes', auth: 'param' }), /no password known for hobbes/)
  t.setPassword('hobbes', 'Tiger1')
  assert.equal((await t.get('/echo', { login: 'hobbes', auth: 'param' })).query.PASS, 'Tiger1')
  await app.close()
})

test('fetchToken reads the token from the answer and remembers it', async () => {
  const app = await echoApp()
  const t = new Tester({ app, users })
  const token = await t.fetchToken('calvin')
  assert.equal(token, 'tok-Basic ' + Buffer.from('calvin:Hobbes1').toString('base64'))
  assert.equal((await t.get('/echo', { login: 'calvin', auth: 'bearer' })).authorization, 'Bearer ' + token)
  await assert.rejects(t.fetchToken('calvin', '/token', 'other'), (e: unknown) => e instanceof AssertionError && /no "other" string/.test(e.message))
  await app.close()
})

test('query arrays repeat the key, and a path with a query string is extended', async () => {
  const app = await echoApp()
  const t = new Tester({ app })
  const body = await t.delete('/echo?a=0', { query: { a: [1, 2], b: true } })
  assert.equal(body.url, '/echo?a=0&a=1&a=2&b=true')
  assert.equal(body.method, 'DELETE')
  assert.deepEqual((await t.put('/echo', { form: { li: [7, 8] } })).body, { li: ['7', '8'] })
  await app.close()
})

test('a status mismatch is an AssertionError showing the request and the body', async () => {
  const app = await echoApp()
  const t = new Tester({ app, users })
  await assert.rejects(t.get('/nowhere', { login: 'calvin', status: 200 }), (e: unknown) => {
    assert.ok(e instanceof AssertionError)
    assert.equal(e.actual, 404)
    assert.equal(e.expected, 200)
    assert.match(e.message, /^GET \/nowhere as calvin: expected status 200, got 404: .*Not Found/)
    return true
  })
  await app.close()
})

test('answers are parsed as JSON when they say so, and kept as text otherwise', async () => {
  const app = await echoApp()
  const t = new Tester({ app })
  assert.equal(await t.get('/text', { status: 200 }), 'plain words')
  assert.equal(await t.get('/bad-json', { status: 200 }), '{oops')
  const res = await t.request('GET', '/echo', { headers: { 'x-test': 'yes' } })
  assert.equal(res.body.x, 'yes')
  assert.equal(res.text, JSON.stringify(res.body))
  await app.close()
})

test('over HTTP, the tester keeps the base path, sends GET bodies and default headers', async (t) => {
  const app = await echoApp()
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  t.after(() => app.close())
  const tester = new Tester({ url: url + '/', users, headers: { 'x-test': 'default' } })
  const echoed = await tester.patch('/echo', { login: 'calvin', json: { price: 2 }, status: 200 })
  assert.deepEqual(echoed.body, { price: 2 })
  assert.equal(echoed.x, 'default')
  assert.equal(echoed.authorization, 'Basic ' + Buffer.from('calvin:Hobbes1').toString('base64'))
  assert.deepEqual(await tester.get('raw', { form: { who: '{"name":"Hobbes"}' }, status: 200 }), { text: 'who=%7B%22name%22%3A%22Hobbes%22%7D', type: 'application/x-www-form-urlencoded' })
  const res = await tester.request('GET', '/text')
  assert.equal(res.headers['content-type'], 'text/plain')
  assert.equal(res.body, 'plain words')
  const prefixed = new Tester({ url: url + '/missing-prefix' })
  await prefixed.get('/echo', { status: 404 })
  await assert.rejects(new Tester({ url: 'http://127.0.0.1:1' }).get('/echo'), /ECONNREFUSED/)
})
