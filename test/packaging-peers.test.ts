/**
 * Packaging: optional peer dependencies are loaded on first use, a missing one is
 * FSA_ERR_OPT_PEER_MISSING naming the package and what needed it, and an application that needs
 * none of them runs without any installed. The application runs in a child process under a
 * module-resolution seam (test/helpers/resolve-seam.mjs) that makes the optional peers resolve as
 * not installed, as Node reports it, and logs which packages each step resolves.
 */
import { before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Type } from 'typebox'
import { loadPeer, requirePeer } from '../lib/core/peers.js'
import { JsonData } from '../lib/index.js'

const OPTIONAL_PEERS = ['better-sqlite3', 'pg', 'ioredis', 'nodemailer', '@fastify/swagger', '@fastify/swagger-ui', 'argon2', '@zxcvbn-ts/language-common',
  '@fastify/multipart', '@fastify/cors', '@fastify/view', 'eta', '@fastify/csrf-protection']
const BACKENDS = [...OPTIONAL_PEERS, '@node-rs/argon2', 'bcryptjs', 'kysely', '@fastify/jwt', 'fast-jwt', '@fastify/cookie']

interface Outcome { resolved: string[], status?: number[], code?: string, message?: string }
let report: Record<string, Outcome> = {}
const outcome = (name: string): Outcome => {
  const o = report[name]
  assert.ok(o !== undefined, `the child ran step ${name}`)
  return o
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fsa-peers-'))
  try {
    const root = new URL('..', import.meta.url)
    const env = {
      ...process.env,
      FSA_TEST_HIDE: OPTIONAL_PEERS.join(','),
      FSA_TEST_RESOLVED: join(dir, 'resolved.log'),
      // loading the plugin's modules takes 2 s longer than the plugin timeout of the slow-load app
      FSA_TEST_DELAY: '/plugins/secure.ts:3000',
      FSA_TEST_PLUGIN_TIMEOUT: '1000'
    }
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', '--import', './test/helpers/resolve-seam.mjs', 'test/helpers/peers-child.ts'], { cwd: root, env, maxBuffer: 16 << 20 },
        (e, stdout, stderr) => e !== null ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout))
    })
    report = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, Outcome>
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

describe('what loads when', () => {
  test('importing the main entry loads no backend, no TypeBox and no Ajv', () => {
    const loaded = outcome('import').resolved
    for (const name of [...BACKENDS, 'typebox', 'ajv']) assert.ok(!loaded.includes(name), `${name} loaded at import: ${loaded.join(', ')}`)
  })

  test("loading the plugin's modules, however slow, does not count in Fastify's plugin timeout", () => {
    const slow = outcome('slow-load')
    assert.deepEqual(slow.status, [1], JSON.stringify(slow))
  })

  test('a token-only application starts and serves without any optional peer, loading no native binding, store, JWT or cookie library', () => {
    const token = outcome('token')
    assert.deepEqual(token.status, [401, 200])
    // the slow-load step registered the first token-only app: the plugin's modules loaded then
    const loaded = [...outcome('slow-load').resolved, ...token.resolved]
    // the parameter layer's Ajv comes with the plugin's modules: proof that they were loaded
    assert.ok(loaded.includes('ajv'), 'the plugin was loaded by these steps')
    // option schemas are built and checked without TypeBox (lib/options/), which costs hundreds of modules
    for (const name of [...BACKENDS, 'typebox']) assert.ok(!loaded.includes(name), `${name} loaded by a token-only app`)
  })

  test('the JWT library is loaded only when token.type is jwt', () => {
    const jwt = outcome('jwt')
    assert.deepEqual(jwt.status, [200])
    assert.ok(jwt.resolved.includes('@fastify/jwt') || jwt.resolved.includes('fast-jwt'), jwt.resolved.join(', '))
  })

  test('@fastify/cookie is loaded only for the cookie carrier', () => {
    const cookie = outcome('cookie')
    assert.deepEqual(cookie.status, [200])
    assert.ok(cookie.resolved.includes('@fastify/cookie'))
  })

  test('the argon2 binding is loaded at start-up when the application verifies passwords, and it logs in without any optional peer', () => {
    const basic = outcome('basic')
    assert.deepEqual(basic.status, [200])
    assert.ok(basic.resolved.includes('@node-rs/argon2'))
    assert.ok(!basic.resolved.includes('argon2') && !basic.resolved.includes('bcryptjs'))
  })

  test('bcryptjs is loaded only when a legacy bcrypt hash is met, and verifies it', () => {
    const bcrypt = outcome('bcrypt')
    assert.deepEqual(bcrypt.status, [1])
    assert.ok(bcrypt.resolved.includes('bcryptjs'))
  })

  test('kysely is loaded when a store is opened', () => {
    assert.ok(outcome('openStore-sqlite').resolved.includes('kysely'))
  })
})

