// The todo example's JSON API through inject: AUTH everywhere, users see and change only their
// own todos (404 for another's when reading through the list, 403/404 by id), the CSRF token
// required on every change, persistence in the database, the seed user and the dev-mode mail log.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildTodoApp, LinkPrinter } from '../examples/todo/app.js'
import { CookieJar, csrfOf, form } from './helpers/pages-app.js'
import { FAST_PASSWORD, PG_URL } from './helpers/accounts-app.js'
import { freshDatabase } from './helpers/processes.js'

const HASHING = { memoryCost: 1024, timeCost: 1 }

/** Sign in through the page; the jar keeps the session and CSRF cookies; returns the page's CSRF token for the API. */
async function signIn (app: FastifyInstance, login: string, password: string): Promise<{ jar: CookieJar, csrf: string }> {
  const jar = new CookieJar()
  const page = jar.take(await app.inject({ method: 'GET', url: '/login' }))
  const f = form({ _csrf: csrfOf(page.body), login, password })
  const res = jar.take(await app.inject({ method: 'POST', url: '/login', payload: f.payload, headers: { ...f.headers, cookie: jar.header() } }))
  assert.equal(res.statusCode, 303, res.body)
  const home = jar.take(await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html', cookie: jar.header() } }))
  assert.equal(home.statusCode, 200)
  assert.match(home.body, /class="new-todo"/)
  assert.match(String(home.headers['content-security-policy']), /script-src 'self'/)
  const meta = /<meta name="csrf-token" content="([^"]+)">/.exec(home.body)
  assert.ok(meta !== null)
  return { jar, csrf: meta[1] as string }
}

