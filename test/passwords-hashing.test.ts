import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import bcrypt from 'bcryptjs'
import * as nodeArgon2 from 'argon2'
import { err } from '../lib/index.js'
import { argon2NeedsRehash, parseArgon2Hash } from '../lib/passwords/argon2.js'
import type { Argon2BackendName } from '../lib/passwords/argon2.js'
import { isBcryptHash } from '../lib/passwords/bcrypt.js'
import { createPasswordManager } from '../lib/passwords/manager.js'
import { resolvePasswordOptions } from '../lib/passwords/options.js'
import type { PasswordOptions } from '../lib/passwords/options.js'

// Cheap parameters keep the suite fast; the OWASP defaults get their own test.
// minLength 0: these tests are about hashing and the rules they set, not the 8-character default
const CHEAP = { memoryCost: 256, timeCost: 1, allowWeak: true, minLength: 0 } as const
const manager = (opts: PasswordOptions = {}) => createPasswordManager(resolvePasswordOptions({ ...CHEAP, ...opts }))
const BACKENDS: Argon2BackendName[] = ['argon2', '@node-rs/argon2']

describe('argon2 hashing', () => {
  test('the defaults hash with argon2id at the OWASP parameters and verify without rehash', async () => {
    const pm = createPasswordManager(resolvePasswordOptions())
    const digest = await pm.hash('correct horse battery staple')
    assert.match(digest, /^\$argon2id\$v=19\$/)
    const info = parseArgon2Hash(digest)
    assert.deepEqual(info && { m: info.memoryCost, t: info.timeCost, p: info.parallelism }, { m: 19456, t: 2, p: 1 })
    assert.deepEqual(await pm.verify('correct horse battery staple', digest), { ok: true, rehash: false })
  })

  for (const backend of BACKENDS) {
    test(`${backend} round-trips a password with the configured parameters`, async () => {
      const pm = manager({ backend, memoryCost: 512, timeCost: 2, parallelism: 2 })
      const digest = await pm.hash('pässwörd 😀')
      const info = parseArgon2Hash(digest)
      assert.equal(info?.variant, 'argon2id')
      assert.equal(info?.version, 19)
      assert.deepEqual([info?.memoryCost, info?.timeCost, info?.parallelism], [512, 2, 2])
      assert.deepEqual(await pm.verify('pässwörd 😀', digest), { ok: true, rehash: false })
    })

    test(`${backend} refuses a wrong password without asking for a rehash`, async () => {
      const pm = manager({ backend })
      const digest = await pm.hash('right password')
      assert.deepEqual(await pm.verify('wrong password', digest), { ok: false, rehash: false })
      assert.deepEqual(await pm.verify('', digest), { ok: false, rehash: false })
    })

    test(`${backend} salts every hash so equal passwords give different hashes`, async () => {
      const pm = manager({ backend })
      assert.notEqual(await pm.hash('same'), await pm.hash('same'))
    })
  }

  test('each backend verifies the hashes of the other one', async () => {
    const a = manager({ backend: 'argon2' })
    const b = manager({ backend: '@node-rs/argon2' })
    const fromA = await a.hash('shared secret')
    const fromB = await b.hash('shared secret')
    assert.deepEqual(await b.verify('shared secret', fromA), { ok: true, rehash: false })
    assert.deepEqual(await a.verify('shared secret', fromB), { ok: true, rehash: false })
    assert.equal((await b.verify('other', fromA)).ok, false)
    assert.equal((await a.verify('other', fromB)).ok, false)
  })

  test('a hash with less memory or fewer passes than configured is flagged for rehash', async () => {
    const weak = await manager({ memoryCost: 256, timeCost: 1 }).hash('pwd')
    const strong = manager({ memoryCost: 512, timeCost: 2 })
    assert.deepEqual(await strong.verify('pwd', weak), { ok: true, rehash: true })
    assert.deepEqual(await strong.verify('nope', weak), { ok: false, rehash: false })
    const moreMemory = await manager({ memoryCost: 1024, timeCost: 2 }).hash('pwd')
    assert.deepEqual(await strong.verify('pwd', moreMemory), { ok: true, rehash: false })
    const fewerPasses = await manager({ memoryCost: 1024, timeCost: 1 }).hash('pwd')
    assert.deepEqual(await strong.verify('pwd', fewerPasses), { ok: true, rehash: true })
  })

  test('argon2i and argon2d hashes verify on both backends and are flagged for rehash', async () => {
    for (const type of [nodeArgon2.argon2i, nodeArgon2.argon2d] as const) {
      const digest = await nodeArgon2.hash('legacy', { type, memoryCost: 256, timeCost: 1, parallelism: 1 })
      for (const backend of BACKENDS) {
        assert.deepEqual(await manager({ backend }).verify('legacy', digest), { ok: true, rehash: true })
      }
    }
  })

  test('argon2 parameters are read in any order and old versions need a rehash', () => {
    const info = parseArgon2Hash('$argon2id$v=19$m=19456,p=1,t=2$c2FsdHNhbHQ$aGFzaGhhc2g')
    assert.deepEqual(info, { variant: 'argon2id', version: 19, memoryCost: 19456, timeCost: 2, parallelism: 1 })
    const old = parseArgon2Hash('$argon2i$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g')
    assert.equal(old?.version, 16)
    assert.equal(old && argon2NeedsRehash({ ...old, variant: 'argon2id' }, { memoryCost: 19456, timeCost: 2, parallelism: 1 }), true)
    for (const bad of ['$argon2id$v=x$m=1,t=1,p=1$c2Fs$aGFz', '$argon2id$v=19$m=1,t=1$c2Fs$aGFz', '$argon2x$v=19$m=1,t=1,p=1$c2Fs$aGFz',
      '$argon2id$v=19$m=1,t=1,p=1$c2F=$aGFz', '$argon2id$v=19$m=1,t=1,p=1,q=$c2Fs$aGFz', 'x$argon2id$v=19$m=1,t=1,p=1$c2Fs$aGFz']) {
      assert.equal(parseArgon2Hash(bad), null, bad)
    }
  })
})

