// Throttling of failed password checks (issue 13): basic, param and the users plugin's login.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { basic, buildAuthApp, PASSWORDS } from './helpers/auth-app.js'
import { fakeTime, type FakeTime } from './helpers/time.js'
import { addUser, buildAccountsApp } from './helpers/accounts-app.js'
import type { SecureOptions } from '../lib/index.js'
import type { TestApp } from './helpers/app.js'

/** An app over the fixture users with fake time, counting password verifications (argon2 runs). */
async function throttledApp (t: TestContext, options: SecureOptions = {}): Promise<{ app: TestApp, time: FakeTime, verifications: () => number }> {
  const time = fakeTime(t)
  const app = await buildAuthApp(t, { auth: ['basic', 'param'], secure: false, ...options, cache: { clock: time.clock, ...options.cache } })
  await app.ready()
  return { app, time, verifications: () => app.fsa.passwords.stats().ran }
}

const get = (app: TestApp, login: string, password: string, remoteAddress = '127.0.0.1') =>
  app.inject({ method: 'GET', url: '/auth', headers: { authorization: basic(login, password) }, remoteAddress })

test('200 wrong basic passwords: 401 up to the threshold, then 429 with Retry-After and no argon2', async (t) => {
  const { app, verifications } = await throttledApp(t)
  const statuses: number[] = []
  let last
  for (let i = 0; i < 200; i++) {
    last = await get(app, 'calvin', `guess-${i}`)
    statuses.push(last.statusCode)
  }
  assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401])
  assert.ok(statuses.slice(5).every((s) => s === 429), 'refused after 5 failures')
  assert.equal(last!.body, 'too many failed attempts, retry later')
  assert.ok(Number(last!.headers['retry-after']) >= 1)
  assert.equal(verifications(), 5, 'no password verification once refused')
  const right = await get(app, 'calvin', PASSWORDS.calvin!)
  assert.equal(right.statusCode, 429, 'the right password is refused too while blocked')
})

test('the refusal grows with failures, is capped, ends, and a success resets the counter', async (t) => {
  const { app, time } = await throttledApp(t, { throttle: { failures: 3, delay: 2, maxDelay: 8 } })
  for (let i = 0; i < 3; i++) await get(app, 'calvin', 'nope')
  const first = await get(app, 'calvin', 'nope')
  assert.equal(first.statusCode, 429)
  assert.equal(first.headers['retry-after'], '2')
  time.tick(2001)
  assert.equal((await get(app, 'calvin', 'nope')).statusCode, 401, 'one more try after the delay')
  assert.equal((await get(app, 'calvin', 'nope')).headers['retry-after'], '4', 'the delay doubled')
  time.tick(4001)
  await get(app, 'calvin', 'nope')
  time.tick(8001)
  await get(app, 'calvin', 'nope')
  assert.equal((await get(app, 'calvin', 'nope')).headers['retry-after'], '8', 'capped at maxDelay')
  time.tick(8001)
  assert.equal((await get(app, 'calvin', PASSWORDS.calvin!)).statusCode, 200)
  for (let i = 0; i < 2; i++) assert.equal((await get(app, 'calvin', 'nope')).statusCode, 401, 'the success reset the count')
  assert.equal((await get(app, 'calvin', 'nope')).statusCode, 401)
  assert.equal((await get(app, 'calvin', 'nope')).statusCode, 429)
})

test('unknown and known logins get the same answers in the same order', async (t) => {
  const { app } = await throttledApp(t)
  const known: string[] = []
  const unknown: string[] = []
  for (let i = 0; i < 8; i++) {
    const a = await get(app, 'calvin', 'nope')
    const b = await get(app, 'nobody-here', 'nope')
    known.push(`${a.statusCode} ${a.body} ${a.headers['retry-after'] ?? ''}`)
    unknown.push(`${b.statusCode} ${b.body} ${b.headers['retry-after'] ?? ''}`)
  }
  assert.deepEqual(unknown, known)
  assert.match(known[7]!, /^429 /)
})

