/**
 * Secrets in logs and URLs (issue 11, part 5): `redactUrl` on database and request URLs (with
 * property tests), and log capture of whole runs that send passwords and tokens in URLs: no
 * secret value in any log line, 404 and 500 included.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import Fastify from 'fastify'
import secure, { serializers } from '../lib/index.js'
import { isSecretKey, redactUrl } from '../lib/http/redact.js'
import { basic, FAST_PASSWORD, userHashes } from './helpers/auth-app.js'
import { logCapture } from './helpers/app.js'

test('redactUrl hides database passwords, @ included, and secret query values', () => {
  assert.equal(redactUrl('postgres://app:p@ss@db/x'), 'postgres://app:***@db/x')
  assert.equal(redactUrl('postgres://app:s3cret@db:5432/x?sslmode=require&password=p2'), 'postgres://app:***@db:5432/x?sslmode=require&password=***')
  assert.equal(redactUrl('postgres://bob@db/x'), 'postgres://bob@db/x')
  assert.equal(redactUrl('redis://:hunter2@cache:6379/0'), 'redis://:***@cache:6379/0')
  assert.equal(redactUrl('/token?username=calvin&password=hobbes'), '/token?username=calvin&password=***')
  assert.equal(redactUrl('/x?Access_Token=t&client_secret=s&a=1#frag'), '/x?Access_Token=***&client_secret=***&a=1#frag')
  assert.equal(redactUrl('/x?pass%77ord=s'), '/x?pass%77ord=***', 'keys are compared decoded')
  assert.equal(redactUrl('/x?PASS=s&AUTH=t', new Set(['PASS', 'AUTH'])), '/x?PASS=***&AUTH=***')
  assert.equal(redactUrl('/plain/path'), '/plain/path')
})

const secretKeys = ['password', 'token', 'secret', 'new_password', 'AUTH', 'x-token']
const names = new Set(['AUTH'])
const key = fc.oneof(fc.constantFrom(...secretKeys), fc.string({ maxLength: 8 }), fc.constantFrom('user', 'a', 'page'))

test('property: every secret query value becomes ***, every other parameter is kept', () => {
  fc.assert(fc.property(fc.array(fc.tuple(key, fc.string({ maxLength: 12 })), { maxLength: 6 }), fc.webPath(), (pairs, path) => {
    const query = new URLSearchParams(pairs).toString()
    const url = `${path === '' ? '/' : path}?${query}`
    const got = new URLSearchParams(redactUrl(url, names).slice(redactUrl(url, names).indexOf('?') + 1))
    const expected = pairs.map(([k, v]) => [k, isSecretKey(k, names) ? '***' : v])
    assert.deepEqual([...got], expected)
  }))
})

test('property: an absolute URL keeps everything but its password, which becomes ***', () => {
  const arb = fc.webUrl({ authoritySettings: { withUserInfo: true }, withQueryParameters: true, withFragments: true })
  fc.assert(fc.property(arb, (url) => {
    const before = new URL(url)
    const after = new URL(redactUrl(url))
    assert.equal(after.password, before.password === '' ? '' : '***')
    assert.equal(after.username, before.username)
    assert.equal(after.host, before.host)
    assert.equal(after.pathname, before.pathname)
    assert.equal(after.hash, before.hash)
    for (const [k, v] of after.searchParams) if (!isSecretKey(k)) assert.equal(before.searchParams.getAll(k).includes(v), true)
  }))
})

const PASSWORD = 'hobbes'
const SECRETS = [PASSWORD, 'Sup3rS3cret', 'tok-1234567890', 'nf-passw0rd']

/** A run sending secrets in URLs: a login in the query, a token in the query, a 404, a 500. */
async function secretRun (withSerializers: boolean, t: { after: (fn: () => unknown) => void }): Promise<string[]> {
  const logs = logCapture()
  const logger = { level: 'info', stream: logs.stream, ...(withSerializers ? { serializers } : {}) }
  const app = Fastify({ logger })
  t.after(() => app.close())
  const hashes = await userHashes()
  await app.register(secure, { auth: ['param', 'basic', 'token', 'none'], param: { user: 'username', pass: 'password' }, token: { secret: 's'.repeat(40), carrier: 'param', name: 'AUTH' }, password: FAST_PASSWORD, getUserPass: (l) => hashes.get(l) ?? null })
  app.get('/token', { config: { authorize: 'AUTH', auth: ['param', 'basic'] } }, async (req) => ({ token: await app.createToken(req.authUser as string) }))
  app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.authUser }))
  app.get('/boom', { config: { authorize: 'OPEN', unexpectedParams: 'accept' } }, async () => { throw new Error('boom') })
  const login = await app.inject('/token?username=calvin&password=' + PASSWORD)
  assert.equal(login.statusCode, 200, login.body)
  assert.equal((await app.inject({ url: '/token?password=' + SECRETS[1], headers: { authorization: basic('calvin', PASSWORD) } })).statusCode, 200)
  assert.equal((await app.inject('/me?AUTH=' + encodeURIComponent(login.json().token))).statusCode, 200)
  assert.equal((await app.inject('/boom?token=' + SECRETS[2])).statusCode, 500)
  if (withSerializers) assert.equal((await app.inject('/nowhere?password=' + SECRETS[3])).statusCode, 404)
  SECRETS.push(login.json().token, encodeURIComponent(login.json().token))
  return logs.lines
}

/** Every secret of the run is absent from every log line, and the lines that should be there are. */
function assertRedacted (lines: string[], withSerializers: boolean): void {
  assert.ok(lines.some((l) => l.includes('/token?username=calvin&password=***')), lines.join('\n'))
  assert.ok(lines.some((l) => l.includes('"level":50')), 'the 500 is logged')
  if (withSerializers) assert.ok(lines.some((l) => l.includes('/nowhere?password=***')), 'the 404 is logged, redacted')
  for (const line of lines) for (const secret of SECRETS) assert.ok(!line.includes(secret), `${secret} in ${line}`)
}

test('no password or token value in any log line (plugin routes, default logger)', async (t) => {
  assertRedacted(await secretRun(false, t), false)
})

test('no password or token value in any log line (exported serializers: 404 included)', async (t) => {
  assertRedacted(await secretRun(true, t), true)
})
