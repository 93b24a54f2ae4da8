// Issue 12, problem 8: look-alike logins. Logins are keyed per PRECIS UsernameCaseMapped
// (RFC 8265: width mapping, case mapping, NFC) and refuse control, format (zero-width, bidi),
// unassigned and space characters: `ｃａｌｖｉｎ` is calvin, `calvin\u200b` and `calvin\u202e`
// are refused (400) at registration and unknown (401) at login. Migration 003-login-keys
// recomputes stored keys and refuses to merge accounts whose keys collide. SQLite and PostgreSQL.
import { describe, test } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import Database from 'better-sqlite3'
import pg from 'pg'
import { openStore, type UserStore } from '../lib/index.js'
import { addUser, basic, buildAccountsApp, PG_URL, tempPgStore, tempSqliteUrl } from './helpers/accounts-app.js'

type StoreFactory = (t: TestContext) => Promise<string | UserStore>
const register = (login: string) => ({ method: 'POST' as const, url: '/auth/register', payload: { login, email: `${Math.random().toString(36).slice(2)}@example.com`, password: 'hobbes-12' } })

function lookalikeSuite (name: string, storeOf: StoreFactory): void {
  describe(`look-alike logins on ${name}`, () => {
    test(`fullwidth, zero-width and bidi look-alikes of calvin do not register beside calvin (${name})`, async (t) => {
      const { app, store } = await buildAccountsApp(t, { store: await storeOf(t), users: { confirmOnRegister: false } })
      assert.equal((await app.inject(register('calvin'))).statusCode, 201)
      assert.equal((await app.inject(register('ｃａｌｖｉｎ'))).statusCode, 409, 'fullwidth is calvin')
      assert.equal((await app.inject(register('ＣＡＬＶＩＮ'))).statusCode, 409)
      for (const login of ['calvin\u200b', 'calvin\u202e', '\u2066calvin', 'cal vin', 'calvin\u00a0', 'calvin\u3000', 'cal\ufeffvin', 'calvin\u{e0001}', 'ﬁ', 'calvin\u{10ffff}', 'calvin\ud800']) {
        const res = await app.inject(register(login))
        assert.equal(res.statusCode, 400, `${JSON.stringify(login)}: ${res.body}`)
      }
      assert.equal((await store.listUsers()).length, 1)
      for (const login of ['calvin\u200b', 'calvin\u202e']) {
        assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: basic(login, 'hobbes-12') } })).statusCode, 401)
        assert.equal((await app.inject({ method: 'POST', url: '/auth/login', payload: { login, password: 'hobbes-12' } })).statusCode, 401)
      }
      const wide = await app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: basic('ｃａｌｖｉｎ', 'hobbes-12') } })
      assert.equal(wide.statusCode, 200, 'the fullwidth spelling names calvin')
      assert.equal(wide.json().login, 'calvin')
    })

    test(`a fullwidth login registers in its width-mapped form (${name})`, async (t) => {
      const { app, store } = await buildAccountsApp(t, { store: await storeOf(t), users: { confirmOnRegister: false } })
      const res = await app.inject(register('Ｈｏｂｂｅｓ'))
      assert.equal(res.statusCode, 201, res.body)
      assert.equal(res.json().login, 'Hobbes')
      assert.equal((await store.getUser('HOBBES'))?.login, 'Hobbes')
      assert.equal((await app.inject(register('hobbes'))).statusCode, 409)
      await addUser(app, 'Ångström', 'hobbes-12')
      assert.equal((await store.getUser('A\u030angstro\u0308m'))?.login, 'Ångström', 'NFC')
    })
  })
}

lookalikeSuite('SQLite', async () => 'sqlite::memory:')
if (PG_URL !== undefined) lookalikeSuite('PostgreSQL', tempPgStore)
else test('look-alike logins on PostgreSQL', { skip: 'FSA_TEST_PG_URL not set' }, () => {})

/** Run SQL on the store's database beside the store (the old schema has no store API). */
type Raw = (text: string, values: unknown[]) => Promise<void>

async function migrationCase (store: UserStore, raw: Raw): Promise<void> {
  // revert the later migrations, then 003 itself: back to keys as 001 computed them
  const reverted: string[] = []
  while (reverted[0] !== '003-login-keys') {
    const down = await store.migrate('down')
    assert.equal(down.applied.length, 1, JSON.stringify(down.errors))
    reverted.unshift(...down.applied)
  }
  const insert = (login: string, key: string) => raw('insert into users (login, login_lower, password, created_at) values ($1, $2, $3, $4)', [login, key, 'h', new Date().toISOString()])
  // keys as 001 computed them (NFC, lower case): three distinct keys
  await insert('calvin', 'calvin')
  await insert('ｃａｌｖｉｎ', 'ｃａｌｖｉｎ')
  await insert('ＨＯＢＢＥＳ', 'ｈｏｂｂｅｓ')
  const refused = await store.migrate('up')
  assert.deepEqual(refused.applied, [])
  assert.equal(refused.errors[0]?.migration, '003-login-keys')
  assert.match(String(refused.errors[0]?.error), /login keys collide, accounts not merged: "calvin" \(id \d+\) and "ｃａｌｖｉｎ" \(id \d+\); rename or delete one of each by id in SQL/)
  await raw('delete from users where login = $1', ['ｃａｌｖｉｎ'])
  const up = await store.migrate('up')
  assert.deepEqual(up.applied, reverted, String(up.errors[0]?.error))
  assert.equal((await store.getUser('hobbes'))?.login, 'ＨＯＢＢＥＳ')
  assert.equal((await store.getUser('ｃａｌｖｉｎ'))?.login, 'calvin')
}

test('migration 003-login-keys recomputes keys and reports collisions instead of merging (SQLite)', async (t) => {
  const { url, path } = tempSqliteUrl(t)
  const store = await openStore(url)
  t.after(() => store.close())
  const db = new Database(path)
  t.after(() => db.close())
  await migrationCase(store, async (text, values) => { db.prepare(text.replace(/\$\d/g, '?')).run(...values) })
})

test('migration 003-login-keys recomputes keys and reports collisions instead of merging (PostgreSQL)', { skip: PG_URL === undefined && 'FSA_TEST_PG_URL not set' }, async (t) => {
  const schema = `fsa_keys_${process.pid}_${Date.now()}`
  const store = await openStore(PG_URL as string, { schema })
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` })
  await client.connect()
  t.after(async () => {
    await store.close()
    await client.query(`drop schema if exists ${schema} cascade`)
    await client.end()
  })
  await migrationCase(store, async (text, values) => { await client.query(text, values) })
})
