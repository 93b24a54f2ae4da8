/**
 * Child process of test/packaging-peers.test.ts, run under test/helpers/resolve-seam.mjs with the
 * optional peers hidden: an application as it runs without any optional peer installed. Each step
 * records the packages it resolved (from the seam's log) and its outcome; the whole report is
 * printed as one JSON line.
 */
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'

const logFile = process.env.FSA_TEST_RESOLVED ?? ''
let seen = 0
/** Packages resolved since the previous call. */
function resolvedSince (): string[] {
  const lines = readFileSync(logFile, 'utf8').split('\n').filter((l) => l !== '')
  const fresh = lines.slice(seen)
  seen = lines.length
  return [...new Set(fresh)].sort()
}

interface Outcome { resolved: string[], status?: number[], code?: string, message?: string }
const report: Record<string, Outcome> = {}

async function step (name: string, fn: () => Promise<number[] | undefined>): Promise<void> {
  resolvedSince()
  const outcome: Outcome = { resolved: [] }
  try {
    const status = await fn()
    if (status !== undefined) outcome.status = status
  } catch (e) {
    outcome.code = (e as { code?: string }).code ?? 'none'
    outcome.message = (e as Error).message
  }
  outcome.resolved = resolvedSince()
  report[name] = outcome
}

const { default: Fastify } = await import('fastify')
const SECRET = 'a-token-secret-of-at-least-32-bytes!'
const apps: FastifyInstance[] = []
function newApp (): FastifyInstance {
  const app = Fastify()
  apps.push(app)
  return app
}

await step('import', async () => { await import('../../lib/index.js'); return undefined })
const { default: secure } = await import('../../lib/index.js')

// the seam delays loading plugins/secure.ts past this app's plugin timeout
await step('slow-load', async () => {
  const app = Fastify({ pluginTimeout: Number(process.env.FSA_TEST_PLUGIN_TIMEOUT) })
  apps.push(app)
  await app.register(secure, { auth: ['token', 'none'], token: { secret: SECRET } })
  await app.ready()
  return [1]
})

await step('token', async () => {
  const app = newApp()
  await app.register(secure, { auth: ['token', 'none'], token: { type: 'fsa', secret: SECRET } })
  app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
  await app.ready()
  const token = await app.createToken('calvin')
  const anonymous = await app.inject({ url: '/me' })
  const bearer = await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })
  return [anonymous.statusCode, bearer.statusCode]
})

await step('jwt', async () => {
  const app = newApp()
  await app.register(secure, { auth: ['token', 'none'], token: { type: 'jwt', secret: SECRET } })
  app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
  await app.ready()
  const res = await app.inject({ url: '/me', headers: { authorization: `Bearer ${await app.createToken('calvin')}` } })
  return [res.statusCode]
})

await step('cookie', async () => {
  const app = newApp()
  await app.register(secure, { auth: ['token', 'none'], token: { secret: SECRET, carrier: 'cookie' } })
  app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
  await app.ready()
  const res = await app.inject({ url: '/me', cookies: { auth: await app.createToken('calvin') } })
  return [res.statusCode]
})

const hashes = new Map<string, string>()
await step('basic', async () => {
  const app = newApp()
  await app.register(secure, { auth: ['basic', 'none'], getUserPass: (login) => hashes.get(login) ?? null })
  app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
  await app.ready()
  hashes.set('calvin', await app.hashPassword('Hobbes-123'))
  const res = await app.inject({ url: '/me', headers: { authorization: 'Basic ' + Buffer.from('calvin:Hobbes-123').toString('base64') } })
  return [res.statusCode]
})

await step('bcrypt', async () => {
  // a legacy hash (bcrypt, cost 4) of "hobbes": bcryptjs is loaded only now
  const { createPasswordManager, resolvePasswordOptions } = await import('../../lib/passwords/index.js')
  const passwords = createPasswordManager(resolvePasswordOptions({}))
  const result = await passwords.verify('hobbes', '$2b$04$JpFaeE1fxRQSsTHwwZt6RuQtGuGN9Q4in5XxEIx.BEEhi8Bk3NfFK')
  return [result.ok ? 1 : 0]
})

const { openStore } = await import('../../lib/index.js')
await step('openStore-sqlite', async () => { await openStore('sqlite::memory:'); return undefined })
await step('openStore-postgres', async () => { await openStore('postgres://fsa@127.0.0.1:1/none'); return undefined })
await step('store-option', async () => {
  const app = newApp()
  await app.register(secure, { auth: ['basic', 'none'], store: 'sqlite::memory:' })
  await app.ready()
  return undefined
})
await step('redis-cache', async () => {
  const app = newApp()
  await app.register(secure, { auth: ['token', 'none'], token: { secret: SECRET }, cache: { type: 'redis', redis: 'redis://127.0.0.1:1' } })
  await app.ready()
  return undefined
})
await step('argon2-backend', async () => {
  const app = newApp()
  await app.register(secure, { auth: ['basic', 'none'], getUserPass: () => null, password: { backend: 'argon2' } })
  await app.ready()
  return undefined
})
await step('refuse-common', async () => {
  const app = newApp()
  await app.register(secure, { auth: ['basic', 'none'], getUserPass: () => null, password: { refuseCommon: true } })
  await app.ready()
  return undefined
})
await step('smtp-mailer', async () => {
  const { SmtpMailer } = await import('../../plugins/users.js')
  new SmtpMailer({ host: '127.0.0.1', port: 1, from: 'no-reply@acme.example' })
  return undefined
})
await step('users-import', async () => { await import('../../plugins/users.js'); return undefined })
await step('docs', async () => {
  const { default: docs } = await import('../../plugins/docs.js')
  const app = newApp()
  await app.register(secure, { auth: ['none'] })
  await app.register(docs)
  await app.ready()
  return undefined
})
await step('uploads', async () => {
  const app = newApp()
  await app.register(secure, { auth: ['none'], uploads: true })
  await app.ready()
  return undefined
})
await step('cors', async () => {
  const app = newApp()
  await app.register(secure, { auth: ['none'], cors: true })
  await app.ready()
  return undefined
})
await step('pages-import', async () => { await import('../../plugins/pages.js'); return undefined })
await step('pages-views', async () => {
  const { registerViews } = await import('../../lib/pages/render.js')
  await registerViews(newApp(), undefined)
  return undefined
})
await step('pages-csrf', async () => {
  const { registerCsrf } = await import('../../lib/pages/kit.js')
  await registerCsrf(newApp(), undefined)
  return undefined
})

for (const app of apps) await app.close().catch(() => {})
process.stdout.write(JSON.stringify(report) + '\n')
