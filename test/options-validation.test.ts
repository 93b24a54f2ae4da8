// Options are checked once, at registration: a typo or a bad value fails ready() with an
// FSA_ERR_OPT_* error that names the key and says what is allowed; the caller's object is untouched.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import secure, { type SecureOptions } from '../lib/index.js'
import { SecureOptionsSchema } from '../lib/core/options.js'
import { resolveSecureOptions } from '../lib/core/resolve.js'
import { checkOptions, describeSchema } from '../lib/options/check.js'
import { Type } from 'typebox'
import { deepFreeze, FAST_PASSWORD, SECRET } from './helpers/auth-app.js'
import { readyError } from './helpers/ready-error.js'

async function startupError (options: unknown): Promise<Error & { code?: string }> {
  return await readyError((app) => app.register(secure, options as SecureOptions))
}

test('an unknown top-level key fails ready() with FSA_ERR_OPT_UNKNOWN naming the key and the allowed keys', async () => {
  const e = await startupError({ auth: 'basic', realmm: 'acme' })
  assert.equal(e.code, 'FSA_ERR_OPT_UNKNOWN')
  assert.match(e.message, /unknown option "realmm"/)
  assert.match(e.message, /allowed here: .*\brealm\b/)
  assert.match(e.message, /errorResponse/)
})

test('an unknown nested key such as token.carier is named with its dotted path', async () => {
  const e = await startupError({ token: { carier: 'cookie', secret: SECRET } })
  assert.equal(e.code, 'FSA_ERR_OPT_UNKNOWN')
  assert.match(e.message, /"token\.carier"/)
  assert.match(e.message, /carrier/)
})

test('an unknown key under param is named and the allowed names are user and pass', async () => {
  const e = await startupError({ param: { user: 'u', password: 'p' } })
  assert.equal(e.code, 'FSA_ERR_OPT_UNKNOWN')
  assert.match(e.message, /"param\.password"/)
  assert.match(e.message, /allowed here: user, pass/)
})

test('a bad value fails with FSA_ERR_OPT_INVALID naming the key and the expected type', async () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ mode: 'production' }, /invalid option "mode": expected "prod" or "dev" or "debug"/],
    [{ secure: 'yes' }, /invalid option "secure": expected a boolean/],
    [{ realm: '' }, /invalid option "realm": expected a non-empty string/],
    [{ auth: 42 }, /invalid option "auth": expected a non-empty string or a list of non-empty strings$/],
    [{ getUserPass: 'users.db' }, /invalid option "getUserPass": expected a function/],
    [{ token: { secret: SECRET, carrier: 'smoke' } }, /invalid option "token\.carrier"/],
    [{ groups: ['admin', ''] }, /invalid option "groups\.1": expected a non-empty string/]
  ]
  for (const [options, message] of cases) {
    const e = await startupError(options)
    assert.equal(e.code, 'FSA_ERR_OPT_INVALID', JSON.stringify(options))
    assert.match(e.message, message)
  }
})

test('options that are not an object are refused', async () => {
  for (const bad of [null, 'password', ['basic'], 42]) {
    assert.throws(() => resolveSecureOptions(bad), { code: 'FSA_ERR_OPT_INVALID', message: /"\(options\)": expected an object/ }, String(bad))
  }
})

test('a bad errorResponse string is refused with the accepted forms', async () => {
  for (const bad of ['xml', 'json:', 'json:a b', 'JSON']) {
    const e = await startupError({ errorResponse: bad })
    assert.equal(e.code, 'FSA_ERR_OPT_INVALID', bad)
    assert.match(e.message, /"errorResponse": expected "plain", "json", "json:KEY" or a function/)
  }
})

test('an unknown scheme in auth is refused with the known schemes', async () => {
  const e = await startupError({ auth: ['token', 'kerberos'], token: { secret: SECRET } })
  assert.equal(e.code, 'FSA_ERR_OPT_SCHEME')
  assert.match(e.message, /unknown authentication scheme "kerberos" in auth/)
  assert.match(e.message, /basic/)
})

test('authDefault must only name enabled schemes', async () => {
  const e = await startupError({ auth: ['basic', 'none'], authDefault: ['token'] })
  assert.equal(e.code, 'FSA_ERR_OPT_SCHEME')
  assert.match(e.message, /"token" in authDefault \(available: basic, none\)/)
})

