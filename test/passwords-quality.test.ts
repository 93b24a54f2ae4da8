import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { optionProblems } from '../lib/options/check.js'
import { createPasswordManager } from '../lib/passwords/manager.js'
import { PASSWORD_DEFAULTS, PasswordOptionsSchema, meetsOwasp, resolvePasswordOptions } from '../lib/passwords/options.js'
import type { PasswordOptions } from '../lib/passwords/options.js'
import { checkPasswordQuality, codePointLength } from '../lib/passwords/quality.js'

// minLength 0: these tests are about hashing and the rules they set, not the 8-character default
const CHEAP = { memoryCost: 256, timeCost: 1, allowWeak: true, minLength: 0 } as const
const rules = (opts: PasswordOptions) => resolvePasswordOptions({ ...CHEAP, ...opts })

describe('password options schema', () => {
  test('accepts every documented key, including functions and regular expressions', () => {
    const opts = {
      backend: '@node-rs/argon2', memoryCost: 65536, timeCost: 3, parallelism: 2, allowWeak: false,
      minLength: 8, maxLength: 256, regex: ['[0-9]', /[A-Z]/u], quality: async () => true,
      check: (_login: string, _pwd: string) => null, concurrency: 2, queueLimit: 10
    }
    assert.deepEqual(optionProblems(PasswordOptionsSchema, opts), [])
    assert.deepEqual(optionProblems(PasswordOptionsSchema, {}), [])
    assert.deepEqual(optionProblems(PasswordOptionsSchema, { regex: /x/ }), [])
  })

  test('rejects unknown keys and bad values, naming the offending path', () => {
    const bad: Array<[unknown, string]> = [
      [{ backend: 'bcrypt' }, 'backend'],
      [{ memoryCost: 4 }, 'memoryCost'],
      [{ memoryCost: 19456.5 }, 'memoryCost'],
      [{ timeCost: 0 }, 'timeCost'],
      [{ parallelism: 256 }, 'parallelism'],
      [{ minLength: -1 }, 'minLength'],
      [{ maxLength: 0 }, 'maxLength'],
      [{ regex: '(' }, 'regex'],
      [{ regex: ['[0-9]', '['] }, 'regex.1'],
      [{ regex: 42 }, 'regex'],
      [{ regex: {} }, 'regex'],
      [{ quality: 'strong' }, 'quality'],
      [{ check: true }, 'check'],
      [{ concurrency: 0 }, 'concurrency'],
      [{ queueLimit: -1 }, 'queueLimit'],
      [{ allowWeak: 'yes' }, 'allowWeak']
    ]
    const unknown = optionProblems(PasswordOptionsSchema, { scheme: 'argon2id' })
    assert.deepEqual(unknown.map((p) => [p.kind, p.path.join('.')]), [['unknown', 'scheme']])
    for (const [value, path] of bad) {
      const paths = optionProblems(PasswordOptionsSchema, value).map((p) => p.path.join('.'))
      assert.deepEqual(paths, [path], JSON.stringify(value))
    }
  })
})

describe('resolving password options', () => {
  test('fills the documented defaults, OWASP argon2id parameters included', () => {
    const r = resolvePasswordOptions()
    assert.equal(r.backend, '@node-rs/argon2')
    assert.deepEqual([r.memoryCost, r.timeCost, r.parallelism], [19456, 2, 1])
    assert.deepEqual([r.minLength, r.maxLength, r.queueLimit], [8, 1024, 1000])
    assert.equal(r.concurrency, PASSWORD_DEFAULTS.concurrency)
    assert.ok(r.concurrency >= 1 && r.concurrency <= 4)
    assert.deepEqual(r.regex, [])
    assert.equal(r.refuseCommon, false)
    assert.equal(r.quality, undefined)
    assert.ok(Object.isFrozen(r))
  })

  test('refuses parameters below the OWASP minimum unless allowWeak is set', () => {
    assert.throws(() => resolvePasswordOptions({ memoryCost: 8192 }), { code: 'FSA_ERR_OPT_INVALID', message: /OWASP/ })
    assert.throws(() => resolvePasswordOptions({ timeCost: 1 }), { code: 'FSA_ERR_OPT_INVALID' })
    assert.equal(resolvePasswordOptions({ memoryCost: 12288, timeCost: 3 }).memoryCost, 12288)
    assert.equal(resolvePasswordOptions({ memoryCost: 47104, timeCost: 1 }).timeCost, 1)
    assert.equal(resolvePasswordOptions({ memoryCost: 1024, timeCost: 1, allowWeak: true }).memoryCost, 1024)
    assert.equal(meetsOwasp(7168, 5), true)
    assert.equal(meetsOwasp(7167, 5), false)
  })

  test('refuses contradictory limits and impossible lane counts at start-up', () => {
    assert.throws(() => rules({ minLength: 20, maxLength: 10 }), { code: 'FSA_ERR_OPT_INVALID', message: /minLength/ })
    assert.throws(() => rules({ memoryCost: 16, parallelism: 4 }), { code: 'FSA_ERR_OPT_INVALID', message: /per lane/ })
    assert.throws(() => rules({ regex: '(unclosed' }), { code: 'FSA_ERR_OPT_INVALID', message: /"password\.regex": expected a regular expression/ })
    assert.throws(() => rules({ regex: 3 as unknown as string }), { code: 'FSA_ERR_OPT_INVALID' })
    assert.throws(() => rules({ quality: 'x' as unknown as () => boolean }), { code: 'FSA_ERR_OPT_INVALID' })
    assert.throws(() => rules({ check: 1 as unknown as () => boolean }), { code: 'FSA_ERR_OPT_INVALID' })
  })

  test('compiles patterns once, without mutating the caller options or sharing stateful flags', async () => {
    const global = /[0-9]/g
    const opts: PasswordOptions = { ...CHEAP, regex: [global, '[a-z]'] }
    const r = resolvePasswordOptions(opts)
    assert.deepEqual(opts.regex, [global, '[a-z]'])
    assert.ok(r.regex.every((rule) => rule.re instanceof RegExp && !rule.re.global && !rule.re.sticky))
    // With the g flag kept, every second test() of the same input would fail.
    for (let i = 0; i < 3; i++) await checkPasswordQuality('abc1', r)
    assert.equal(global.lastIndex, 0)
  })
})

