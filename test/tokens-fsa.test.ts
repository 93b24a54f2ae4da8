import { test } from 'node:test'
import assert from 'node:assert/strict'
import { assertRefused } from './helpers/refused.js'
import { createHmac } from 'node:crypto'
import Fastify from 'fastify'
import { createFsaCodec, formatLimit, fsaRealmPart, parseLimit, simplifyRealm } from '../lib/tokens/fsa.js'
import { createTokenManager } from '../lib/tokens/manager.js'
import { resolveTokenOptions, type TokenOptions } from '../lib/tokens/options.js'

const SECRET = 'fsa-test-secret-0123456789-abcdefghij'
const HOUR = 3_600_000

async function manager (opts: TokenOptions = {}, realm = 'acme') {
  return await createTokenManager(Fastify(), resolveTokenOptions({ secret: SECRET, ...opts }, realm))
}

/** Sign `data` the way the format says, independently of the code under test. */
function signed (data: string, length = 32, secret = SECRET) {
  return `${data}:${createHmac('sha256', secret).update(data).digest('hex').slice(0, length)}`
}

test('realms are simplified like FlaskSimpleAuth, case kept', () => {
  assert.equal(simplifyRealm('My App!'), 'My-App')
  assert.equal(simplifyRealm('a  b::c--d'), 'a-b-c-d')
  assert.equal(simplifyRealm('acme'), 'acme')
  assert.equal(fsaRealmPart('My App', 'Big Corp'), 'My-App/Big-Corp')
})

test('limits are 14-digit UTC timestamps and impossible dates are refused', () => {
  const ms = Date.UTC(2026, 10, 23, 3, 4, 30)
  assert.equal(formatLimit(ms), '20261123030430')
  assert.equal(parseLimit('20261123030430'), ms)
  assert.equal(parseLimit('x:20240229235959:y', 2, 16), Date.UTC(2024, 1, 29, 23, 59, 59))
  for (const bad of ['20261523030430', '20260230120000', '20260431120000', '20261123250000', '20261123036000',
    '20261123030460', '20261100030430', '2026112303043', '202611230304300', 'demain00000000', '2026-1-23T0304']) {
    assert.ok(Number.isNaN(parseLimit(bad)), bad)
  }
})

test('a created token has the documented format and signature', async () => {
  const tokens = await manager()
  const before = Date.now()
  const token = tokens.create('calvin')
  const [realm, login, limit, sig] = token.split(':')
  assert.equal(realm, 'acme')
  assert.equal(login, 'calvin')
  assert.match(limit ?? '', /^\d{14}$/)
  assert.equal(sig?.length, 32)
  assert.equal(token, signed(`acme:calvin:${limit}`))
  const expires = parseLimit(limit ?? '')
  assert.ok(expires > before + HOUR - 2000 && expires <= before + HOUR)
})

test('a valid token verifies to its login, realm and expiry', async () => {
  const tokens = await manager()
  const token = tokens.create('calvin', { delay: 10 })
  const info = tokens.verify(token, 'acme')
  assert.equal(info.login, 'calvin')
  assert.equal(info.realm, 'acme')
  assert.ok(Math.abs(info.expires - (Date.now() + 600_000)) < 2000)
  assert.equal(info.scopes, undefined)
})

test('logins containing colons round-trip because fields are read from both ends', async () => {
  const tokens = await manager()
  const token = tokens.create('urn:user:42')
  assert.equal(tokens.verify(token, 'acme').login, 'urn:user:42')
})

test('a token made by hand with the documented algorithm verifies', async () => {
  const tokens = await manager({ length: 20 })
  const limit = formatLimit(Date.now() + HOUR)
  assert.equal(tokens.verify(signed(`acme:hobbes:${limit}`, 20), 'acme').login, 'hobbes')
})

test('malformed tokens are 401 malformed and never echoed', async () => {
  const tokens = await manager()
  const limit = formatLimit(Date.now() + HOUR)
  for (const token of ['', 'garbage', 'acme:calvin', 'acme:calvin:sig', `acme::${limit}:abcd`, ':calvin',
    signed('acme:calvin:demain'), signed('acme:calvin:20261523030430'), signed('acme:calvin:2026112303043x'),
    signed('acme:calvin:20260230120000'), signed('acme:calvin:123')]) {
    assertRefused(() => tokens.verify(token, 'acme'), 'FSA_ERR_TOKEN_MALFORMED', token || '\u0000')
  }
})

test('a tampered signature or login is refused', async () => {
  const tokens = await manager()
  const token = tokens.create('calvin')
  const last = token.at(-1) === '0' ? '1' : '0'
  const cases = [token.slice(0, -1) + last, token.replace('calvin', 'hobbes'), token.slice(0, -2), token + '00',
    token.slice(0, -1) + 'é', signed(token.slice(0, token.lastIndexOf(':')), 32, 'another-secret-0123456789-abcdefghij')]
  for (const bad of cases) assertRefused(() => tokens.verify(bad, 'acme'), 'FSA_ERR_TOKEN_SIGNATURE', bad)
})

