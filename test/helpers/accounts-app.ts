/**
 * Fixtures of the account-route tests: a real app with the secure plugin on a store (in-memory
 * SQLite unless told otherwise, cheap argon2 parameters) and the users plugin with a DevMailer,
 * plus helpers to create users directly in the store and to open temporary databases.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import pg from 'pg'
import { openStore, type SecureOptions, type UserStore } from '../../lib/index.js'
import users, { DevMailer, type UsersOptions } from '../../plugins/users.js'
import { buildApp } from './app.js'

/** Token secret of the test apps (40 bytes). */
export const SECRET = 'x'.repeat(40)
/** Cheap argon2id parameters: these tests are not about hashing. */
// minLength 1: these tests predate the 8-character default and are not about password rules
// (test/passwords-defaults.test.ts checks the defaults)
export const FAST_PASSWORD = Object.freeze({ allowWeak: true, memoryCost: 1024, timeCost: 1, minLength: 1 })
/** PostgreSQL URL of the optional PostgreSQL tests. */
export const PG_URL = process.env.FSA_TEST_PG_URL

/** A test app, its store and its mailer's outbox. */
export interface AccountsApp {
  app: FastifyInstance
  store: UserStore
  mailer: DevMailer
}

/** Options of {@link buildAccountsApp}. */
export interface BuildOptions {
  /** `store` option of the secure plugin. @default 'sqlite::memory:' */
  store?: string | UserStore
  /** More secure-plugin options (token options are merged over the test secret). */
  secure?: Omit<Partial<SecureOptions>, 'token'> & { token?: Record<string, unknown> }
  /** Users-plugin options (a DevMailer is added unless `mailer` is given). */
  users?: UsersOptions
  fastify?: FastifyServerOptions
}

/** A fresh app with both plugins, ready; closed after the test. */
export async function buildAccountsApp (t: TestContext, opts: BuildOptions = {}): Promise<AccountsApp> {
  const mailer = new DevMailer()
  const app = await buildApp(t, {
    store: opts.store ?? 'sqlite::memory:',
    auth: ['token', 'basic', 'param', 'none'],
    password: FAST_PASSWORD,
    ...opts.secure,
    token: { secret: SECRET, ...opts.secure?.token }
  } as SecureOptions, (app) => app.register(users, { mailer, ...opts.users }), { fastify: opts.fastify, ready: true })
  return { app, store: app.fsa.store as UserStore, mailer }
}

/** Create a user directly in the store (confirmed, with a real hash), optionally in groups. */
export async function addUser (app: FastifyInstance, login: string, password: string, opts: { email?: string, groups?: string[], confirmed?: boolean, active?: boolean } = {}): Promise<void> {
  const store = app.fsa.store as UserStore
  await store.createUser({
    login,
    email: opts.email ?? `${login}@example.com`,
    password: await app.fsa.passwords.hash(password, { check: false }),
    confirmed: opts.confirmed ?? true,
    active: opts.active ?? true
  })
  for (const g of opts.groups ?? []) {
    if (!(await store.listGroups()).includes(g)) await store.createGroup(g)
    await store.addToGroup(login, g)
  }
}

/** `Authorization` value of Basic credentials. */
export function basic (login: string, password: string): string {
  return 'Basic ' + Buffer.from(`${login}:${password}`, 'utf8').toString('base64')
}

/** A bearer `Authorization` header. */
export function bearer (token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` }
}

/** A temporary SQLite file URL, removed after the test. */
export function tempSqliteUrl (t: TestContext): { url: string, path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fsa-accounts-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'users.db')
  return { url: `sqlite://${path}`, path }
}

let schemas = 0
/** A store on a fresh PostgreSQL schema (dropped after the test); needs FSA_TEST_PG_URL. */
export async function tempPgStore (t: TestContext): Promise<UserStore> {
  const schema = `fsa_acc_${process.pid}_${Date.now()}_${++schemas}`
  const store = await openStore(PG_URL as string, { schema, poolSize: 20 })
  t.after(async () => {
    await store.close()
    const client = new pg.Client({ connectionString: PG_URL })
    await client.connect()
    try { await client.query(`drop schema if exists ${schema} cascade`) } finally { await client.end() }
  })
  return store
}

/** The token (from the mailed link) in the last mail to `to`. */
export function mailedToken (mailer: DevMailer, to: string): string {
  const text = mailer.last(to)?.text ?? ''
  const match = /token=([A-Za-z0-9_.-]+)/.exec(text)
  if (match === null) throw new Error(`no token in the last mail to ${to}`)
  return match[1] as string
}