test('a cached right password is still refused while its (login, address) is blocked', async (t) => {
  const { app, verifications } = await throttledApp(t, { cache: { credentials: { enabled: true } } })
  assert.equal((await get(app, 'calvin', PASSWORDS.calvin!)).statusCode, 200)
  const once = verifications()
  assert.equal((await get(app, 'calvin', PASSWORDS.calvin!)).statusCode, 200)
  assert.equal(verifications(), once, 'the second answer came from the verified-credentials cache')
  for (let i = 0; i < 5; i++) assert.equal((await get(app, 'calvin', 'nope')).statusCode, 401)
  assert.equal((await get(app, 'calvin', PASSWORDS.calvin!)).statusCode, 429, 'no 200 that would confirm a guess')
})

test('one address blocked for one login does not lock the user out from elsewhere', async (t) => {
  const { app } = await throttledApp(t)
  for (let i = 0; i < 6; i++) await get(app, 'calvin', 'nope', '203.0.113.9')
  assert.equal((await get(app, 'calvin', PASSWORDS.calvin!, '203.0.113.9')).statusCode, 429)
  assert.equal((await get(app, 'calvin', PASSWORDS.calvin!, '198.51.100.7')).statusCode, 200)
  assert.equal((await get(app, 'hobbes', PASSWORDS.hobbes!, '203.0.113.9')).statusCode, 200, 'other logins from that address pass')
})

test('per-address limit: many logins from one address block that address only', async (t) => {
  const { app, verifications } = await throttledApp(t, { throttle: { perAddress: 10 } })
  for (let i = 0; i < 10; i++) assert.equal((await get(app, `user${i}`, 'nope', '203.0.113.9')).statusCode, 401)
  const before = verifications()
  const next = await get(app, 'hobbes', PASSWORDS.hobbes!, '203.0.113.9')
  assert.equal(next.statusCode, 429)
  assert.equal(verifications(), before)
  assert.equal((await get(app, 'hobbes', PASSWORDS.hobbes!, '203.0.113.10')).statusCode, 200)
})

test('per-login ceiling: failing addresses are refused at once, a clean address still logs in', async (t) => {
  const { app } = await throttledApp(t, { throttle: { perLogin: 20 } })
  for (let i = 0; i < 20; i++) assert.equal((await get(app, 'calvin', 'nope', `198.51.100.${i}`)).statusCode, 401)
  assert.equal((await get(app, 'calvin', 'nope', '198.51.100.200')).statusCode, 401, 'its first failure still counts')
  assert.equal((await get(app, 'calvin', 'nope', '198.51.100.200')).statusCode, 429, 'refused from then on')
  assert.equal((await get(app, 'calvin', PASSWORDS.calvin!, '192.0.2.1')).statusCode, 200, 'the user from a clean address')
})

test('IPv6 addresses count by /64', async (t) => {
  const { app } = await throttledApp(t)
  for (let i = 1; i <= 5; i++) await get(app, 'calvin', 'nope', `2001:db8:1:2::${i}`)
  assert.equal((await get(app, 'calvin', PASSWORDS.calvin!, '2001:db8:1:2:ffff:1:2:3')).statusCode, 429)
  assert.equal((await get(app, 'calvin', PASSWORDS.calvin!, '2001:0db8:0001:0003::1')).statusCode, 200, 'another /64')
})

test('param is throttled like basic', async (t) => {
  const { app } = await throttledApp(t)
  const post = (password: string) => app.inject({ method: 'POST', url: '/auth', payload: { USER: 'hobbes', PASS: password } })
  for (let i = 0; i < 5; i++) assert.equal((await post('nope')).statusCode, 401)
  const res = await post(PASSWORDS.hobbes!)
  assert.equal(res.statusCode, 429)
  assert.ok(res.headers['retry-after'] !== undefined)
})