describe('a missing optional peer is FSA_ERR_OPT_PEER_MISSING naming the package and what needed it', () => {
  const cases: Array<[step: string, message: string]> = [
    ['openStore-sqlite', 'install better-sqlite3 to use a sqlite:// store'],
    ['openStore-postgres', 'install pg to use a postgres:// store'],
    ['store-option', 'install better-sqlite3 to use a sqlite:// store'],
    ['redis-cache', "install ioredis to use cache.type 'redis'"],
    ['argon2-backend', "install argon2 to use password.backend 'argon2'"],
    ['refuse-common', 'install @zxcvbn-ts/language-common to use password.refuseCommon'],
    ['smtp-mailer', 'install nodemailer to use SmtpMailer'],
    ['docs', 'install @fastify/swagger to use the docs plugin, fastify-simple-auth/docs'],
    ['uploads', 'install @fastify/multipart to use the uploads option'],
    ['cors', 'install @fastify/cors to use the cors option'],
    ['pages-views', 'install eta to use the pages plugin (templates)'],
    ['pages-csrf', 'install @fastify/csrf-protection to use the pages plugin (CSRF tokens)']
  ]
  for (const [step, message] of cases) {
    test(`${step}: "${message}"`, () => {
      const o = outcome(step)
      assert.equal(o.code, 'FSA_ERR_OPT_PEER_MISSING', JSON.stringify(o))
      assert.ok(o.message?.startsWith(message), o.message)
    })
  }

  test('importing ./users without nodemailer works (SmtpMailer needs it, DevMailer does not)', () => {
    assert.equal(outcome('users-import').code, undefined)
  })

  test('importing ./pages loads none of its peers (they are loaded when the plugin is registered)', () => {
    const o = outcome('pages-import')
    assert.equal(o.code, undefined, JSON.stringify(o))
    for (const peer of ['@fastify/view', 'eta', '@fastify/csrf-protection']) assert.ok(!o.resolved.includes(peer), peer)
  })
})

describe('the peer loader', () => {
  test('passes on what the import gives', async () => {
    const mod = await loadPeer('pg', 'a postgres:// store', async () => ({ ok: 1 }))
    assert.deepEqual(mod, { ok: 1 })
  })

  test('rethrows, unchanged, a failure other than the package missing (a broken binding, a missing dependency of the peer)', async () => {
    const broken = new Error('libfoo.so: cannot open shared object file')
    await assert.rejects(loadPeer('better-sqlite3', 'a sqlite:// store', async () => { throw broken }), (e) => e === broken)
    const transitive = Object.assign(new Error("Cannot find package 'pg-protocol' imported from /app/node_modules/pg/lib/index.js"), { code: 'ERR_MODULE_NOT_FOUND' })
    await assert.rejects(loadPeer('pg', 'a postgres:// store', async () => { throw transitive }), (e) => e === transitive)
  })

  test('requirePeer accepts an installed peer without loading it', () => {
    assert.doesNotThrow(() => requirePeer('nodemailer', 'SmtpMailer'))
  })
})

test('JsonData is the schema Type.Unsafe builds, made without loading TypeBox', () => {
  const built = Type.Unsafe({ 'x-fsa-json': true })
  assert.deepEqual(JsonData, built)
  assert.deepEqual(Object.getOwnPropertyDescriptors(JsonData), Object.getOwnPropertyDescriptors(built))
})
