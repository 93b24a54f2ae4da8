// PostgreSQL-specific behaviour: unreachable servers answer 503 quickly (always tested, port 1
// on 127.0.0.1 refuses connections), and concurrent start-ups migrate once (needs FSA_TEST_PG_URL).
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { openStore } from '../lib/index.js'
import { classifyPostgresError } from '../lib/store/postgres.js'
import { migrations } from '../lib/store/migrations/index.js'

const PG_URL = process.env.FSA_TEST_PG_URL
const UNREACHABLE = 'postgres://postgres@127.0.0.1:1/test'

test('an unreachable PostgreSQL fails openStore with a 503 within a second', async () => {
  const started = Date.now()
  await assert.rejects(openStore(UNREACHABLE, { connectTimeout: 1000 }), { code: 'FSA_ERR_STORE_UNAVAILABLE', statusCode: 503 })
  assert.ok(Date.now() - started < 1500)
})

test('store methods on an unreachable PostgreSQL are 503 errors, not hangs or 500s', async (t) => {
  const store = await openStore(UNREACHABLE, { migrate: false, connectTimeout: 1000 })
  t.after(() => store.close())
  const started = Date.now()
  await assert.rejects(store.getUser('calvin'), { code: 'FSA_ERR_STORE_UNAVAILABLE', statusCode: 503 })
  await assert.rejects(store.ping(), { code: 'FSA_ERR_STORE_UNAVAILABLE' })
  await assert.rejects(store.patchData('calvin', {}, 10), { code: 'FSA_ERR_STORE_UNAVAILABLE' })
  assert.ok(Date.now() - started < 3000)
  const result = await store.migrate()
  assert.equal(result.errors.length, 1)
})

test('PostgreSQL errors are classified by SQLSTATE and pool messages', () => {
  const withCode = (code: string) => Object.assign(new Error('x'), { code })
  assert.equal(classifyPostgresError(withCode('23505')), 'conflict')
  assert.equal(classifyPostgresError(withCode('08006')), 'unavailable')
  assert.equal(classifyPostgresError(withCode('57P01')), 'unavailable')
  assert.equal(classifyPostgresError(withCode('40P01')), 'unavailable')
  assert.equal(classifyPostgresError(withCode('ECONNREFUSED')), 'unavailable')
  assert.equal(classifyPostgresError(withCode('42P01')), 'other')
  assert.equal(classifyPostgresError(new Error('timeout exceeded when trying to connect')), 'unavailable')
  assert.equal(classifyPostgresError(new AggregateError([withCode('ECONNREFUSED')], 'all failed')), 'unavailable')
  assert.equal(classifyPostgresError('not an error'), 'other')
})

describe('PostgreSQL start-up', { skip: PG_URL === undefined ? 'FSA_TEST_PG_URL not set' : false }, () => {
  test('two instances starting at once on a new schema both succeed and migrate once', async (t) => {
    const schema = `fsa_race_${process.pid}_${Date.now()}`
    const applied: string[][] = []
    const open = () => openStore(PG_URL as string, { schema, onMigration: (r) => applied.push(r.applied) })
    const stores = await Promise.all([open(), open(), open()])
    const admin = new pg.Client({ connectionString: PG_URL })
    await admin.connect()
    t.after(async () => {
      for (const s of stores) await s.close()
      await admin.query(`drop schema if exists ${schema} cascade`)
      await admin.end()
    })
    const all = migrations.map((m) => m.name)
    assert.deepEqual(applied.flat(), all, 'exactly one instance applied the migrations')
    const rows = await admin.query(`select name from ${schema}.fsa_migrations order by name`)
    assert.deepEqual(rows.rows, all.map((name) => ({ name })))
    await stores[0]?.createUser({ login: 'calvin', password: 'h' })
    assert.equal((await stores[2]?.getUser('CALVIN'))?.login, 'calvin')
  })

  test('a pool timeout is a 503: every connection busy longer than connectTimeout', async (t) => {
    const schema = `fsa_pool_${process.pid}_${Date.now()}`
    const store = await openStore(PG_URL as string, { schema, poolSize: 1, connectTimeout: 200 })
    const admin = new pg.Client({ connectionString: PG_URL })
    await admin.connect()
    t.after(async () => {
      await store.close()
      await admin.query(`drop schema if exists ${schema} cascade`)
      await admin.end()
    })
    await store.createUser({ login: 'calvin', password: 'h' })
    // hold the only pooled connection in a row lock the patch below waits on
    await admin.query('begin')
    await admin.query(`select * from ${schema}.users for update`)
    const slow = store.patchData('calvin', { a: 1 }, 100)
    await assert.rejects(store.getUser('calvin'), { code: 'FSA_ERR_STORE_UNAVAILABLE', statusCode: 503 })
    await admin.query('commit')
    assert.deepEqual(await slow, { a: 1 })
  })
})