describe('password quality rules', () => {
  test('a password under minLength is a 400 saying it is too short', async () => {
    const r = rules({ minLength: 8 })
    await assert.rejects(checkPasswordQuality('1234567', r), { code: 'FSA_ERR_PASSWORD_SHORT', statusCode: 400, message: /too short, must be at least 8/ })
    await checkPasswordQuality('12345678', r)
  })

  test('lengths count Unicode code points, not UTF-16 units', async () => {
    assert.equal(codePointLength('😀😀😀'), 3)
    assert.equal(codePointLength('😀'.repeat(10), 4), 5)
    assert.equal(codePointLength('abc'), 3)
    await checkPasswordQuality('😀😀😀', rules({ minLength: 3, maxLength: 3 }))
    await assert.rejects(checkPasswordQuality('😀😀😀😀', rules({ maxLength: 3 })), { code: 'FSA_ERR_PASSWORD_LONG', statusCode: 400, message: /too long/ })
  })

  test('every regex must match, and the message names the failing pattern', async () => {
    const r = rules({ regex: ['[0-9]', /[A-Z]/] })
    await assert.rejects(checkPasswordQuality('abcdef', r), { code: 'FSA_ERR_PASSWORD_REGEX', statusCode: 400, message: 'password must match [0-9]' })
    await assert.rejects(checkPasswordQuality('abc123', r), { code: 'FSA_ERR_PASSWORD_REGEX', message: 'password must match [A-Z]' })
    await checkPasswordQuality('Abc123', r)
    await assert.rejects(checkPasswordQuality('x', rules({ regex: 'y' })), { message: /must match y/ })
  })

  test('a quality callback returning false is a 400 "password quality too low"', async () => {
    const seen: string[] = []
    const r = rules({ quality: (pwd) => { seen.push(pwd); return pwd !== 'password' } })
    await assert.rejects(checkPasswordQuality('password', r), { code: 'FSA_ERR_PASSWORD_QUALITY', statusCode: 400, message: 'password quality too low' })
    await checkPasswordQuality('tr0ub4dor', r)
    assert.deepEqual(seen, ['password', 'tr0ub4dor'])
  })

  test('an async quality callback is awaited', async () => {
    const r = rules({ quality: async (pwd) => { await new Promise((resolve) => setTimeout(resolve, 5)); return pwd.length > 3 } })
    await assert.rejects(checkPasswordQuality('abc', r), { message: 'password quality too low' })
    await checkPasswordQuality('abcd', r)
  })

  test('a throwing quality callback gives its reason in the 400 message', async () => {
    const sync = rules({ quality: () => { throw new Error('found in a breach corpus') } })
    await assert.rejects(checkPasswordQuality('123456', sync), { code: 'FSA_ERR_PASSWORD_QUALITY', statusCode: 400, message: 'password quality too low: found in a breach corpus' })
    const asyncReject = rules({ quality: async () => { throw new Error('too predictable') } })
    await assert.rejects(checkPasswordQuality('abc', asyncReject), { message: 'password quality too low: too predictable' })
    const notAnError = rules({ quality: () => { throw 'dictionary word' as unknown as Error } })
    await assert.rejects(checkPasswordQuality('abc', notAnError), { message: 'password quality too low: dictionary word' })
  })

  test('rules apply in order: length, then patterns, then the callback', async () => {
    let called = false
    const r = rules({ minLength: 4, regex: '[0-9]', quality: () => { called = true; return false } })
    await assert.rejects(checkPasswordQuality('ab', r), { code: 'FSA_ERR_PASSWORD_SHORT' })
    await assert.rejects(checkPasswordQuality('abcd', r), { code: 'FSA_ERR_PASSWORD_REGEX' })
    assert.equal(called, false)
    await assert.rejects(checkPasswordQuality('abcd1', r), { code: 'FSA_ERR_PASSWORD_QUALITY' })
    assert.equal(called, true)
  })

  test('hash applies the rules unless check is false, and errors never contain the password', async () => {
    const pm = createPasswordManager(rules({ minLength: 12, regex: '[0-9]' }))
    await assert.rejects(pm.hash('Secret-Value'), (e: Error & { statusCode: number }) =>
      e.statusCode === 400 && /must match \[0-9\]/.test(e.message) && !e.message.includes('Secret-Value'))
    await assert.rejects(pm.checkQuality('short1'), { code: 'FSA_ERR_PASSWORD_SHORT', message: /too short/ })
    assert.match(await pm.hash('short', { check: false }), /^\$argon2id\$/)
    assert.match(await pm.hash('long enough 1'), /^\$argon2id\$/)
  })
})
