// The acme demo as a server: `start()` reads the environment, listens and prints where; users
// live in the database file and survive a restart; `npm start`'s entry point runs and stops.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Tester } from '../lib/testing/index.js'
import { buildApp, DEFAULT_DB } from '../examples/acme/app.js'
import { start } from '../examples/acme/server.js'

const CHEAP = { memoryCost: 64, timeCost: 1, allowWeak: true }
const PARAM = { user: 'username', pass: 'password' }

/** A fresh SQLite file URL in a temporary directory removed after the test. */
function tempDb (t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'acme-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return 'sqlite://' + join(dir, 'acme.db')
}

test('start() listens on 127.0.0.1, prints the URLs and a generated admin password that works', async (t) => {
  const lines: string[] = []
  const { app, url } = await start({ port: 0, env: {}, db: tempDb(t), hashing: CHEAP, logger: false, print: (l) => lines.push(l) })
  t.after(() => app.close())
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
  assert.ok(lines.includes(`acme demo listening on ${url}`))
  assert.ok(lines.includes(`Swagger UI on ${url}/docs`))
  const shown = lines.map((l) => /with password (\S+)/.exec(l)?.[1]).filter((p) => p !== undefined)
  assert.equal(shown.length, 1)
  const password = shown[0] as string
  assert.ok(password.length >= 20)
  await app.checkPasswordQuality(password)
  const tester = new Tester({ url, users: { acme: { password } }, param: PARAM })
  assert.deepEqual(await tester.get('/hello-me', { login: 'acme', status: 200 }), { msg: 'hello', user: 'acme' })
  assert.equal((await tester.get('/hello-me', { login: 'acme', auth: 'param', form: {}, status: 200 })).user, 'acme')
  await tester.fetchToken('acme')
  await tester.post('/stuff', { login: 'acme', auth: 'bearer', json: { stuff: 'pinte', price: 6.5 }, status: 201 })
  assert.deepEqual(await tester.get('/stuff', { login: 'acme', auth: 'bearer', status: 200 }), [['pinte', 6.5]])
  await tester.get('/hello-me', { status: 401 })
  assert.match((await tester.request('GET', '/docs')).text, /Swagger UI/)
})

test('start() reads ACME_DB, ACME_PASS, ACME_SECRET, ACME_TOKEN_TYPE, HOST and PORT from the environment', async (t) => {
  const lines: string[] = []
  const env = { ACME_DB: tempDb(t), ACME_PASS: 'Acme1', ACME_SECRET: randomBytes(32).toString('hex'), ACME_TOKEN_TYPE: 'jwt', HOST: '127.0.0.1', PORT: '0' }
  const { app, url } = await start({ env, hashing: CHEAP, logger: false, print: (l) => lines.push(l) })
  t.after(() => app.close())
  assert.ok(!lines.some((l) => l.includes('password')), 'no password is printed when ACME_PASS is set')
  const tester = new Tester({ url, users: { acme: { password: 'Acme1' } } })
  const token = await tester.fetchToken('acme')
  assert.equal(token.split('.').length, 3, 'a JWT')
  assert.equal((await tester.get('/hello-me', { login: 'acme', auth: 'bearer', status: 200 })).user, 'acme')
})

test('the demo runs in production mode (no FSA-* debug header) unless ACME_MODE=dev', async (t) => {
  for (const [mode, debug] of [[undefined, false], ['prod', false], ['dev', true]] as const) {
    const env = mode === undefined ? {} : { ACME_MODE: mode }
    const { app } = await start({ port: 0, env, db: 'sqlite::memory:', adminPassword: 'Acme1', hashing: CHEAP, logger: false, print: () => {} })
    t.after(() => app.close())
    const res = await app.inject({ url: '/hello-me', headers: { authorization: 'Basic ' + Buffer.from('acme:Acme1').toString('base64') } })
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['fsa-delay'] !== undefined, debug, `ACME_MODE=${String(mode)}`)
    assert.equal(res.headers['fsa-user'], debug ? 'acme (basic)' : undefined)
  }
  await assert.rejects(start({ env: { ACME_MODE: 'debug' }, db: 'sqlite::memory:', print: () => {} }), /ACME_MODE must be prod or dev/)
})

test('the demo\'s docs routes are declared to the plugin: OPEN, and plain HTTP from afar is refused like /hello', async (t) => {
  const app = await buildApp({ db: 'sqlite::memory:', adminPassword: 'Acme1', hashing: CHEAP })
  t.after(() => app.close())
  for (const url of ['/hello', '/docs/json', '/docs']) {
    assert.equal((await app.inject({ url, remoteAddress: '203.0.113.7' })).statusCode, 403, `${url} over plain HTTP from a remote address`)
    assert.equal((await app.inject({ url })).statusCode, 200, `${url} from loopback`)
  }
  const docs = app.fsa.routes().filter((r) => r.url.startsWith('/docs'))
  assert.ok(docs.length > 0)
  for (const r of docs) assert.equal(r.open, true, `${r.method} ${r.url}`)
})

