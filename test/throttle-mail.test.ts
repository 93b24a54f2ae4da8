// Throttling of account mails (issue 13): forgot, confirm/send and registration mails limited per
// address and per client address, answering exactly like an unknown address once limited.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addUser, buildAccountsApp } from './helpers/accounts-app.js'
import { fakeTime } from './helpers/time.js'

const post = (url: string, email: string, remoteAddress = '127.0.0.1') => ({ method: 'POST' as const, url, payload: { email }, remoteAddress })

for (const url of ['/auth/password/forgot', '/auth/confirm/send']) {
  test(`${url}: 100 requests for one address send 3 mails, every answer like an unknown address's`, async (t) => {
    const { app, mailer } = await buildAccountsApp(t, { secure: { secure: false } })
    await addUser(app, 'calvin', 'hobbes', { email: 'calvin@example.com', confirmed: url === '/auth/password/forgot' })
    const unknown = await app.inject(post(url, 'nobody@example.com'))
    const answers = new Set<string>()
    for (let i = 0; i < 100; i++) {
      const res = await app.inject(post(url, 'calvin@example.com', `198.51.100.${i}`))
      answers.add(`${res.statusCode} ${res.body}`)
    }
    assert.deepEqual([...answers], [`${unknown.statusCode} ${unknown.body}`])
    assert.equal(mailer.outbox.filter((m) => m.to === 'calvin@example.com').length, 3)
  })
}

test('one client address asks at most 10 mails per hour, whatever the addresses; the window ends', async (t) => {
  const time = fakeTime(t)
  const { app, mailer } = await buildAccountsApp(t, { secure: { secure: false, cache: { clock: time.clock } } })
  for (let i = 0; i < 12; i++) await addUser(app, `user${i}`, 'password', { email: `user${i}@example.com` })
  for (let i = 0; i < 12; i++) assert.equal((await app.inject(post('/auth/password/forgot', `user${i}@example.com`, '203.0.113.7'))).statusCode, 202)
  assert.equal(mailer.outbox.length, 10, 'the 11th and 12th are not sent')
  await app.inject(post('/auth/password/forgot', 'user11@example.com', '203.0.113.8'))
  assert.equal(mailer.outbox.length, 11, 'another client address may')
  time.tick(3_600_001)
  await app.inject(post('/auth/password/forgot', 'user10@example.com', '203.0.113.7'))
  assert.equal(mailer.outbox.length, 12, 'after the window')
})

test('registration mails count too; the accounts are created, the answers unchanged', async (t) => {
  const { app, mailer } = await buildAccountsApp(t, { secure: { secure: false, throttle: { mail: { perClient: 2 } } } })
  const statuses: number[] = []
  for (let i = 0; i < 4; i++) {
    const res = await app.inject({ method: 'POST', url: '/auth/register', payload: { login: `new${i}`, email: `new${i}@example.com`, password: 'long enough password' }, remoteAddress: '203.0.113.9' })
    statuses.push(res.statusCode)
  }
  assert.deepEqual(statuses, [201, 201, 201, 201])
  assert.equal(mailer.outbox.length, 2)
})

test('throttle.mail: false sends every mail', async (t) => {
  const { app, mailer } = await buildAccountsApp(t, { secure: { throttle: { mail: false } } })
  await addUser(app, 'calvin', 'hobbes', { email: 'calvin@example.com' })
  for (let i = 0; i < 6; i++) await app.inject(post('/auth/password/forgot', 'calvin@example.com'))
  assert.equal(mailer.outbox.length, 6)
})