describe('malformed and unsupported hashes', () => {
  test('a malformed stored hash gives ok:false with a loggable error that names neither hash nor password', async () => {
    const pm = manager()
    const cases = ['', 'plaintext', '$argon2id$', '$argon2id$v=19$m=256,t=1,p=1$c2FsdA$aGFzaA', '$2b$10$tooshort',
      '$2b$99$' + 'a'.repeat(53), '$5$rounds=5000$salt$hash', '{SSHA}abcdef']
    for (const stored of cases) {
      const result = await pm.verify('hunter2', stored)
      assert.equal(result.ok, false, stored)
      assert.equal(result.rehash, false, stored)
      assert.equal((result.error as (Error & { code?: string }) | undefined)?.code, 'FSA_ERR_PASSWORD_HASH', stored)
      assert.doesNotMatch(result.error?.message ?? '', /hunter2/)
      if (stored.length > 3) assert.equal(result.error?.message.includes(stored), false, stored)
    }
  })

  test('non-string inputs are refused instead of crashing', async () => {
    const pm = manager()
    const digest = await pm.hash('pwd')
    assert.deepEqual(await pm.verify(undefined as unknown as string, digest), { ok: false, rehash: false })
    assert.deepEqual(await pm.verify('pwd', null as unknown as string), { ok: false, rehash: false })
    assert.equal(await pm.dummyVerify(42 as unknown as string), false)
    await assert.rejects(pm.hash(42 as unknown as string), { code: 'FSA_ERR_PASSWORD_QUALITY', statusCode: 400 })
    await assert.rejects(pm.checkQuality(null as unknown as string), { code: 'FSA_ERR_PASSWORD_QUALITY', statusCode: 400 })
  })
})

describe('legacy bcrypt hashes', () => {
  for (const prefix of ['$2a$', '$2b$', '$2y$']) {
    test(`a ${prefix} bcrypt hash verifies and is flagged for rehash, a wrong password is refused`, async () => {
      const salt = bcrypt.genSaltSync(4).replace('$2b$', prefix)
      const digest = bcrypt.hashSync('old password', salt)
      assert.ok(digest.startsWith(prefix))
      assert.ok(isBcryptHash(digest))
      const pm = manager()
      assert.deepEqual(await pm.verify('old password', digest), { ok: true, rehash: true })
      assert.deepEqual(await pm.verify('old passwore', digest), { ok: false, rehash: false })
    })
  }

  test('a rehashed bcrypt user ends with an argon2id hash that needs no further rehash', async () => {
    const pm = manager()
    const legacy = bcrypt.hashSync('migrate me', 4)
    const first = await pm.verify('migrate me', legacy)
    assert.equal(first.rehash, true)
    const fresh = await pm.hash('migrate me', { check: false })
    assert.match(fresh, /^\$argon2id\$/)
    assert.deepEqual(await pm.verify('migrate me', fresh), { ok: true, rehash: false })
  })
})