test('a token of another realm or issuer is refused', async () => {
  const tokens = await manager()
  assertRefused(() => tokens.verify(tokens.create('calvin', { realm: 'mfa' }), 'acme'), 'FSA_ERR_TOKEN_REALM', 'calvin')
  assertRefused(() => tokens.verify(tokens.create('calvin'), 'acm'), 'FSA_ERR_TOKEN_REALM', 'calvin')
  assertRefused(() => tokens.verify(tokens.create('calvin', { issuer: 'other' }), 'acme'), 'FSA_ERR_TOKEN_REALM', 'calvin')
  assert.equal(tokens.verify(tokens.create('calvin', { realm: 'mfa' }), 'mfa').login, 'calvin')
})

test('an issuer is part of the realm field and must match the configuration', async () => {
  const tokens = await manager({ issuer: 'Big Corp' }, 'My App')
  const token = tokens.create('calvin')
  assert.ok(token.startsWith('My-App/Big-Corp:calvin:'))
  assert.equal(tokens.verify(token, 'My App').login, 'calvin')
  const other = await manager({}, 'My App')
  assertRefused(() => other.verify(token, 'My App'), 'FSA_ERR_TOKEN_REALM', token)
  assertRefused(() => tokens.verify(other.create('calvin'), 'My App'), 'FSA_ERR_TOKEN_REALM', 'calvin')
})

test('an expired token is refused, unless within grace', async () => {
  const strict = await manager()
  const lenient = await manager({ grace: 5 })
  const limitMs = Date.now() - 2 * 60_000
  const token = signed(`acme:calvin:${formatLimit(limitMs)}`)
  assertRefused(() => strict.verify(token, 'acme'), 'FSA_ERR_TOKEN_EXPIRED', token)
  const info = lenient.verify(token, 'acme')
  assert.equal(info.expires, Math.floor(limitMs / 1000) * 1000 + 5 * 60_000)
  const old = signed(`acme:calvin:${formatLimit(Date.now() - 6 * 60_000)}`)
  assertRefused(() => lenient.verify(old, 'acme'), 'FSA_ERR_TOKEN_EXPIRED', old)
})

test('the codec checks expiry at the instant it is given', () => {
  const codec = createFsaCodec(SECRET, 32, 1000)
  const limit = Date.UTC(2030, 0, 1)
  const token = codec.create('acme', 'calvin', limit)
  assert.equal(codec.verify(token, 'acme', limit + 1000).login, 'calvin')
  assert.throws(() => codec.verify(token, 'acme', limit + 1001), { code: 'FSA_ERR_TOKEN_EXPIRED' })
})

test('the signature length follows the option', async () => {
  for (const length of [16, 17, 64]) {
    const tokens = await manager({ length })
    const token = tokens.create('calvin')
    assert.equal(token.length - token.lastIndexOf(':') - 1, length)
    assert.equal(tokens.verify(token, 'acme').login, 'calvin')
  }
})

test('scopes, fractional versions, empty logins and bad delays are clear errors at creation', async () => {
  const tokens = await manager()
  assert.throws(() => tokens.create('calvin', { scope: ['read'] }), { code: 'FSA_ERR_OPT_INVALID', message: /JWT/ })
  assert.throws(() => tokens.create('calvin', { version: 1.5 }), { code: 'FSA_ERR_OPT_INVALID', message: /integer/ })
  assert.throws(() => tokens.create(''), { code: 'FSA_ERR_OPT_INVALID', message: /login/ })
  assert.throws(() => tokens.create('calvin', { delay: 0 }), { code: 'FSA_ERR_OPT_INVALID', message: /delay/ })
  assert.throws(() => tokens.create('calvin', { delay: Infinity }), { code: 'FSA_ERR_OPT_INVALID', message: /delay/ })
})

test('tokens signed with another secret are refused', async () => {
  const a = await manager()
  const b = await createTokenManager(Fastify(), resolveTokenOptions({ secret: 'z'.repeat(32) }, 'acme'))
  const token = b.create('calvin')
  assertRefused(() => a.verify(token, 'acme'), 'FSA_ERR_TOKEN_SIGNATURE', token)
})

test('a token version is signed but not written, and only the same version verifies', async () => {
  const tokens = await manager()
  const v0 = tokens.create('calvin')
  const v2 = tokens.create('calvin', { version: 2 })
  assert.equal(v2.split(':').length, 4, 'the format stays realm:login:limit:signature')
  assert.notEqual(v2.split(':')[3], v0.split(':')[3])
  assert.equal(tokens.verify(v2, 'acme', 2).version, 2)
  assert.equal(tokens.verify(v0, 'acme').login, 'calvin')
  assert.equal(tokens.verify(v0, 'acme', 0).login, 'calvin')
  assertRefused(() => tokens.verify(v2, 'acme', 3), 'FSA_ERR_TOKEN_SIGNATURE', v2)
  assertRefused(() => tokens.verify(v0, 'acme', 1), 'FSA_ERR_TOKEN_SIGNATURE', v0)
  assert.equal(tokens.loginOf?.(v2), 'calvin')
  assert.equal(tokens.loginOf?.('garbage'), null)
})
