// openStore: URL parsing, options, start-up failures, and the migrator's contract.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { openStore } from '../lib/index.js'
import { parseStoreUrl, redactUrl } from '../lib/store/open.js'
import { migrate } from '../lib/store/migrate.js'
import type { Migration } from '../lib/store/migrate.js'
import { migrations } from '../lib/store/migrations/index.js'
import { createSqliteDialect } from '../lib/store/sqlite.js'
import { LAST_BUILTIN_MIGRATION } from '../lib/testing/store-conformance.js'

/** Every built-in migration's name, in order (start-up applies them all). */
const ALL = migrations.map((m) => m.name)

test("the conformance suite's default migration is the last built-in one", () => {
  assert.equal(LAST_BUILTIN_MIGRATION, ALL.at(-1))
})

const execFileAsync = promisify(execFile)

test('store URLs name an in-memory database, a relative or absolute SQLite file, or PostgreSQL', () => {
  assert.deepEqual(parseStoreUrl('sqlite::memory:'), { kind: 'sqlite', path: ':memory:' })
  assert.deepEqual(parseStoreUrl('sqlite://:memory:'), { kind: 'sqlite', path: ':memory:' })
  assert.deepEqual(parseStoreUrl('sqlite://data/acme.db'), { kind: 'sqlite', path: 'data/acme.db' })
  assert.deepEqual(parseStoreUrl('sqlite:///var/lib/acme.db'), { kind: 'sqlite', path: '/var/lib/acme.db' })
  assert.deepEqual(parseStoreUrl('postgres://u@h/db'), { kind: 'postgres', url: 'postgres://u@h/db' })
  assert.deepEqual(parseStoreUrl('postgresql://u@h/db'), { kind: 'postgres', url: 'postgresql://u@h/db' })
})

test('unsupported store URLs are FSA_ERR_STORE_URL and never show a password', async () => {
  for (const url of ['mysql://u:secret@h/db', 'sqlite://', 'sqlite:', 'acme.db', '', 'postgres://']) {
    await assert.rejects(openStore(url), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'FSA_ERR_STORE_URL')
      assert.doesNotMatch(e.message, /secret/)
      return true
    })
  }
  assert.equal(redactUrl('postgres://bob:s3cret@db:5432/x'), 'postgres://bob:***@db:5432/x')
  assert.equal(redactUrl('postgres://bob@db/x'), 'postgres://bob@db/x')
  assert.throws(() => parseStoreUrl(undefined as unknown as string), { code: 'FSA_ERR_STORE_URL' })
})

test('a PostgreSQL schema option must be a plain lower-case identifier', async () => {
  for (const schema of ['Acme', 'a; drop table users', '1abc', 'x'.repeat(64)]) {
    await assert.rejects(openStore('postgres://postgres@127.0.0.1:1/test', { schema }), { code: 'FSA_ERR_OPT_INVALID' })
  }
})

test('a SQLite file in a missing directory is a 503 at start-up', async () => {
  await assert.rejects(openStore('sqlite:///nonexistent-dir-fsa/x/users.db'), { code: 'FSA_ERR_STORE_UNAVAILABLE', statusCode: 503 })
})

test('migrate: false opens without creating tables; the CLI or a later migrate() creates them', async (t) => {
  const store = await openStore('sqlite::memory:', { migrate: false })
  t.after(() => store.close())
  await assert.rejects(store.getUser('calvin'), /no such table: users/)
  assert.deepEqual(await store.migrate(), { direction: 'up', applied: ALL, errors: [] })
  assert.equal(await store.getUser('calvin'), null)
})

test('onMigration reports what start-up applied, then nothing on the next start', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fsa-open-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const url = `sqlite://${join(dir, 'u.db')}`
  const seen: string[][] = []
  const first = await openStore(url, { onMigration: (r) => seen.push(r.applied) })
  await first.createUser({ login: 'calvin', password: 'h' })
  await first.close()
  const second = await openStore(url, { onMigration: (r) => seen.push(r.applied) })
  assert.equal((await second.getUser('calvin'))?.login, 'calvin')
  await second.close()
  assert.deepEqual(seen, [ALL, []])
})

