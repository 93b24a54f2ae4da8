// Redirect to the login page instead of a 401 (FlaskSimpleAuth's FSA_401_REDIRECT): browser
// navigations to AUTH routes get a 303 to /login?next=<path>; API clients keep the 401; `next`
// never leads to another origin.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildApp } from './helpers/app.js'
import { safeNext, wantsHtml } from '../lib/http/login-redirect.js'
import type { SecureOptions } from '../lib/index.js'
import type { FastifyInstance, FastifyRequest } from 'fastify'

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
const options: SecureOptions = { auth: ['basic', 'none'], getUserPass: () => null }

async function app (t: Parameters<typeof buildApp>[0], extra: SecureOptions = {}): Promise<FastifyInstance> {
  return await buildApp(t, { ...options, ...extra }, (a) => {
    a.get('/page', { config: { authorize: 'AUTH', loginRedirect: true } }, async () => 'page')
    a.get('/api', { config: { authorize: 'AUTH' } }, async () => 'api')
    a.get('/never', { config: { authorize: 'AUTH', loginRedirect: false } }, async () => 'never')
    a.post('/page', { config: { authorize: 'AUTH', loginRedirect: true } }, async () => 'posted')
  })
}

test('config.loginRedirect: a browser navigation gets 303 to /login?next=<path>, API clients a 401', async (t) => {
  const a = await app(t)
  const nav = await a.inject({ method: 'GET', url: '/page?x=1&y=%2F', headers: { accept: HTML } })
  assert.equal(nav.statusCode, 303)
  assert.equal(nav.headers.location, '/login?next=' + encodeURIComponent('/page?x=1&y=%2F'))
  assert.equal(nav.headers['cache-control'], 'no-store')
  for (const accept of [undefined, '*/*', 'application/json', 'text/html;q=0', 'text/htmlx']) {
    const res = await a.inject({ method: 'GET', url: '/page', headers: accept === undefined ? {} : { accept } })
    assert.equal(res.statusCode, 401, `Accept: ${String(accept)}`)
    assert.match(String(res.headers['www-authenticate']), /^Basic/)
  }
  assert.equal((await a.inject({ method: 'POST', url: '/page', headers: { accept: HTML } })).statusCode, 401, 'only GET/HEAD navigations')
  assert.equal((await a.inject({ method: 'GET', url: '/api', headers: { accept: HTML } })).statusCode, 401, 'off by default')
  const wrong = await a.inject({ method: 'GET', url: '/page', headers: { accept: HTML, authorization: 'Basic ' + Buffer.from('x:y').toString('base64') } })
  assert.equal(wrong.statusCode, 303, 'bad credentials too: an expired cookie sends the browser to sign in again')
})

test('redirect401 applies to every AUTH route (its URL, or /login), config.loginRedirect: false opts out', async (t) => {
  const a = await app(t, { redirect401: '/signin?lang=en' })
  assert.equal((await a.inject({ method: 'GET', url: '/api', headers: { accept: HTML } })).headers.location, '/signin?lang=en&next=%2Fapi')
  assert.equal((await a.inject({ method: 'GET', url: '/never', headers: { accept: HTML } })).statusCode, 401)
  const b = await app(t, { redirect401: true })
  assert.equal((await b.inject({ method: 'GET', url: '/api', headers: { accept: HTML } })).headers.location, '/login?next=%2Fapi')
  await assert.rejects(app(t, { redirect401: '//evil.example/login' }).then((x) => x.ready()), /redirect401/)
  await assert.rejects(app(t, { redirect401: 'https://evil.example/login' }).then((x) => x.ready()), /redirect401/)
})

test('safeNext keeps paths of this origin and refuses everything a browser could read as another origin', () => {
  for (const ok of ['/', '/todos', '/a/b?c=d&e=%2Fx#/completed', '/caf%C3%A9']) assert.equal(safeNext(ok, '/home'), ok)
  const hostile = ['//evil.example', 'https://evil.example', 'http:/evil.example', '/\\evil.example', '\\\\evil.example',
    '/%2Fevil.example', '/%5Cevil.example', '%2F%2Fevil.example', 'javascript:alert(1)', '/\tevil', ' /x', '/x y', '/%0d%0aSet-Cookie:x',
    'evil.example', '', '/%E0%A4%A', '/' + 'a'.repeat(3000)]
  for (const bad of hostile) assert.equal(safeNext(bad, '/home'), '/home', bad)
  assert.equal(safeNext(undefined, '/home'), '/home')
  assert.equal(safeNext(['/x'], '/home'), '/home')
})

test('wantsHtml: only explicit text/html on GET or HEAD', () => {
  const req = (method: string, accept?: string) => ({ method, headers: accept === undefined ? {} : { accept } }) as unknown as FastifyRequest
  assert.equal(wantsHtml(req('GET', HTML)), true)
  assert.equal(wantsHtml(req('HEAD', 'TEXT/HTML')), true)
  assert.equal(wantsHtml(req('GET', 'text/html;q=0.5')), true)
  assert.equal(wantsHtml(req('GET', 'text/html; q=0.0')), false)
  assert.equal(wantsHtml(req('GET', '*/*')), false)
  assert.equal(wantsHtml(req('GET', 'text/*')), false)
  assert.equal(wantsHtml(req('GET')), false)
  assert.equal(wantsHtml(req('DELETE', HTML)), false)
})