test('param user and pass must differ', async () => {
  const e = await startupError({ param: { user: 'x', pass: 'x' } })
  assert.equal(e.code, 'FSA_ERR_OPT_INVALID')
  assert.match(e.message, /"param": user and pass must be different names/)
})

test('the caller\'s options object is not mutated, even deeply frozen', async () => {
  const options = deepFreeze({
    auth: ['token', 'basic', 'none'],
    getUserPass: () => null,
    realm: 'acme',
    token: { secret: SECRET, carrier: 'bearer' as const },
    password: { ...FAST_PASSWORD },
    param: { user: 'u' },
    cache: { ttl: 30 },
    addHeaders: { 'X-Acme': 'yes' }
  })
  const before = JSON.stringify(options)
  const app = Fastify()
  await app.register(secure, options)
  app.get('/open', { config: { authorize: 'OPEN' } }, async () => 'ok')
  await app.ready()
  const res = await app.inject('/open')
  assert.equal(res.statusCode, 200)
  assert.equal(res.headers['x-acme'], 'yes')
  assert.equal(JSON.stringify(options), before)
  await app.close()
})

test('describeSchema says what a schema allows in plain words', () => {
  assert.equal(describeSchema(undefined), 'nothing')
  assert.equal(describeSchema(Type.Integer({ minimum: 1, maximum: 9 })), 'an integer >= 1 and <= 9')
  assert.equal(describeSchema(Type.Number()), 'a number')
  assert.equal(describeSchema(Type.Object({ a: Type.String() })), 'an object with keys a')
  assert.equal(describeSchema(Type.Record(Type.String(), Type.String())), 'an object')
  assert.equal(describeSchema(Type.Null()), 'a null')
})

test('checkOptions prefixes the key with the enclosing option', () => {
  assert.throws(() => checkOptions(Type.Object({ a: Type.Boolean() }, { additionalProperties: false }), { a: 1 }, 'outer'),
    { code: 'FSA_ERR_OPT_INVALID', message: /"outer\.a": expected a boolean/ })
  assert.doesNotThrow(() => checkOptions(SecureOptionsSchema, {}))
})

test('one wording for the same mistake, whichever plugin or option part finds it', async () => {
  const { resolveCacheOptions } = await import('../lib/cache/options.js')
  const { resolveUsersOptions } = await import('../lib/accounts/options.js')
  const viaPlugin = await startupError({ cache: { ttl: 0 } })
  assert.throws(() => resolveCacheOptions({ ttl: 0 }), { message: viaPlugin.message })
  assert.equal(viaPlugin.message, 'invalid option "cache.ttl": expected a number > 0')
  assert.throws(() => resolveUsersOptions({ routes: { admin: 'no' } } as never), { code: 'FSA_ERR_OPT_INVALID', message: 'invalid option "routes.admin": expected a boolean' })
  assert.throws(() => resolveUsersOptions({ routes: { adm: false } } as never), { code: 'FSA_ERR_OPT_UNKNOWN', message: /^unknown option "routes\.adm" \(allowed here: register, login, logout, sessions, me, data, password, reset, confirm, admin\)$/ })
})

test('inside a list or an object the message names the item, elsewhere every allowed form', async () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ auth: ['token', ''] }, /^invalid option "auth\.1": expected a non-empty string$/],
    [{ store: { hello: 'world' } }, /^invalid option "store": expected "env", a database URL or a UserStore$/],
    [{ cache: { redis: { host: '127.0.0.1' } } }, /^invalid option "cache\.redis": expected a redis:\/\/ or rediss:\/\/ URL or an ioredis instance$/],
    [{ password: { regex: ['[0-9]', '('] } }, /^invalid option "password\.regex\.1": expected a valid regular expression or a RegExp$/],
    [{ addHeaders: { 'X-A': 1 } }, /^invalid option "addHeaders\.X-A": expected a string or a function$/],
    [{ token: { cookie: { secure: 'yes' } } }, /^invalid option "token\.cookie\.secure": expected "auto" or a boolean$/]
  ]
  for (const [options, message] of cases) {
    const e = await startupError(options)
    assert.equal(e.code, 'FSA_ERR_OPT_INVALID', JSON.stringify(options))
    assert.match(e.message, message)
  }
})

test('a secret is never part of a message', async () => {
  const e = await startupError({ token: { secret: 42, carrier: 'smoke' } })
  assert.doesNotMatch(e.message, /42|smoke/)
})
