import { test } from 'node:test'
import assert from 'node:assert/strict'
import { assertRefused } from './helpers/refused.js'
import { createHmac, generateKeyPairSync, sign as cryptoSign } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyJwt from '@fastify/jwt'
import { createTokenManager } from '../lib/tokens/manager.js'
import { resolveTokenOptions, type TokenOptions } from '../lib/tokens/options.js'

const SECRET = 'jwt-test-secret-0123456789-abcdefghij'
const now = () => Math.floor(Date.now() / 1000)
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')

async function manager (opts: TokenOptions = {}, realm = 'acme', app: FastifyInstance = Fastify()) {
  return await createTokenManager(app, resolveTokenOptions({ type: 'jwt', secret: SECRET, ...opts }, realm))
}

/** An HS256 JWT built by hand, independently of the code under test. */
function hs256 (payload: object, secret = SECRET, header: object = { alg: 'HS256', typ: 'JWT' }) {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

function decode (token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>
}

const pem = { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } } as const

test('a created JWT carries sub, aud, iat, exp and optional iss, scope and ver', async () => {
  const tokens = await manager({ issuer: 'acme-idp' })
  const token = tokens.create('calvin', { delay: 10, scope: ['read', 'write'], version: 3 })
  const claims = decode(token)
  assert.equal(claims.sub, 'calvin')
  assert.equal(claims.aud, 'acme')
  assert.equal(claims.iss, 'acme-idp')
  assert.equal(claims.scope, 'read write')
  assert.equal(claims.ver, 3)
  assert.ok(Math.abs((claims.iat as number) - now()) <= 1)
  assert.equal((claims.exp as number) - (claims.iat as number), 600)
  assert.equal(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).alg, 'HS256')
  const info = tokens.verify(token, 'acme')
  assert.deepEqual(info, { login: 'calvin', realm: 'acme', expires: (claims.exp as number) * 1000, scopes: ['read', 'write'], version: 3 })
})

test('a JWT made by hand with the shared secret verifies', async () => {
  const tokens = await manager({ grace: 1 })
  const info = tokens.verify(hs256({ sub: 'hobbes', aud: ['other', 'acme'], exp: now() + 60 }), 'acme')
  assert.equal(info.login, 'hobbes')
  assert.equal(info.expires, (now() + 60) * 1000 + 60_000)
})

test('the audience must be the route realm', async () => {
  const tokens = await manager()
  const token = tokens.create('calvin', { realm: 'mfa' })
  assertRefused(() => tokens.verify(token, 'acme'), 'FSA_ERR_TOKEN_REALM', token)
  assert.equal(tokens.verify(token, 'mfa').login, 'calvin')
})

test('the issuer must match when configured, and must be present', async () => {
  const tokens = await manager({ issuer: 'acme-idp' })
  const wrong = hs256({ sub: 'calvin', aud: 'acme', iss: 'evil', exp: now() + 60 })
  const missing = hs256({ sub: 'calvin', aud: 'acme', exp: now() + 60 })
  assertRefused(() => tokens.verify(wrong, 'acme'), 'FSA_ERR_TOKEN_ISSUER', wrong)
  assertRefused(() => tokens.verify(missing, 'acme'), 'FSA_ERR_TOKEN_ISSUER', missing)
})

test('an expired JWT is refused, unless within grace', async () => {
  const token = hs256({ sub: 'calvin', aud: 'acme', exp: now() - 120 })
  assertRefused(() => (tokens0.verify(token, 'acme')), 'FSA_ERR_TOKEN_EXPIRED', token)
  const lenient = await manager({ grace: 5 })
  assert.equal(lenient.verify(token, 'acme').login, 'calvin')
  const future = hs256({ sub: 'calvin', aud: 'acme', exp: now() + 600, nbf: now() + 300 })
  assertRefused(() => tokens0.verify(future, 'acme'), 'FSA_ERR_TOKEN_EXPIRED', future)
})
const tokens0 = await manager()

