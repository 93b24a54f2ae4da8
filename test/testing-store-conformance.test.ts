// The store conformance suite of `fastify-simple-auth/testing`, as another UserStore
// implementation uses it: what it declares, that a store breaking a rule fails the case about
// it, and that importing the entry loads no database driver.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { openStore, type UserStore } from '../lib/index.js'
import { storeConformance, type ConformanceContext, type StoreConformanceOptions } from '../lib/testing/index.js'

interface Declared { name: string, skip: boolean | string | undefined, fn: (t: ConformanceContext) => Promise<void> }

/** Declare the suite with recording `describe`/`test` functions instead of node:test's. */
function declare (open: (t: ConformanceContext) => Promise<UserStore>, options: Partial<StoreConformanceOptions> = {}): { suites: Array<{ name: string, skip: unknown }>, cases: Declared[] } {
  const suites: Array<{ name: string, skip: unknown }> = []
  const cases: Declared[] = []
  storeConformance('recorded', open, {
    describe: (name, opts, fn) => { suites.push({ name, skip: opts.skip }); fn() },
    test: (name, opts, fn) => { cases.push({ name, skip: opts.skip, fn }) },
    ...options
  })
  return { suites, cases }
}

/** Run one declared case the way node:test would: clean-ups after it, whatever happens. */
async function run (c: Declared): Promise<void> {
  const cleanups: Array<() => unknown> = []
  try {
    await c.fn({ after: (fn) => { cleanups.push(fn) } })
  } finally {
    for (const fn of cleanups) await fn()
  }
}

const sqlite = async (t: ConformanceContext): Promise<UserStore> => {
  const store = await openStore('sqlite::memory:')
  t.after(() => store.close())
  return store
}

test('the suite declares one describe of eighteen cases, and skips the migration case when told to', () => {
  const all = declare(sqlite)
  assert.deepEqual(all.suites, [{ name: 'store conformance: recorded', skip: false }])
  assert.equal(all.cases.length, 18)
  assert.equal(new Set(all.cases.map((c) => c.name)).size, 18)
  assert.ok(all.cases.every((c) => c.skip === false))
  const noMigrations = declare(sqlite, { migration: false, skip: 'no database' })
  assert.deepEqual(noMigrations.suites, [{ name: 'store conformance: recorded', skip: 'no database' }])
  const skipped = noMigrations.cases.filter((c) => c.skip !== false)
  assert.deepEqual(skipped.map((c) => [c.name, c.skip]), [['migrations are idempotent and can be reverted and reapplied', 'the store has no reversible migrations']])
})

test('a store that breaks a rule of the interface fails the case about it', async () => {
  // a store whose email lookup is case-sensitive, everything else delegated to a real store
  const broken = async (t: ConformanceContext): Promise<UserStore> => {
    const store = await sqlite(t)
    const getUserByEmail = async (email: string) => (await store.listUsers()).find((u) => u.email === email) ?? null
    return new Proxy(store, {
      get: (target, key) => {
        if (key === 'getUserByEmail') return getUserByEmail
        const value: unknown = Reflect.get(target, key)
        return typeof value === 'function' ? value.bind(target) : value
      }
    })
  }
  const byName = new Map(declare(broken, { dialect: 'sqlite' }).cases.map((c) => [c.name, c]))
  const created = byName.get('a created user is found by login and email whatever their case, with documented defaults')
  const emails = byName.get('emails can be changed and cleared')
  const groups = byName.get('groups and memberships are managed by name, and deleting a user removes its memberships')
  assert.ok(created !== undefined && emails !== undefined && groups !== undefined)
  await assert.rejects(run(created), assert.AssertionError)
  await assert.rejects(run(emails), assert.AssertionError)
  await run(groups)
  // a store reporting another dialect than the one expected fails too
  const wrongDialect = declare(sqlite, { dialect: 'postgres' }).cases.find((c) => c.name === created.name)
  assert.ok(wrongDialect !== undefined)
  await assert.rejects(run(wrongDialect), { name: 'AssertionError', actual: 'sqlite', expected: 'postgres' })
})

test('importing fastify-simple-auth/testing loads no package, database drivers included', async () => {
  // every module the import resolves is recorded by a resolve hook in the child process
  const hook = 'let port; export function initialize (d) { port = d.port }; ' +
    'export async function resolve (s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r }'
  const script = `
    import { register } from 'node:module'
    import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads'
    const { port1, port2 } = new MessageChannel()
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}), { data: { port: port2 }, transferList: [port2] })
    await import(${JSON.stringify(new URL('../lib/testing/index.ts', import.meta.url).href)})
    const urls = []
    for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) urls.push(m.message)
    port1.close()
    console.log(JSON.stringify(urls))`
  const out = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], (e, stdout) => e !== null ? reject(e) : resolve(stdout))
  })
  const urls = JSON.parse(out) as string[]
  assert.ok(urls.some((u) => u.endsWith('/lib/testing/store-conformance.ts')), 'the hook saw the entry load')
  const packages = urls.filter((u) => u.includes('/node_modules/'))
  assert.deepEqual(packages, [])
})
