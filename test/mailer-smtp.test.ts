// The SMTP mailer against a real SMTP server (smtp-server) on 127.0.0.1 and a random port.
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { SmtpMailer } from '../plugins/users.js'

interface Received { from: string, to: string[], raw: string }

async function startServer (t: TestContext, opts: { reject?: boolean, auth?: { user: string, pass: string } } = {}): Promise<{ port: number, received: Received[] }> {
  const received: Received[] = []
  const server = new SMTPServer({
    secure: false,
    disabledCommands: opts.auth === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: opts.auth === undefined,
    onAuth (auth, _session, cb) {
      if (auth.username === opts.auth?.user && auth.password === opts.auth?.pass) cb(null, { user: auth.username })
      else cb(new Error('invalid credentials'))
    },
    onRcptTo (address, _session, cb) {
      if (opts.reject === true) cb(Object.assign(new Error('no such mailbox'), { responseCode: 550 }))
      else cb()
    },
    onData (stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8')
        })
        cb()
      })
    },
    logger: false
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { port: (server.server.address() as AddressInfo).port, received }
}

test('the SMTP mailer delivers subject, text and html to a real SMTP server', async (t) => {
  const { port, received } = await startServer(t)
  const mailer = new SmtpMailer({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, from: 'Acme <no-reply@acme.example>' })
  t.after(() => mailer.close())
  await mailer.send({ to: 'calvin@example.com', subject: 'Reset your password', text: 'open https://acme.example/reset?token=abc', html: '<p>open</p>' })
  assert.equal(received.length, 1)
  const mail = received[0] as Received
  assert.equal(mail.from, 'no-reply@acme.example')
  assert.deepEqual(mail.to, ['calvin@example.com'])
  assert.match(mail.raw, /Subject: Reset your password/)
  assert.match(mail.raw, /token=abc/)
  assert.match(mail.raw, /text\/html/)
})

test('the SMTP mailer authenticates when given credentials', async (t) => {
  const { port, received } = await startServer(t, { auth: { user: 'acme', pass: 's3cret' } })
  const good = new SmtpMailer({ host: '127.0.0.1', port, ignoreTLS: true, auth: { user: 'acme', pass: 's3cret' }, from: 'no-reply@acme.example' })
  const bad = new SmtpMailer({ host: '127.0.0.1', port, ignoreTLS: true, auth: { user: 'acme', pass: 'wrong' }, from: 'no-reply@acme.example' })
  t.after(() => { good.close(); bad.close() })
  await good.send({ to: 'a@example.com', subject: 's', text: 't' })
  await assert.rejects(bad.send({ to: 'a@example.com', subject: 's', text: 't' }))
  assert.equal(received.length, 1)
})

test('the SMTP mailer rejects when the server refuses the recipient or cannot be reached', async (t) => {
  const { port } = await startServer(t, { reject: true })
  const refused = new SmtpMailer({ host: '127.0.0.1', port, ignoreTLS: true, from: 'no-reply@acme.example' })
  t.after(() => refused.close())
  await assert.rejects(refused.send({ to: 'nobody@example.com', subject: 's', text: 't' }), /550|no such mailbox/)
  const down = new SmtpMailer({ host: '127.0.0.1', port: 1, ignoreTLS: true, connectionTimeout: 1000, from: 'no-reply@acme.example' })
  t.after(() => down.close())
  await assert.rejects(down.send({ to: 'a@example.com', subject: 's', text: 't' }), { code: 'ESOCKET' })
})

test('the SMTP mailer needs a sender', () => {
  assert.throws(() => new SmtpMailer({ host: '127.0.0.1', from: '' }), /from/)
})

test('the account routes send their reset mail through the SMTP mailer', async (t) => {
  const { buildAccountsApp, addUser } = await import('./helpers/accounts-app.js')
  const { port, received } = await startServer(t)
  const mailer = new SmtpMailer({ host: '127.0.0.1', port, ignoreTLS: true, from: 'no-reply@acme.example' })
  t.after(() => mailer.close())
  const { app } = await buildAccountsApp(t, { users: { mailer, appName: 'Acme' } })
  await addUser(app, 'calvin', 'hobbes')
  const res = await app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: 'calvin@example.com' } })
  assert.equal(res.statusCode, 202)
  for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20))
  assert.equal(received.length, 1)
  assert.deepEqual(received[0]?.to, ['calvin@example.com'])
  assert.match(received[0]?.raw ?? '', /Subject: Acme: reset your password/)
  assert.match(received[0]?.raw ?? '', /password\/reset\?token=/)
})