test('tampered, foreign and malformed JWTs are refused with the right code', async () => {
  const good = tokens0.create('calvin')
  const [h, p, s] = good.split('.')
  const forged = `${h}.${b64({ ...decode(good), sub: 'admin' })}.${s}`
  const cases: Array<[string, string]> = [
    [forged, 'FSA_ERR_TOKEN_SIGNATURE'],
    [hs256({ sub: 'calvin', aud: 'acme', exp: now() + 60 }, 'another-secret-0123456789-abcdefghij'), 'FSA_ERR_TOKEN_SIGNATURE'],
    [`${h}.${p}`, 'FSA_ERR_TOKEN_MALFORMED'],
    ['not.a.jwt', 'FSA_ERR_TOKEN_MALFORMED'],
    ['', 'FSA_ERR_TOKEN_MALFORMED'],
    [hs256({ aud: 'acme', exp: now() + 60 }), 'FSA_ERR_TOKEN_MALFORMED'],
    [hs256({ sub: 'calvin', exp: now() + 60 }), 'FSA_ERR_TOKEN_MALFORMED'],
    [hs256({ sub: 'calvin', aud: 'acme' }), 'FSA_ERR_TOKEN_MALFORMED'],
    [hs256({ sub: 42, aud: 'acme', exp: now() + 60 }), 'FSA_ERR_TOKEN_MALFORMED'],
    [hs256({ sub: 'calvin', aud: 'acme', exp: now() + 60, scope: ['a'] }), 'FSA_ERR_TOKEN_MALFORMED'],
    [hs256({ sub: 'calvin', aud: 'acme', exp: now() + 60, ver: 1.5 }), 'FSA_ERR_TOKEN_MALFORMED'],
    [hs256({ sub: 'calvin', aud: 'acme', exp: 'tomorrow' }), 'FSA_ERR_TOKEN_MALFORMED'],
    [hs256({ sub: 'calvin', aud: 'acme', exp: [now() + 60] }), 'FSA_ERR_TOKEN_MALFORMED'],
    [hs256({ sub: 'calvin', aud: 'acme', exp: now() + 60 }, SECRET, { alg: 'HS256', crit: ['b64'] }), 'FSA_ERR_TOKEN_MALFORMED']
  ]
  for (const [token, code] of cases) {
    const shown = token === '' ? '\u0000' : token
    assert.throws(() => tokens0.verify(token, 'acme'), (e: Error & { code: string, statusCode: number }) => {
      assert.equal(e.code, code, token)
      assert.equal(e.statusCode, 401)
      assert.ok(!e.message.includes(shown))
      return true
    })
  }
})

