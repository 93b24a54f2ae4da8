/**
 * Issue 12, problem 3: a Redis cache is not trusted blindly. Before, two applications with
 * different secrets on one Redis prefix accepted each other's tokens and passwords once validated
 * (the entries were shared by name), and one `SET fsa:token:<sha256(token)> {"login":"root",…}`
 * made any string a token for root. Entry names are now keyed hashes and values sealed with the
 * cache secret (derived from the token secret here), so foreign and forged entries are misses.
 * Needs FSA_TEST_REDIS_URL; each test has its own key prefix.
 */
import { describe, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'
import { hash } from '@node-rs/argon2'
import { resolveSecureOptions } from '../lib/core/resolve.js'
import { cacheSecretOf, sealedMember } from '../lib/cache/seal.js'
import type { SecureOptions } from '../lib/index.js'
import { buildApp } from './helpers/app.js'
import { until } from './helpers/redis-server.js'

const REDIS_URL = process.env.FSA_TEST_REDIS_URL
const SECRET_A = 'a'.repeat(40)
const SECRET_B = 'b'.repeat(40)

function redis (t: TestContext): Redis {
  const r = new Redis(REDIS_URL as string)
  t.after(() => r.disconnect())
  return r
}

/** An app with its own users (`hashes`) and token secret on a shared Redis prefix. */
async function app (t: TestContext, prefix: string, secret: string, hashes: Record<string, string>): Promise<FastifyInstance> {
  return await buildApp(t, {
    auth: ['token', 'basic', 'none'],
    token: { secret },
    getUserPass: (login: string) => hashes[login] ?? null,
    cache: { type: 'redis', redis: REDIS_URL, prefix }
  } as SecureOptions, (a) => {
    a.get('/me', { config: { authorize: 'AUTH' } }, async (req) => req.authUser)
  }, { ready: true })
}

const basic = (login: string, password: string) => ({ authorization: 'Basic ' + Buffer.from(`${login}:${password}`).toString('base64') })
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('a Redis cache shared by applications or writable by others', { skip: REDIS_URL === undefined ? 'FSA_TEST_REDIS_URL not set' : false }, () => {
  test('two apps with different secrets on one prefix accept neither each other\'s tokens nor passwords', async (t) => {
    const prefix = `fsa-test:${randomUUID()}:`
    const a = await app(t, prefix, SECRET_A, { calvin: await hash('password-of-a') })
    const b = await app(t, prefix, SECRET_B, { calvin: await hash('password-of-b') })
    const token = await a.createToken('calvin')
    assert.equal((await a.inject({ url: '/me', headers: bearer(token) })).statusCode, 200)
    assert.equal((await a.inject({ url: '/me', headers: basic('calvin', 'password-of-a') })).statusCode, 200)
    const r = redis(t)
    await until(async () => (await r.keys(prefix + '*')).length >= 3) // a's entries are on Redis
    assert.equal((await b.inject({ url: '/me', headers: bearer(token) })).statusCode, 401, "a's token is not b's")
    assert.equal((await b.inject({ url: '/me', headers: basic('calvin', 'password-of-a') })).statusCode, 401, "a's password is not b's")
    assert.equal((await b.inject({ url: '/me', headers: basic('calvin', 'password-of-b') })).statusCode, 200)
  })

  test('a forged entry written to Redis makes no token: neither under the old name, nor under the real one, nor a sealed entry moved', async (t) => {
    const prefix = `fsa-test:${randomUUID()}:`
    const victim = await app(t, prefix, SECRET_A, { root: await hash('root-password'), calvin: await hash('calvin-password') })
    const r = redis(t)
    const forged = 'any-string-at-all'
    const info = JSON.stringify({ login: 'root', realm: 'fastify', expires: Date.now() + 3_600_000 })
    // the old layout: the SHA-256 of the token
    await r.set(prefix + 'token:' + createHash('sha256').update(forged).digest('base64url'), info)
    // the real name (as if the attacker had learnt it), with an unsealed value and with a made-up seal
    const name = prefix + sealedMember(cacheSecretOf(SECRET_A), 'token', forged)
    await r.set(name, info)
    assert.equal((await victim.inject({ url: '/me', headers: bearer(forged) })).statusCode, 401)
    await r.set(name, 'x'.repeat(43) + info)
    assert.equal((await victim.inject({ url: '/me', headers: bearer(forged) })).statusCode, 401)
    // a genuine sealed entry (root's token info) copied under the forged token's name
    const rootToken = await victim.createToken('root')
    assert.equal((await victim.inject({ url: '/me', headers: bearer(rootToken) })).statusCode, 200)
    const rootName = prefix + sealedMember(cacheSecretOf(SECRET_A), 'token', rootToken)
    await until(async () => (await r.exists(rootName)) === 1)
    await r.set(name, await r.get(rootName) ?? '')
    const other = await app(t, prefix, SECRET_A, {}) // a fresh instance: nothing in its local layer
    assert.equal((await other.inject({ url: '/me', headers: bearer(forged) })).statusCode, 401)
    assert.equal((await other.inject({ url: '/me', headers: bearer(rootToken) })).statusCode, 200, 'the genuine entry still serves')
    assert.ok((other.fsa.cacheStats().redisRejected ?? 0) >= 1)
  })
})

test('a shared cache without cache.secret or a token secret to derive it from fails start-up', async (t) => {
  assert.throws(() => resolveSecureOptions({ auth: ['basic'], getUserPass: () => null, cache: { type: 'redis' } }), { code: 'FSA_ERR_OPT_CACHE_SECRET' })
  assert.throws(() => resolveSecureOptions({ auth: ['token'], cache: { type: 'redis' } }), { code: 'FSA_ERR_OPT_CACHE_SECRET' }, 'a random token secret is no source')
  assert.ok(resolveSecureOptions({ auth: ['token'], token: { secret: SECRET_A }, cache: { type: 'redis' } }).cache.secret instanceof Buffer)
  assert.ok(resolveSecureOptions({ auth: ['basic'], getUserPass: () => null, cache: { type: 'redis', secret: SECRET_B } }).cache.secret instanceof Buffer)
  await assert.rejects(buildApp(t, { auth: ['basic'], getUserPass: () => null, cache: { type: 'redis' } } as SecureOptions, undefined, { ready: true }), { code: 'FSA_ERR_OPT_CACHE_SECRET' })
})
