// RFC 7617 (The 'Basic' HTTP Authentication Scheme) through the plugin, with RFC 7235 §2.1 for the
// scheme word. credentials = "Basic" 1*SP token68, token68 = base64(user-id ":" password) in UTF-8.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseBasic } from '../lib/schemes/basic.js'
import { basic, buildAuthApp } from './helpers/auth-app.js'

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64')

test('RFC 7617 §2: valid Basic credentials authenticate and set request.user and authScheme', async (t) => {
  const app = await buildAuthApp(t, { auth: 'basic' })
  const res = await app.inject({ url: '/auth', headers: { authorization: basic('calvin', 'hobbes') } })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), { user: 'calvin', scheme: 'basic' })
})

test('RFC 7235 §2.1: the scheme word is case-insensitive (basic, BASIC, bAsIc)', async (t) => {
  const app = await buildAuthApp(t, { auth: 'basic' })
  for (const word of ['basic', 'BASIC', 'bAsIc']) {
    const res = await app.inject({ url: '/auth', headers: { authorization: `${word} ${b64('calvin:hobbes')}` } })
    assert.equal(res.statusCode, 200, word)
    assert.equal(res.json().user, 'calvin')
  }
})

test('RFC 7617 §2.1: user-id and password are UTF-8, non-ASCII characters included', async (t) => {
  const app = await buildAuthApp(t, { auth: 'basic' })
  const res = await app.inject({ url: '/auth', headers: { authorization: basic('éloïse', 'mot:de:passe€') } })
  assert.equal(res.statusCode, 200)
  assert.equal(res.json().user, 'éloïse')
})

test('RFC 7617 §2: the password may contain colons, the split is at the first one', async (t) => {
  assert.deepEqual(parseBasic(`Basic ${b64('a:b:c:')}`), ['a', 'b:c:'])
  const app = await buildAuthApp(t, { auth: 'basic' })
  const wrongSplit = await app.inject({ url: '/auth', headers: { authorization: `Basic ${b64('éloïse:mot:de:passe')}` } })
  assert.equal(wrongSplit.statusCode, 401)
})

test('RFC 7617 §2: an empty password is a (wrong) password, not malformed credentials', async (t) => {
  assert.deepEqual(parseBasic(`Basic ${b64('calvin:')}`), ['calvin', ''])
  const app = await buildAuthApp(t, { auth: 'basic' })
  const res = await app.inject({ url: '/auth', headers: { authorization: basic('calvin', '') } })
  assert.equal(res.statusCode, 401)
  assert.equal(res.body, 'invalid login or password')
})

test('malformed base64 is a 401 malformed basic header, never a 400 or 500', async (t) => {
  const app = await buildAuthApp(t, { auth: 'basic' })
  for (const bad of ['Basic !!!!', 'Basic abc', 'Basic Y2Fsdmlu=x', 'Basic ', 'Basic  ']) {
    const res = await app.inject({ url: '/auth', headers: { authorization: bad } })
    assert.equal(res.statusCode, 401, bad)
    assert.equal(res.body, 'malformed basic authorization header', bad)
    assert.match(String(res.headers['www-authenticate']), /^Basic realm="fastify", charset="UTF-8"/)
  }
})

test('credentials without a colon, or with an empty user-id, are a 401 malformed header', async (t) => {
  const app = await buildAuthApp(t, { auth: 'basic' })
  for (const creds of ['calvinhobbes', ':hobbes']) {
    const res = await app.inject({ url: '/auth', headers: { authorization: `Basic ${b64(creds)}` } })
    assert.equal(res.statusCode, 401, creds)
    assert.equal(res.body, 'malformed basic authorization header')
  }
})

test('RFC 7235: another scheme word (Bearer, Basicx) is not Basic credentials', async (t) => {
  assert.equal(parseBasic(`Bearer ${b64('calvin:hobbes')}`), null)
  assert.equal(parseBasic(`Basicx ${b64('calvin:hobbes')}`), null)
  assert.equal(parseBasic('Basic'), null)
  assert.equal(parseBasic(undefined), null)
  const app = await buildAuthApp(t, { auth: ['basic'] })
  const res = await app.inject({ url: '/auth', headers: { authorization: `Bearer ${b64('calvin:hobbes')}` } })
  assert.equal(res.statusCode, 401)
  assert.equal(res.body, 'missing authentication')
})

test('RFC 7617 §2: the 401 challenge names the realm and advertises charset="UTF-8"', async (t) => {
  const app = await buildAuthApp(t, { auth: ['basic'], realm: 'Acme Corp' })
  const res = await app.inject('/auth')
  assert.equal(res.statusCode, 401)
  assert.equal(res.headers['www-authenticate'], 'Basic realm="Acme Corp", charset="UTF-8"')
})

test('a wrong password is a 401 that does not echo the password or the login', async (t) => {
  const app = await buildAuthApp(t, { auth: ['basic'], errorResponse: 'json:error' })
  const res = await app.inject({ url: '/auth', headers: { authorization: basic('calvin', 'S3cr3t-guess') } })
  assert.equal(res.statusCode, 401)
  assert.deepEqual(res.json(), { error: 'invalid login or password' })
  assert.doesNotMatch(res.body, /S3cr3t-guess|calvin/)
})