test('an unsigned alg none token crafted by hand is refused', async () => {
  const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'admin', aud: 'acme', exp: now() + 600 })}.`
  assertRefused(() => tokens0.verify(none, 'acme'), 'FSA_ERR_TOKEN_SIGNATURE', none)
})

test('a token with another HMAC algorithm than the configured one is refused', async () => {
  const hs512 = await manager({ algorithm: 'HS512' })
  const token = hs512.create('calvin')
  assertRefused(() => tokens0.verify(token, 'acme'), 'FSA_ERR_TOKEN_SIGNATURE', token)
})

for (const [algorithm, type, extra] of [['RS256', 'rsa', { modulusLength: 2048 }], ['ES256', 'ec', { namedCurve: 'P-256' }], ['PS256', 'rsa', { modulusLength: 2048 }]] as const) {
  test(`${algorithm} tokens are signed with the private key and verified with the public key`, async () => {
    const { publicKey, privateKey } = generateKeyPairSync(type as 'rsa', { ...extra, ...pem } as never) as unknown as { publicKey: string, privateKey: string }
    const tokens = await manager({ algorithm, publicKey, privateKey, secret: undefined })
    const token = tokens.create('calvin', { scope: ['read'] })
    assert.equal(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).alg, algorithm)
    assert.deepEqual(tokens.verify(token, 'acme').scopes, ['read'])
    // a third party holding only the public key verifies but cannot sign
    const verifier = await manager({ algorithm, publicKey, secret: undefined })
    assert.equal(verifier.verify(token, 'acme').login, 'calvin')
    assert.throws(() => verifier.create('calvin'), { code: 'FSA_ERR_TOKEN_NO_SIGNER', statusCode: 500 })
  })
}

test('an HS token signed with the RSA public key is refused by an RS256 configuration', async () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: pem.publicKeyEncoding, privateKeyEncoding: pem.privateKeyEncoding })
  const tokens = await manager({ algorithm: 'RS256', publicKey, privateKey, secret: undefined })
  // the classic algorithm confusion attack: HMAC keyed with the (public) verification key
  const confused = hs256({ sub: 'admin', aud: 'acme', exp: now() + 600 }, publicKey)
  assertRefused(() => tokens.verify(confused, 'acme'), 'FSA_ERR_TOKEN_SIGNATURE', confused)
  const hs = tokens0.create('calvin')
  assertRefused(() => tokens.verify(hs, 'acme'), 'FSA_ERR_TOKEN_SIGNATURE', hs)
  // an RS256 signature checked against an ES256-only configuration fails too
  const input = `${b64({ alg: 'RS256' })}.${b64({ sub: 'calvin', aud: 'acme', exp: now() + 60 })}`
  const rs = `${input}.${cryptoSign('sha256', Buffer.from(input), privateKey).toString('base64url')}`
  assert.equal(tokens.verify(rs, 'acme').login, 'calvin')
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: pem.publicKeyEncoding, privateKeyEncoding: pem.privateKeyEncoding })
  const es = await manager({ algorithm: 'ES256', publicKey: ec.publicKey, secret: undefined })
  assertRefused(() => es.verify(rs, 'acme'), 'FSA_ERR_TOKEN_SIGNATURE', rs)
})

test('the application own @fastify/jwt and request.user are left untouched', async () => {
  const app = Fastify()
  const appSecret = 'application-secret-0123456789-abcdefgh'
  await app.register(fastifyJwt, { secret: appSecret })
  let tokens: Awaited<ReturnType<typeof manager>> | undefined
  await app.register(async (instance) => { tokens = await manager({}, 'acme', instance) })
  app.get('/me', async (request) => { await request.jwtVerify(); return request.user })
  await app.ready()
  assert.ok(tokens !== undefined)
  const ours = tokens.create('calvin')
  const theirs = app.jwt.sign({ sub: 'hobbes' })
  assert.equal(tokens.verify(ours, 'acme').login, 'calvin')
  assertRefused(() => tokens?.verify(theirs, 'acme'), 'FSA_ERR_TOKEN_SIGNATURE', theirs)
  assert.throws(() => app.jwt.verify(ours))
  const res = await app.inject({ url: '/me', headers: { authorization: `Bearer ${theirs}` } })
  assert.equal(res.statusCode, 200)
  assert.equal(res.json().sub, 'hobbes')
  assert.equal(Object.keys(app.jwt).includes('fsa'), false)
  await app.close()
})

test('registering our JWT first leaves room for the application @fastify/jwt', async () => {
  const app = Fastify()
  let tokens: Awaited<ReturnType<typeof manager>> | undefined
  await app.register(async (instance) => { tokens = await manager({}, 'acme', instance) })
  await app.register(fastifyJwt, { secret: 'application-secret-0123456789-abcdefgh' })
  app.get('/', async (request) => ({ user: request.user ?? null, hasOurs: 'fsaJwtVerify' in request }))
  await app.ready()
  const res = await app.inject({ url: '/' })
  assert.deepEqual(res.json(), { user: null, hasOurs: false })
  assert.equal(tokens?.verify(tokens.create('calvin'), 'acme').login, 'calvin')
  await app.close()
})

test('bad scopes and versions are clear errors at creation', async () => {
  assert.throws(() => tokens0.create('calvin', { scope: ['read write'] }), { code: 'FSA_ERR_OPT_INVALID', message: /scope/ })
  assert.throws(() => tokens0.create('calvin', { scope: [''] }), { code: 'FSA_ERR_OPT_INVALID', message: /scope/ })
  assert.throws(() => tokens0.create('calvin', { version: 1.5 }), { code: 'FSA_ERR_OPT_INVALID', message: /version/ })
  assert.equal(tokens0.verify(tokens0.create('calvin', { scope: [] }), 'acme').scopes?.length, 0)
})
