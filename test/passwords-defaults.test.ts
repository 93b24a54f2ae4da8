// Issue 12, problem 6: weak defaults. New passwords need 8 characters by default (NIST SP
// 800-63B's floor), `password.refuseCommon` refuses the common-password list of the optional peer
// @zxcvbn-ts/language-common case-insensitively, and control characters are refused.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { checkPasswordQuality } from '../lib/passwords/quality.js'
import { resolvePasswordOptions } from '../lib/passwords/options.js'
import { isCommonPassword } from '../lib/passwords/common.js'
import { buildAccountsApp } from './helpers/accounts-app.js'

/** Cheap hashing, and no minLength: the library's default applies. */
const HASHING = { allowWeak: true, memoryCost: 1024, timeCost: 1 }
const register = (password: string) => ({ method: 'POST' as const, url: '/auth/register', payload: { login: 'calvin', email: 'calvin@example.com', password } })

test('by default a password needs 8 characters: "a" and 7 characters are refused at registration', async (t) => {
  const { app, store } = await buildAccountsApp(t, { secure: { password: HASHING }, users: { confirmOnRegister: false } })
  for (const short of ['a', 'abcdefg', 'ééééééé']) {
    const res = await app.inject(register(short))
    assert.equal(res.statusCode, 400, short)
    assert.equal(res.body, 'password is too short, must be at least 8 characters')
  }
  assert.equal(await store.getUser('calvin'), null)
  assert.equal((await app.inject(register('abcdefgh'))).statusCode, 201)
})

test('refuseCommon refuses listed passwords whatever their case, and accepts others', async (t) => {
  const { app } = await buildAccountsApp(t, { secure: { password: { ...HASHING, refuseCommon: true } }, users: { confirmOnRegister: false } })
  for (const common of ['password1', 'Password1', 'PASSWORD1', 'iloveyou', 'Sunshine', 'trustno1']) {
    const res = await app.inject(register(common))
    assert.equal(res.statusCode, 400, common)
    assert.equal(res.body, 'password is too common, choose another one')
  }
  assert.equal((await app.inject(register('Wagon-Tiger-1985-snow'))).statusCode, 201)
})

test('the common-password list is off by default and compared case-insensitively', async () => {
  await checkPasswordQuality('password1', resolvePasswordOptions({}))
  const strict = resolvePasswordOptions({ refuseCommon: true })
  await assert.rejects(checkPasswordQuality('Qwerty123', strict), { code: 'FSA_ERR_PASSWORD_COMMON', statusCode: 400 })
  assert.equal(await isCommonPassword('DRAGON'), true)
  assert.equal(await isCommonPassword('Wagon-Tiger-1985-snow'), false)
})

test('a new password with a control character is refused (it could never be used to log in)', async () => {
  await assert.rejects(checkPasswordQuality('hobbes\0hobbes', resolvePasswordOptions({})), { code: 'FSA_ERR_PASSWORD_QUALITY', statusCode: 400 })
  await assert.rejects(checkPasswordQuality('hobbes\u0085hobbes', resolvePasswordOptions({})), { statusCode: 400 })
})
