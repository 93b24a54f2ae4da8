import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { credentialsKey, createCredentialsSecret, prepareCredentialsSecret, CREDENTIALS_SECRET_BYTES } from '../lib/cache/credentials.js'
import { createCacheLayer } from '../lib/cache/layer.js'
import { resolveCacheOptions } from '../lib/cache/options.js'

const secret = prepareCredentialsSecret(Buffer.alloc(32, 7))

test('the process secret is 64 random bytes of 7 bits (448 bits), different every time', () => {
  const a = createCredentialsSecret()
  const b = createCredentialsSecret()
  assert.equal(a.key.length, CREDENTIALS_SECRET_BYTES)
  assert.equal(a.key.length, 64)
  assert.ok(a.key.every((x) => x < 0x80))
  assert.notDeepEqual(a.key, b.key)
})

test('the key is exactly HMAC-SHA256 with the process secret, for any login and password (property)', () => {
  const random = createCredentialsSecret()
  fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (login, password) =>
    credentialsKey(random, login, password) === createHmac('sha256', random.key).update(`${login.length}:${login}${password}`, 'utf8').digest('base64url')
  ), { numRuns: 300 })
})

test('a credentials secret longer than a block or with a byte of 0x80 or more is refused', () => {
  assert.throws(() => prepareCredentialsSecret(Buffer.alloc(65, 1)), RangeError)
  assert.throws(() => prepareCredentialsSecret(Buffer.from([1, 0x80])), RangeError)
})

test('the key is the base64url HMAC-SHA256 of the length-prefixed login and the password', () => {
  const expected = createHmac('sha256', secret.key).update('6:calvinhobbes').digest('base64url')
  const key = credentialsKey(secret, 'calvin', 'hobbes')
  assert.equal(key, expected)
  assert.match(key, /^[A-Za-z0-9_-]{43}$/)
})

test('the same pair gives the same key and another secret gives another key', () => {
  assert.equal(credentialsKey(secret, 'calvin', 'hobbes'), credentialsKey(secret, 'calvin', 'hobbes'))
  assert.notEqual(credentialsKey(secret, 'calvin', 'hobbes'), credentialsKey(prepareCredentialsSecret(Buffer.alloc(32, 8)), 'calvin', 'hobbes'))
})

test('moving the separator between login and password changes the key', () => {
  // with a plain join these pairs would both read 'a:b:c'
  assert.notEqual(credentialsKey(secret, 'a:b', 'c'), credentialsKey(secret, 'a', 'b:c'))
  // the length prefix, not a separator, splits login from password
  assert.notEqual(credentialsKey(secret, 'ab', 'c'), credentialsKey(secret, 'a', 'bc'))
  assert.notEqual(credentialsKey(secret, '1:a', 'b'), credentialsKey(secret, '1', ':ab'))
  assert.notEqual(credentialsKey(secret, 'ab', 'c'), credentialsKey(secret, 'a', 'bc'))
  assert.notEqual(credentialsKey(secret, '', 'abc'), credentialsKey(secret, 'abc', ''))
  // the length counts UTF-8 bytes, so multi-byte logins cannot be shifted either
  assert.notEqual(credentialsKey(secret, 'é', 'x'), credentialsKey(secret, 'e', '\u0301x'))
})

test('distinct login and password pairs never share a key (property)', () => {
  fc.assert(fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (l1, p1, l2, p2) => {
    fc.pre(l1 !== l2 || p1 !== p2)
    return credentialsKey(secret, l1, p1) !== credentialsKey(secret, l2, p2)
  }), { numRuns: 500 })
})

test('the key reveals neither the login nor the password', () => {
  const key = credentialsKey(secret, 'calvin', 'hobbes-and-more')
  for (const part of ['calvin', 'hobbes', Buffer.from('hobbes').toString('base64url')]) assert.ok(!key.includes(part))
})

test('a verified password is remembered under its key until the user is uncached', async () => {
  const cache = await createCacheLayer(resolveCacheOptions({ credentials: { enabled: true, ttl: 30 } }), { warn: () => {} })
  let verifications = 0
  // what the password schemes do: verify (argon2) on a miss, and return undefined on failure so it is not cached
  const verify = (login: string, password: string) => () => {
    verifications++
    return password === 'hobbes' ? login : undefined
  }
  const check = (login: string, password: string) => cache.memo('credentials', credentialsKey(secret, login, password), login, verify(login, password))
  assert.equal(check('calvin', 'hobbes'), 'calvin')
  assert.equal(check('calvin', 'hobbes'), 'calvin')
  assert.equal(check('calvin', 'wrong'), undefined)
  assert.equal(check('calvin', 'wrong'), undefined)
  assert.equal(verifications, 3)
  await cache.uncacheUser('calvin') // password changed
  assert.equal(check('calvin', 'hobbes'), 'calvin')
  assert.equal(verifications, 4)
})
