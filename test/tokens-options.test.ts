import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { resolveTokenOptions, tokenWarnings, type TokenOptions } from '../lib/tokens/options.js'

const SECRET = 'a-secret-of-at-least-thirty-two-bytes!!'

test('defaults give fsa tokens in a Bearer header valid for an hour', () => {
  const o = resolveTokenOptions({ secret: SECRET }, 'acme')
  assert.equal(o.type, 'fsa')
  assert.equal(o.carrier, 'bearer')
  assert.equal(o.name, 'Bearer')
  assert.equal(o.nameLower, 'bearer')
  assert.equal(o.delay, 60)
  assert.equal(o.delayMs, 3_600_000)
  assert.equal(o.grace, 0)
  assert.equal(o.length, 32)
  assert.equal(o.algorithm, 'HS256')
  assert.equal(o.renewal, 0)
  assert.equal(o.realm, 'acme')
  assert.equal(o.randomSecret, false)
  assert.deepEqual(o.cookie, { path: '/', sameSite: 'lax', secure: 'auto', domain: undefined })
  assert.deepEqual(tokenWarnings(o), [])
})

test('each carrier has its FlaskSimpleAuth default name', () => {
  const names = (['bearer', 'header', 'cookie', 'param'] as const)
    .map((carrier) => resolveTokenOptions({ secret: SECRET, carrier }, 'acme').name)
  assert.deepEqual(names, ['Bearer', 'Auth', 'auth', 'AUTH'])
})

test('no secret gives a random 32-byte secret and a warning', () => {
  const a = resolveTokenOptions(undefined, 'acme')
  const b = resolveTokenOptions({}, 'acme')
  assert.equal(a.randomSecret, true)
  assert.equal(Buffer.from(a.secret, 'base64url').length, 32)
  assert.notEqual(a.secret, b.secret)
  for (const o of [a, b]) {
    assert.deepEqual(tokenWarnings(o), [{ code: 'FSAWRN_TOKEN_RANDOM_SECRET', message: 'random token secret: only suits a single process' }])
  }
})

test('an empty or short secret is refused at start-up without echoing it', () => {
  assert.throws(() => resolveTokenOptions({ secret: '' }, 'acme'), { code: 'FSA_ERR_OPT_SECRET', message: /empty/ })
  assert.throws(() => resolveTokenOptions({ type: 'jwt', secret: 'short-secret-31-bytes-long-abcd' }, 'acme'), (e: Error & { code: string }) => {
    assert.equal(e.code, 'FSA_ERR_OPT_SECRET')
    assert.match(e.message, /shorter than 32 bytes \(31\)/)
    assert.ok(!e.message.includes('short-secret'))
    return true
  })
})

test('the none algorithm and unknown algorithms are refused', () => {
  for (const algorithm of ['none', 'NONE', 'HS999']) {
    assert.throws(() => resolveTokenOptions({ type: 'jwt', secret: SECRET, algorithm }, 'acme'), { code: 'FSA_ERR_OPT_ALGORITHM' })
  }
  assert.throws(() => resolveTokenOptions({ type: 'fsa', secret: SECRET, algorithm: 'HS512' }, 'acme'), { code: 'FSA_ERR_OPT_ALGORITHM', message: /HMAC-SHA256/ })
})

test('asymmetric algorithms need a public key and warn without a private key', () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
  assert.throws(() => resolveTokenOptions({ type: 'jwt', algorithm: 'ES256' }, 'acme'), { code: 'FSA_ERR_OPT_INVALID', message: /token\.publicKey/ })
  const o = resolveTokenOptions({ type: 'jwt', algorithm: 'ES256', publicKey }, 'acme')
  assert.equal(o.canSign, false)
  assert.equal(o.secret, '')
  const warnings = tokenWarnings(o)
  assert.deepEqual(warnings.map((w) => w.code), ['FSAWRN_TOKEN_VERIFY_ONLY'])
  assert.match(warnings[0]?.message ?? '', /ES256 without privateKey: verification only/)
})

test('keys with an HMAC algorithm are refused', () => {
  assert.throws(() => resolveTokenOptions({ type: 'jwt', secret: SECRET, publicKey: 'x' }, 'acme'), { code: 'FSA_ERR_OPT_INVALID', message: /token\.publicKey/ })
  assert.throws(() => resolveTokenOptions({ secret: SECRET, privateKey: 'x' }, 'acme'), { code: 'FSA_ERR_OPT_INVALID', message: /token\.privateKey/ })
})

test('unknown keys are refused with the allowed list', () => {
  const bad = { secret: SECRET, audience: 'x' } as unknown as TokenOptions
  assert.throws(() => resolveTokenOptions(bad, 'acme'), { code: 'FSA_ERR_OPT_UNKNOWN', message: /token\.audience.*carrier/ })
  const badCookie = { secret: SECRET, cookie: { httpOnly: false } } as unknown as TokenOptions
  assert.throws(() => resolveTokenOptions(badCookie, 'acme'), { code: 'FSA_ERR_OPT_UNKNOWN', message: /token\.cookie\.httpOnly.*sameSite/ })
})

test('out of range values are refused with the option path and never the secret', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ length: 8 }, /token\.length/],
    [{ length: 65 }, /token\.length/],
    [{ delay: 0 }, /token\.delay/],
    [{ grace: -1 }, /token\.grace/],
    [{ renewal: 1.5 }, /token\.renewal/],
    [{ carrier: 'url' }, /token\.carrier/],
    [{ type: 'paseto' }, /token\.type/],
    [{ secret: 42 }, /token\.secret/],
    [{ cookie: { sameSite: 'none', secure: false } }, /token\.cookie\.sameSite/]
  ]
  for (const [opts, message] of cases) {
    assert.throws(() => resolveTokenOptions({ secret: SECRET, ...(opts as object) } as TokenOptions, 'acme'), (e: Error & { code: string }) => {
      assert.equal(e.code, 'FSA_ERR_OPT_INVALID')
      assert.match(e.message, message)
      assert.ok(!e.message.includes(SECRET))
      return true
    })
  }
})

test('a bearer or header name must be an HTTP token', () => {
  assert.throws(() => resolveTokenOptions({ secret: SECRET, name: 'My Token' }, 'acme'), { code: 'FSA_ERR_OPT_INVALID', message: /token\.name/ })
  assert.equal(resolveTokenOptions({ secret: SECRET, carrier: 'header', name: 'X-Auth-Token' }, 'acme').nameLower, 'x-auth-token')
})
