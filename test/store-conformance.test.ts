// One suite, every database: SQLite in memory and in a file always, PostgreSQL when
// FSA_TEST_PG_URL is set (a fresh schema per test, dropped afterwards). The suite itself is
// exported by fastify-simple-auth/testing for other UserStore implementations.
import { describe, test } from 'node:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openStore } from '../lib/index.js'
import { storeConformance } from '../lib/testing/index.js'

const PG_URL = process.env.FSA_TEST_PG_URL
let counter = 0

async function dropSchema (schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try { await client.query(`drop schema if exists ${schema} cascade`) } finally { await client.end() }
}

storeConformance('sqlite in memory', async (t) => {
  const store = await openStore('sqlite::memory:')
  t.after(() => store.close())
  return store
}, { describe, test, dialect: 'sqlite' })

storeConformance('sqlite file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fsa-store-'))
  const store = await openStore(`sqlite://${join(dir, 'users.db')}`)
  t.after(async () => { await store.close(); rmSync(dir, { recursive: true, force: true }) })
  return store
}, { describe, test, dialect: 'sqlite' })

storeConformance('postgres', async (t) => {
  const schema = `fsa_conf_${process.pid}_${++counter}`
  const store = await openStore(PG_URL as string, { schema })
  t.after(async () => { await store.close(); await dropSchema(schema) })
  return store
}, { describe, test, dialect: 'postgres', skip: PG_URL === undefined ? 'FSA_TEST_PG_URL not set' : false })