test('todos belong to their owner: another user neither sees nor changes them; changes need the CSRF token', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fsa-todo-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const db = 'sqlite://' + join(dir, 'todo.db')
  let app = await buildTodoApp({ db, seedPassword: 'kevin-password', hashing: { ...FAST_PASSWORD, ...HASHING } })
  await app.fsa.store!.createUser({ login: 'other', email: 'other@example.com', password: await app.fsa.passwords.hash('other-password', { check: false }), confirmed: true })
  const kevin = await signIn(app, 'kevin@example.com', 'kevin-password')
  const json = (s: { jar: CookieJar, csrf: string }, csrf = true) => ({ cookie: s.jar.header(), 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': s.csrf } : {}) })
  const added = await app.inject({ method: 'POST', url: '/todos', headers: json(kevin), payload: { title: ' milk ' } })
  assert.equal(added.statusCode, 201)
  const todo = added.json() as { id: number, title: string }
  assert.equal(todo.title, 'milk')
  assert.equal((await app.inject({ method: 'POST', url: '/todos', headers: json(kevin, false), payload: { title: 'forged' } })).statusCode, 403)
  assert.equal((await app.inject({ method: 'POST', url: '/todos', headers: { ...json(kevin), origin: 'http://127.0.0.1:9' }, payload: { title: 'forged' } })).statusCode, 403)
  assert.equal((await app.inject({ method: 'PATCH', url: `/todos/${todo.id}`, headers: json(kevin), payload: { completed: true } })).json().completed, true)
  assert.equal((await app.inject({ method: 'POST', url: '/todos', headers: json(kevin), payload: { title: 'x', owner: 'other' } })).statusCode, 400)
  assert.equal((await app.inject({ method: 'GET', url: '/todos' })).statusCode, 401, 'no cookie, JSON client: 401, no redirect')

  const other = await signIn(app, 'other', 'other-password')
  assert.deepEqual((await app.inject({ method: 'GET', url: '/todos', headers: json(other) })).json(), [])
  assert.equal((await app.inject({ method: 'GET', url: `/todos/${todo.id}`, headers: json(other) })).statusCode, 403)
  assert.equal((await app.inject({ method: 'PATCH', url: `/todos/${todo.id}`, headers: json(other), payload: { title: 'mine now' } })).statusCode, 403)
  assert.equal((await app.inject({ method: 'DELETE', url: `/todos/${todo.id}`, headers: { cookie: other.jar.header(), 'x-csrf-token': other.csrf } })).statusCode, 403)
  assert.equal((await app.inject({ method: 'GET', url: '/todos/999999', headers: json(other) })).statusCode, 404)
  // kevin's CSRF token is bound to kevin: useless to the other account
  assert.equal((await app.inject({ method: 'POST', url: '/todos', headers: { ...json(other), 'x-csrf-token': kevin.csrf }, payload: { title: 'x' } })).statusCode, 403)

  await app.close()
  app = await buildTodoApp({ db, seedPassword: 'ignored-now', hashing: { ...FAST_PASSWORD, ...HASHING } })
  t.after(() => app.close())
  const again = await signIn(app, 'kevin', 'kevin-password')
  assert.deepEqual((await app.inject({ method: 'GET', url: '/todos', headers: json(again) })).json(), [{ id: todo.id, title: 'milk', completed: true }])
})

test('the seed password is generated and reported once; dev mode prints each mailed link with its full URL', async (t) => {
  const lines: string[] = []
  const printer = new LinkPrinter((l) => lines.push(l))
  printer.base = 'http://127.0.0.1:3000'
  let generated: string | undefined
  const app = await buildTodoApp({ db: 'sqlite::memory:', mailer: printer, onGeneratedPassword: (p) => { generated = p }, hashing: { ...FAST_PASSWORD, ...HASHING } })
  t.after(() => app.close())
  assert.ok(generated !== undefined && generated.length >= 16)
  await signIn(app, 'kevin', generated)
  const jar = new CookieJar()
  const page = jar.take(await app.inject({ method: 'GET', url: '/register' }))
  const f = form({ _csrf: csrfOf(page.body), email: 'susie@example.com', login: 'susie', password: 'susie-password', confirm: 'susie-password' })
  assert.equal((await app.inject({ method: 'POST', url: '/register', payload: f.payload, headers: { ...f.headers, cookie: jar.header() } })).statusCode, 201)
  assert.match(lines.join('\n'), /^mail to susie@example\.com: Todo: confirm your email address\n {2}link: http:\/\/127\.0\.0\.1:3000\/confirm\/[A-Za-z0-9._-]+$/m)
})

/** Hostile input on every API route: 4xx, never a 5xx, nothing stored. */
async function hostileInputs (app: FastifyInstance): Promise<void> {
  const s = await signIn(app, 'kevin', 'kevin-password')
  const headers = { cookie: s.jar.header(), 'content-type': 'application/json', 'x-csrf-token': s.csrf }
  for (const title of ['a\u0000b', '   ', '', 'x'.repeat(501), 'tab\there']) {
    assert.equal((await app.inject({ method: 'POST', url: '/todos', headers, payload: { title } })).statusCode, 400, JSON.stringify(title))
  }
  for (const id of ['0', '-1', '2147483648', '99999999999999999999', 'abc', '1.5', '%00']) {
    const res = await app.inject({ method: 'PATCH', url: `/todos/${id}`, headers, payload: { completed: true } })
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${id}: ${res.statusCode}`)
  }
  assert.deepEqual((await app.inject({ method: 'GET', url: '/todos', headers })).json(), [])
  const added = await app.inject({ method: 'POST', url: '/todos', headers, payload: { title: 'Kaffee ☕ 日本' } })
  assert.equal(added.statusCode, 201)
  assert.equal((await app.inject({ method: 'PATCH', url: `/todos/${(added.json() as { id: number }).id}`, headers, payload: { title: 'x', completed: 'yes' } })).statusCode, 400)
}

test('hostile input on the JSON API is a 4xx, never a 5xx (SQLite)', async (t) => {
  const app = await buildTodoApp({ db: 'sqlite::memory:', seedPassword: 'kevin-password', hashing: { ...FAST_PASSWORD, ...HASHING } })
  t.after(() => app.close())
  await hostileInputs(app)
})

test('the todo example on PostgreSQL: todos are stored, hostile input is a 4xx', { skip: PG_URL === undefined ? 'FSA_TEST_PG_URL not set' : false }, async (t) => {
  const db = await freshDatabase(t, PG_URL as string, `fsa_todo_${process.pid}_${Date.now()}`)
  const app = await buildTodoApp({ db, seedPassword: 'kevin-password', hashing: { ...FAST_PASSWORD, ...HASHING } })
  // closed before the database is dropped (after-hooks run in registration order)
  try { await hostileInputs(app) } finally { await app.close() }
})
