// Issue 12: a property test over the account routes and the demo's routes. Arbitrary strings
// (control characters, NUL, lone surrogates, look-alikes, long inputs) in logins, passwords,
// tokens, ids and JSON bodies never produce a 5xx, on SQLite and PostgreSQL (own schema and own
// database). Cheap argon2 parameters (password.allowWeak) keep ~150 runs per app modest.
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import pg from 'pg'
import type { FastifyInstance, InjectOptions } from 'fastify'
import type { TestContext } from 'node:test'
import { buildApp as buildAcme } from '../examples/acme/app.js'
import type { UserStore } from '../lib/index.js'
import { addUser, basic, buildAccountsApp, PG_URL, tempPgStore } from './helpers/accounts-app.js'

const RUNS = 150

/** Strings that found bugs, and random ones of every kind. */
const nasty: fc.Arbitrary<string> = fc.oneof(
  // a control character (NUL most often) somewhere in an ordinary string
  { arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\0', '\0', '\u0001', '\u001f', '\u007f', '\u0085'), fc.string({ maxLength: 8 })).map((p) => p.join('')), weight: 3 },
  fc.constantFrom('\0', 'acme\0', 'acme', 'calvin\u200b', 'calvin\u202e', 'ｃａｌｖｉｎ', '\ud800', 'a\udc00b', '\u0085', 'x'.repeat(5000), '%00', '../..', '__proto__'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ maxLength: 300 })
)

/** Percent-encode the UTF-8 bytes of `s` (lone surrogates become U+FFFD, as a client would send). */
const pct = (s: string): string => [...Buffer.from(s, 'utf8')].map((b) => '%' + b.toString(16).padStart(2, '0')).join('')

/** `{"a":` nested `depth` times. */
const nested = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)

type Req = InjectOptions

/** One request of the account routes built from arbitrary strings. */
function accountRequest (kind: number, a: string, b: string, json: unknown): Req {
  const auth = { authorization: basic('calvin', 'hobbes-12') }
  switch (kind) {
    case 0: return { method: 'POST', url: '/auth/register', payload: { login: a, email: `${pct(b).slice(0, 20)}@example.com`, password: b } }
    case 1: return { method: 'POST', url: '/auth/login', payload: { login: a, password: b } }
    case 2: return { method: 'GET', url: '/auth/me', headers: { authorization: basic(a, b) } }
    case 3: return { method: 'GET', url: `/auth/me?USER=${pct(a)}&PASS=${pct(b)}` }
    case 4: return { method: 'GET', url: `/auth/me?AUTH=${pct(a)}` }
    case 5: return { method: 'POST', url: '/auth/password/reset', payload: { token: a, password: b } }
    case 6: return { method: 'GET', url: `/auth/confirm?token=${pct(a)}` }
    case 7: return { method: 'POST', url: '/auth/password/forgot', payload: { email: a } }
    case 8: return { method: 'GET', url: `/auth/users/${pct(a)}`, headers: auth }
    case 9: return { method: 'PATCH', url: '/auth/me/data', headers: auth, payload: json as object }
    case 10: return { method: 'PUT', url: '/auth/me/data', headers: { ...auth, 'content-type': 'application/json' }, payload: nested(1 + (a.length % 200) * 25) }
    default: return { method: 'POST', url: '/auth/password', headers: auth, payload: { current: a, password: b } }
  }
}

async function neverA5xx (app: FastifyInstance, request: (kind: number, a: string, b: string, json: unknown) => Req, kinds: number): Promise<void> {
  await fc.assert(fc.asyncProperty(fc.nat({ max: kinds - 1 }), nasty, nasty, fc.jsonValue({ maxDepth: 6 }), async (kind, a, b, json) => {
    const req = request(kind, a, b, json)
    const res = await app.inject(req)
    assert.ok(res.statusCode < 500, `${JSON.stringify(req).slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 200)}`)
  }), { numRuns: RUNS })
}

function accountSuite (name: string, storeOf: (t: TestContext) => Promise<string | UserStore>): void {
  test(`account routes: arbitrary logins, passwords, tokens, ids and bodies never give a 5xx (${name})`, async (t) => {
    const { app } = await buildAccountsApp(t, { store: await storeOf(t), secure: { token: { carrier: 'param' } } })
    await addUser(app, 'calvin', 'hobbes-12', { groups: ['admin'] })
    await neverA5xx(app, accountRequest, 12)
  })
}

accountSuite('SQLite', async () => 'sqlite::memory:')
if (PG_URL !== undefined) accountSuite('PostgreSQL', tempPgStore)
else test('account routes on PostgreSQL', { skip: 'FSA_TEST_PG_URL not set' }, () => {})

/** One request of the demo's routes. */
function demoRequest (kind: number, a: string, b: string, json: unknown): Req {
  switch (kind) {
    case 0: return { method: 'GET', url: `/token?username=${pct(a)}&password=${pct(b)}` }
    case 1: return { method: 'POST', url: '/token', payload: { username: a, password: b } }
    case 2: return { method: 'GET', url: '/stuff', headers: { authorization: basic(a, b) } }
    case 3: return { method: 'PATCH', url: `/stuff/${pct(a)}`, headers: { authorization: basic('acme', 'Acme1') }, payload: { price: 1 } }
    case 4: return { method: 'POST', url: '/user', headers: { authorization: basic('acme', 'Acme1') }, payload: { login: a, email: 'x@example.com', password: b } }
    case 5: return { method: 'GET', url: `/len?p=${pct(JSON.stringify(json) ?? 'null')}` }
    case 6: return { method: 'GET', url: `/hello-me?AUTH=${pct(a)}` }
    default: return { method: 'POST', url: '/auth/login', payload: { login: a, password: b } }
  }
}

describe("the demo's routes", () => {
  const dbs: string[] = []
  after(async () => {
    if (dbs.length === 0 || PG_URL === undefined) return
    const admin = new pg.Client({ connectionString: PG_URL })
    await admin.connect()
    try { for (const db of dbs) await admin.query(`drop database if exists ${db} with (force)`) } finally { await admin.end() }
  })

  async function demo (url: string): Promise<FastifyInstance> {
    return await buildAcme({ db: url, adminPassword: 'Acme1', secret: randomBytes(32).toString('hex'), hashing: { memoryCost: 64, timeCost: 1, allowWeak: true } })
  }

  test("the demo's routes never give a 5xx on arbitrary input (SQLite)", async (t) => {
    const app = await demo('sqlite::memory:')
    t.after(() => app.close())
    await neverA5xx(app, demoRequest, 8)
  })

  test("the demo's routes never give a 5xx on arbitrary input (PostgreSQL, own database)", { skip: PG_URL === undefined && 'FSA_TEST_PG_URL not set' }, async (t) => {
    const db = `fsa_prop_${process.pid}_${Date.now()}`
    const admin = new pg.Client({ connectionString: PG_URL })
    await admin.connect()
    try { await admin.query(`create database ${db}`) } finally { await admin.end() }
    dbs.push(db)
    const url = new URL(PG_URL as string)
    url.pathname = '/' + db
    const app = await demo(url.toString())
    t.after(() => app.close())
    await neverA5xx(app, demoRequest, 8)
  })
})