test('throttle: false keeps the old behaviour', async (t) => {
  const { app } = await throttledApp(t, { throttle: false })
  for (let i = 0; i < 20; i++) assert.equal((await get(app, 'calvin', 'nope')).statusCode, 401)
  assert.equal((await get(app, 'calvin', PASSWORDS.calvin!)).statusCode, 200)
})

test('behind a proxy that is not trusted, per-address limits are off and a warning says so', async (t) => {
  const time = fakeTime(t)
  const app = await buildAuthApp(t, { auth: ['basic'], secure: false, cache: { clock: time.clock } })
  const lines: string[] = []
  app.log.warn = ((o: { code?: string }) => { lines.push(String(o.code)) }) as typeof app.log.warn
  const fwd = (login: string, password: string, from: string) => app.inject({ method: 'GET', url: '/auth', headers: { authorization: basic(login, password), 'x-forwarded-for': from } })
  for (let i = 0; i < 6; i++) assert.equal((await fwd('calvin', 'nope', '203.0.113.9')).statusCode, 401, 'no per-(login, address) block')
  assert.equal((await fwd('calvin', PASSWORDS.calvin!, '198.51.100.7')).statusCode, 200, 'the user is not locked out')
  assert.ok(lines.includes('FSAWRN_THROTTLE_NO_ADDRESS'))
})

test('users plugin login: throttled, unknown logins the same, success resets', async (t) => {
  const time = fakeTime(t)
  const { app } = await buildAccountsApp(t, { secure: { cache: { clock: time.clock } } })
  await addUser(app, 'calvin', 'hobbes')
  const login = (l: string, p: string) => app.inject({ method: 'POST', url: '/auth/login', payload: { login: l, password: p } })
  const known: number[] = []
  const unknown: number[] = []
  for (let i = 0; i < 7; i++) {
    known.push((await login('calvin', 'tiger')).statusCode)
    unknown.push((await login('susie', 'tiger')).statusCode)
  }
  assert.deepEqual(known, [401, 401, 401, 401, 401, 429, 429])
  assert.deepEqual(unknown, known)
  const blocked = await login('calvin', 'hobbes')
  assert.equal(blocked.statusCode, 429)
  assert.ok(Number(blocked.headers['retry-after']) >= 1)
  time.tick(900_001)
  assert.equal((await login('calvin', 'hobbes')).statusCode, 200)
  for (let i = 0; i < 4; i++) assert.equal((await login('calvin', 'tiger')).statusCode, 401, 'reset by the success')
})

test('requests in flight one failure before a refusal get one verification, the others 429', async (t) => {
  const { app, verifications } = await throttledApp(t)
  for (let i = 0; i < 4; i++) assert.equal((await get(app, 'calvin', 'nope')).statusCode, 401)
  const before = verifications()
  const burst = await Promise.all(Array.from({ length: 16 }, (_, i) => get(app, 'calvin', `guess-${i}`)))
  const statuses = burst.map((r) => r.statusCode).sort()
  assert.deepEqual(statuses, [401, ...Array<number>(15).fill(429)])
  assert.equal(verifications() - before, 1, 'one argon2 run for 16 guesses in flight')
  assert.equal((await get(app, 'hobbes', PASSWORDS.hobbes!)).statusCode, 200, 'other logins unaffected')
})

test('a (login, address) on its last chance still logs in with the right password, concurrently', async (t) => {
  const { app } = await throttledApp(t)
  for (let i = 0; i < 4; i++) await get(app, 'calvin', 'nope')
  assert.equal((await get(app, 'calvin', PASSWORDS.calvin!)).statusCode, 200)
  const burst = await Promise.all(Array.from({ length: 4 }, () => get(app, 'calvin', PASSWORDS.calvin!)))
  assert.deepEqual(burst.map((r) => r.statusCode), [200, 200, 200, 200], 'the success ended the last chance')
})
