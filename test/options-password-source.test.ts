// A password scheme (basic, param, or 'password') needs something that checks passwords: a
// getUserPass, the store or password.check. Enabled without one, every login would be a 401, so
// it is a start-up error; without `auth`, the FlaskSimpleAuth default 'password' keeps the
// password schemes only when such a source exists, so a token-only application starts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import secure, { type SecureOptions } from '../lib/index.js'
import { basic, FAST_PASSWORD, SECRET } from './helpers/auth-app.js'

async function start (options: SecureOptions): Promise<ReturnType<typeof Fastify>> {
  const app = Fastify()
  await app.register(secure, { password: FAST_PASSWORD, token: { secret: SECRET }, ...options })
  app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => req.user)
  app.get('/open', { config: { authorize: 'OPEN' } }, async () => 'open')
  await app.ready()
  return app
}

test('basic, param or password named in auth without a password source fail ready() naming the scheme', async () => {
  for (const auth of ['basic', ['param', 'none'], 'password', ['token', 'password']]) {
    const app = Fastify()
    app.register(secure, { auth, token: { secret: SECRET } })
    await assert.rejects(async () => { await app.ready() }, (e: Error & { code?: string }) => {
      assert.equal(e.code, 'FSA_ERR_OPT_PASSWORD_SOURCE', JSON.stringify(auth))
      assert.match(e.message, /the "(basic|param)" scheme checks passwords but nothing provides them: give getUserPass, store or password\.check/)
      return true
    })
    await app.close()
  }
})

test('password.check alone is a password source', async (t) => {
  const app = await start({ auth: ['basic', 'none'], password: { ...FAST_PASSWORD, check: (login, pwd) => login === 'calvin' && pwd === 'hobbes' } })
  t.after(() => app.close())
  assert.equal((await app.inject({ url: '/me', headers: { authorization: basic('calvin', 'hobbes') } })).body, 'calvin')
})

test('without auth and without a password source, a token-only application starts with token and none', async (t) => {
  const app = await start({})
  t.after(() => app.close())
  assert.deepEqual(app.fsa.schemes, ['token', 'none'])
  const token = await app.createToken('calvin')
  assert.equal((await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })).body, 'calvin')
  assert.equal((await app.inject('/open')).body, 'open')
  const res = await app.inject({ url: '/me', headers: { authorization: basic('calvin', 'hobbes') } })
  assert.equal(res.statusCode, 401)
  assert.equal(res.body, 'missing authentication')
  assert.doesNotMatch(String(res.headers['www-authenticate']), /Basic/, 'no basic challenge for a scheme that is not there')
})

test('without auth, a getUserPass or a store keeps FlaskSimpleAuth\'s default: token, none, basic, param', async (t) => {
  const withCallback = await start({ getUserPass: () => null })
  const withStore = await start({ store: 'sqlite::memory:' })
  t.after(async () => { await withCallback.close(); await withStore.close() })
  assert.deepEqual(withCallback.fsa.schemes, ['token', 'none', 'basic', 'param'])
  assert.deepEqual(withStore.fsa.schemes, ['token', 'none', 'basic', 'param'])
})