test('start() refuses a bad ACME_TOKEN_TYPE or PORT before opening anything', async () => {
  await assert.rejects(start({ env: { ACME_TOKEN_TYPE: 'paseto' }, db: 'sqlite::memory:', print: () => {} }), /ACME_TOKEN_TYPE must be fsa or jwt/)
  await assert.rejects(start({ env: { PORT: 'http' }, db: 'sqlite::memory:', print: () => {} }), /PORT must be an integer/)
  await assert.rejects(start({ env: { PORT: '70000' }, db: 'sqlite::memory:', print: () => {} }), /PORT must be an integer/)
})

test('start() closes the app when the port is taken', async (t) => {
  const first = await start({ port: 0, env: {}, db: 'sqlite::memory:', adminPassword: 'Acme1', hashing: CHEAP, logger: false, print: () => {} })
  t.after(() => first.app.close())
  const port = Number(new URL(first.url).port)
  await assert.rejects(start({ port, env: {}, db: 'sqlite::memory:', adminPassword: 'Acme1', hashing: CHEAP, logger: false, print: () => {} }), /EADDRINUSE/)
})

test('buildApp refuses an unsupported database URL', async () => {
  await assert.rejects(buildApp({ db: 'mysql://root@127.0.0.1/acme', adminPassword: 'Acme1', hashing: CHEAP }), /unsupported database URL/)
})

test('a weak ACME_PASS stops the start-up with the reason', async () => {
  await assert.rejects(buildApp({ db: 'sqlite::memory:', adminPassword: 'acme', hashing: CHEAP }), /too short/)
})

test('the default database is examples/acme/acme.db, by absolute path', () => {
  assert.ok(DEFAULT_DB.startsWith('sqlite:///'))
  assert.ok(DEFAULT_DB.endsWith(join('examples', 'acme', 'acme.db')))
})

test('users, groups and stuff survive a restart; ACME_PASS updates the admin password', async (t) => {
  const db = tempDb(t)
  const users = { acme: { password: 'Acme1' }, meca: { password: 'Mec0!' } }
  const first = await buildApp({ db, adminPassword: 'Acme1', hashing: CHEAP })
  const t1 = new Tester({ app: first, users })
  await t1.post('/user', { login: 'acme', json: { login: 'meca', email: 'meca@acme.org', password: 'Mec0!' }, status: 201 })
  await t1.post('/stuff', { login: 'meca', json: { stuff: 'bear', price: 3 }, status: 201 })
  await first.close()

  let generated: string | undefined
  const second = await buildApp({ db, hashing: CHEAP, onGeneratedPassword: (p) => { generated = p } })
  const t2 = new Tester({ app: second, users })
  assert.equal(generated, undefined, 'acme exists: no new password without ACME_PASS')
  assert.equal((await t2.get('/hello-me', { login: 'meca', status: 200 })).user, 'meca')
  assert.deepEqual(await t2.get('/stuff', { login: 'meca', status: 200 }), [['bear', 3]])
  await t2.post('/user', { login: 'acme', json: { login: 'mace', email: 'mace@acme.org', password: 'Mac1!' }, status: 201 })
  await t2.post('/user', { login: 'acme', json: { login: 'meca', email: 'meca2@acme.org', password: 'Mec0!' }, status: 409 })
  await second.close()

  const third = await buildApp({ db, adminPassword: 'Acme2', hashing: CHEAP })
  const t3 = new Tester({ app: third, users })
  await t3.get('/hello-me', { login: 'acme', status: 401 })
  t3.setPassword('acme', 'Acme2')
  await t3.get('/hello-me', { login: 'acme', status: 200 })
  await t3.post('/user', { login: 'acme', json: { login: 'came', email: 'came@acme.org', password: 'Cam3!' }, status: 201 })
  await third.close()
})

test('npm start\'s entry point serves the demo and stops on SIGTERM', async (t) => {
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', ACME_DB: tempDb(t), ACME_PASS: 'Acme1', ACME_SECRET: '', ACME_TOKEN_TYPE: '' }
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/acme/server.ts'], { cwd: new URL('..', import.meta.url), env, stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let out = ''
  let err = ''
  child.stderr.on('data', (d: Buffer) => { err += d.toString() })
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m?.[1] !== undefined) resolve(m[1])
    })
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}${err}`)))
  })
  const tester = new Tester({ url, users: { acme: { password: 'Acme1' } } })
  assert.equal((await tester.get('/hello', { status: 200 })).msg, 'hello')
  assert.equal((await tester.get('/hello-me', { login: 'acme', status: 200 })).user, 'acme')
  assert.match(out, /Swagger UI on http:\/\/127\.0\.0\.1:\d+\/docs/)
  assert.match(out + err, /random token secret/, 'the plugin warns that a random secret suits a single process')
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  assert.equal(await exit, 0)
})

test('ACME_REDIS_URL without ACME_SECRET stops the demo at start-up and says why', async (t) => {
  const env = { ACME_DB: tempDb(t), ACME_PASS: 'Acme1', ACME_REDIS_URL: 'redis://127.0.0.1:1/2', PORT: '0' }
  await assert.rejects(start({ env, hashing: CHEAP, logger: false, print: () => {} }), /ACME_REDIS_URL needs ACME_SECRET/)
})
