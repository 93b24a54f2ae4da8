// Password helpers through the plugin: hashPassword with the quality rules, checkPassword,
// checkPasswordQuality, and a legacy bcrypt hash from getUserPass that still authenticates.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import bcrypt from 'bcryptjs'
import { buildApp } from './helpers/app.js'
import { basic, FAST_PASSWORD } from './helpers/auth-app.js'

async function build (t: TestContext, password: Record<string, unknown> = {}, getUserPass: (login: string) => string | null = () => null) {
  return await buildApp(t, { auth: ['basic', 'none'], password: { ...FAST_PASSWORD, ...password }, getUserPass }, (app) => {
    app.get('/auth', { config: { authorize: 'AUTH' } }, async (req) => req.authUser)
  }, { ready: true })
}

test('app.hashPassword returns an argon2id hash that app.checkPassword accepts', async (t) => {
  const app = await build(t)
  const hash = await app.hashPassword('correct horse battery staple')
  assert.match(hash, /^\$argon2id\$v=19\$m=1024,(p=1,t=1|t=1,p=1)\$/)
  assert.equal(await app.checkPassword('correct horse battery staple', hash), true)
  assert.equal(await app.checkPassword('correct horse battery stapler', hash), false)
  assert.notEqual(await app.hashPassword('correct horse battery staple'), hash, 'salted')
})

test('app.hashPassword applies the quality rules: "too short" and "must match"', async (t) => {
  const app = await build(t, { minLength: 8, regex: ['[0-9]'] })
  await assert.rejects(app.hashPassword('abc1'), { statusCode: 400, message: 'password is too short, must be at least 8 characters' })
  await assert.rejects(app.hashPassword('abcdefghij'), { statusCode: 400, message: 'password must match [0-9]' })
  assert.match(await app.hashPassword('abcdefgh1'), /^\$argon2id\$/)
  assert.match(await app.hashPassword('abc', { check: false }), /^\$argon2id\$/, 'check: false skips the rules')
})

test('app.checkPasswordQuality rejects with a 400 that says what is wrong, and resolves for a good password', async (t) => {
  const app = await build(t, { minLength: 6, quality: (pwd: string) => pwd !== 'password' })
  await assert.rejects(app.checkPasswordQuality('pw'), { code: 'FSA_ERR_PASSWORD_SHORT' })
  await assert.rejects(app.checkPasswordQuality('password'), { code: 'FSA_ERR_PASSWORD_QUALITY' })
  await assert.doesNotReject(app.checkPasswordQuality('Derkins!'))
})

test('app.checkPassword answers false for a malformed stored hash instead of throwing', async (t) => {
  const app = await build(t)
  assert.equal(await app.checkPassword('hobbes', 'not-a-hash'), false)
  assert.equal(await app.checkPassword('hobbes', '$argon2id$garbage'), false)
})

test('a legacy bcrypt hash from getUserPass authenticates', async (t) => {
  const legacy = bcrypt.hashSync('hobbes', 4)
  const app = await build(t, {}, (login) => login === 'calvin' ? legacy : null)
  assert.equal(await app.checkPassword('hobbes', legacy), true)
  const ok = await app.inject({ url: '/auth', headers: { authorization: basic('calvin', 'hobbes') } })
  assert.equal(ok.statusCode, 200)
  assert.equal(ok.body, 'calvin')
  const bad = await app.inject({ url: '/auth', headers: { authorization: basic('calvin', 'calvin') } })
  assert.equal(bad.statusCode, 401)
})

test('OWASP minimum parameters are enforced unless allowWeak', async (t) => {
  await assert.rejects(buildApp(t, { password: { memoryCost: 1024, timeCost: 1 } }), { code: 'FSA_ERR_OPT_INVALID', message: /password/ })
})
