// The development mailer: an in-memory outbox, and a log line that never holds the body.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DevMailer } from '../plugins/users.js'

test('the dev mailer keeps mails in its outbox and finds the last one per recipient', async () => {
  const mailer = new DevMailer()
  await mailer.send({ to: 'a@example.com', subject: 's1', text: 'one' })
  await mailer.send({ to: 'b@example.com', subject: 's2', text: 'two', html: '<p>two</p>' })
  await mailer.send({ to: 'a@example.com', subject: 's3', text: 'three' })
  assert.deepEqual(mailer.outbox.map((m) => m.subject), ['s1', 's2', 's3'])
  assert.equal(mailer.last('a@example.com')?.text, 'three')
  assert.equal(mailer.last('b@example.com')?.html, '<p>two</p>')
  assert.equal(mailer.last()?.subject, 's3')
  assert.equal(mailer.last('c@example.com'), undefined)
  mailer.clear()
  assert.equal(mailer.outbox.length, 0)
  assert.equal(mailer.last(), undefined)
})

test('the dev mailer logs the recipient and subject but never the body', async () => {
  const lines: Array<[object, string | undefined]> = []
  const mailer = new DevMailer({ log: { info: (obj, msg) => { lines.push([obj, msg]) } } })
  await mailer.send({ to: 'a@example.com', subject: 'reset', text: 'https://x/reset?token=SECRET', html: '<a href="SECRET">' })
  assert.equal(lines.length, 1)
  assert.deepEqual(lines[0]?.[0], { to: 'a@example.com', subject: 'reset' })
  assert.doesNotMatch(JSON.stringify(lines), /SECRET/)
})

test('the dev mailer keeps at most max mails, dropping the oldest', async () => {
  const mailer = new DevMailer({ max: 2 })
  for (const n of [1, 2, 3]) await mailer.send({ to: 'a@example.com', subject: String(n), text: '' })
  assert.deepEqual(mailer.outbox.map((m) => m.subject), ['2', '3'])
})

test('the outbox holds copies: changing a sent message object does not change the outbox', async () => {
  const mailer = new DevMailer()
  const message = { to: 'a@example.com', subject: 's', text: 't' }
  await mailer.send(message)
  message.subject = 'changed'
  assert.equal(mailer.last()?.subject, 's')
})