describe('length limit and dummy verification', () => {
  test('passwords above maxLength are never hashed, even without quality checks', async () => {
    const pm = manager({ maxLength: 64 })
    await assert.rejects(pm.hash('x'.repeat(65), { check: false }), { code: 'FSA_ERR_PASSWORD_LONG', statusCode: 400 })
    await assert.rejects(pm.hash('x'.repeat(65)), { code: 'FSA_ERR_PASSWORD_LONG', statusCode: 400, message: /too long/ })
    assert.match(await pm.hash('x'.repeat(64), { check: false }), /^\$argon2id\$/)
  })

  test('verifying a password above maxLength returns false without entering the queue', async () => {
    const pm = manager({ maxLength: 64, concurrency: 1, queueLimit: 0 })
    const digest = await pm.hash('short')
    // Occupy the only slot: anything that needs the queue would now fail with 503.
    const busy = pm.hash('occupying the slot', { check: false }) // takes the slot synchronously
    await assert.rejects(pm.verify('short', digest), { code: 'FSA_ERR_PASSWORD_BUSY' })
    assert.deepEqual(await pm.verify('y'.repeat(100_000), digest), { ok: false, rehash: false })
    assert.equal(await pm.dummyVerify('y'.repeat(100_000)), false)
    await busy
  })

  test('dummy verification returns false for every password, concurrently too', async () => {
    const pm = manager()
    const results = await Promise.all(['', 'a', 'guess', 'hunter2'].map((p) => pm.dummyVerify(p)))
    assert.deepEqual(results, [false, false, false, false])
    assert.equal(pm.stats().active, 0)
  })

  test('a dummy hash lost to a full queue is computed again on the next call', async () => {
    const pm = manager({ concurrency: 1, queueLimit: 0 })
    const busy = pm.hash('occupying the slot', { check: false }) // takes the slot synchronously
    await assert.rejects(pm.dummyVerify('first'), { code: 'FSA_ERR_PASSWORD_BUSY', statusCode: 503 })
    await busy
    assert.equal(await pm.dummyVerify('second'), false)
  })
})

describe('checkUser, the full login check', () => {
  test('a matching hash accepts the login through the hash', async () => {
    const pm = manager()
    const digest = await pm.hash('pwd')
    assert.deepEqual(await pm.checkUser('calvin', 'pwd', digest), { ok: true, rehash: false, via: 'hash' })
    assert.deepEqual(await pm.checkUser('calvin', 'bad', digest), { ok: false, rehash: false })
  })

  test('an unknown login without alternate check is refused after a dummy verification', async () => {
    const pm = manager()
    assert.deepEqual(await pm.checkUser('nobody', 'pwd', null), { ok: false, rehash: false })
    assert.deepEqual(await pm.checkUser('nobody', 'pwd', undefined), { ok: false, rehash: false })
  })

  test('the alternate check is tried when there is no hash or it does not match', async () => {
    const calls: string[] = []
    const pm = manager({ check: async (login, pwd) => { calls.push(login); return pwd === 'recovery-code' ? true : null } })
    const digest = await pm.hash('pwd')
    assert.deepEqual(await pm.checkUser('hobbes', 'pwd', digest), { ok: true, rehash: false, via: 'hash' })
    assert.deepEqual(calls, [])
    assert.deepEqual(await pm.checkUser('hobbes', 'recovery-code', digest), { ok: true, rehash: false, via: 'check' })
    assert.deepEqual(await pm.checkUser('susie', 'recovery-code', null), { ok: true, rehash: false, via: 'check' })
    assert.deepEqual(await pm.checkUser('susie', 'nope', null), { ok: false, rehash: false })
    assert.deepEqual(calls, ['hobbes', 'susie', 'susie'])
  })

  test('a failing alternate check is a 500 callback error, an err() from it passes through', async () => {
    const boom = manager({ check: () => { throw new Error('ldap down') } })
    await assert.rejects(boom.checkUser('a', 'b', null), (e: any) => e.code === 'FSA_ERR_CALLBACK' && e.statusCode === 500 && e.cause.message === 'ldap down')
    const denied = manager({ check: () => err('account locked', 403) })
    await assert.rejects(denied.checkUser('a', 'b', null), { statusCode: 403, message: 'account locked' })
    const odd = manager({ check: () => 'yes' as unknown as boolean })
    await assert.rejects(odd.checkUser('a', 'b', null), { code: 'FSA_ERR_CALLBACK_RESULT', statusCode: 500 })
  })
})

describe('the passwords entry point', () => {
  test('exports what plugins/secure.ts wires in', async () => {
    const api = await import('../lib/passwords/index.js')
    for (const name of ['PasswordOptionsSchema', 'resolvePasswordOptions', 'createPasswordManager', 'WorkQueue', 'checkPasswordQuality']) {
      assert.ok(name in api, name)
    }
    const pm = api.createPasswordManager(api.resolvePasswordOptions(CHEAP))
    assert.equal((await pm.verify('a', await pm.hash('a'))).ok, true)
  })
})