test('a failing migration is reported, not thrown, and rolls back everything it did', async () => {
  const dialect = await createSqliteDialect(':memory:')
  const failing: Migration = {
    name: '999-broken',
    async up (db) {
      await db.schema.createTable('half_done').addColumn('x', 'integer').execute()
      throw new Error('boom')
    },
    async down () {}
  }
  const result = await migrate(dialect, [...migrations, failing])
  assert.equal(result.applied.length, 0)
  assert.equal(result.errors.length, 1)
  assert.equal(result.errors[0]?.migration, '999-broken')
  assert.equal((result.errors[0]?.error as Error).message, 'boom')
  const tables = await dialect.db.introspection.getTables()
  assert.deepEqual(tables.map((t) => t.name), [], 'the whole batch was rolled back')
  assert.deepEqual(await migrate(dialect, migrations), { direction: 'up', applied: ALL, errors: [] })
  await dialect.destroy()
})

test('a SQLite database locked by another connection answers 503, then recovers', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fsa-lock-'))
  const file = join(dir, 'u.db')
  const store = await openStore(`sqlite://${file}`, { busyTimeout: 50 })
  const other = new Database(file)
  t.after(async () => { other.close(); await store.close(); rmSync(dir, { recursive: true, force: true }) })
  await store.createUser({ login: 'calvin', password: 'h' })
  other.exec('BEGIN EXCLUSIVE')
  const started = Date.now()
  await assert.rejects(store.createUser({ login: 'hobbes', password: 'h' }), { code: 'FSA_ERR_STORE_UNAVAILABLE', statusCode: 503 })
  await assert.rejects(store.patchData('calvin', { a: 1 }, 100), { code: 'FSA_ERR_STORE_UNAVAILABLE', statusCode: 503 })
  await assert.rejects(store.recordLogin('calvin', null), { code: 'FSA_ERR_STORE_UNAVAILABLE' })
  assert.ok(Date.now() - started < 2000, 'waits about busyTimeout, not forever')
  // WAL: readers are not blocked by the writer
  assert.equal((await store.getUser('calvin'))?.login, 'calvin')
  other.exec('COMMIT')
  await store.createUser({ login: 'hobbes', password: 'h' })
  assert.deepEqual(await store.patchData('calvin', { a: 1 }, 100), { a: 1 })
})

test('two processes on one SQLite file serialize their merge patches and lose no update', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fsa-two-'))
  const url = `sqlite://${join(dir, 'u.db')}`
  const store = await openStore(url)
  t.after(async () => { await store.close(); rmSync(dir, { recursive: true, force: true }) })
  await store.createUser({ login: 'calvin', password: 'h' })
  // better-sqlite3 is synchronous: a second connection of the same process waiting on a lock
  // would block the event loop, so the other writer is a real second process.
  const openUrl = new URL('../lib/store/open.ts', import.meta.url).href
  const child = execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
    const { openStore } = await import(${JSON.stringify(openUrl)})
    const s = await openStore(${JSON.stringify(url)})
    for (let i = 0; i < 30; i++) await s.patchData('calvin', { ['c' + i]: i }, 10000)
    await s.close()`], { cwd: process.cwd() })
  let done = false
  void child.finally(() => { done = true }).catch(() => {})
  let mine = 0
  // keep writing for as long as the child runs, so the two writers overlap
  while (!done) {
    await store.patchData('calvin', { [`p${mine}`]: mine }, 100_000)
    mine++
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  await child
  const data = await store.getData('calvin') as Record<string, number>
  assert.equal(Object.keys(data).length, 30 + mine)
  assert.equal(data.c29, 29)
  assert.equal(data[`p${mine - 1}`], mine - 1)
})
