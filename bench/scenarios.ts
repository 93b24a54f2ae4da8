/**
 * The scenarios of the macro benchmark, each a server built by `bench/server.ts` in its own child
 * process. Every secured scenario registers the real `secure` plugin with its default cache; the
 * baselines are plain Fastify routes answering the same kind of request.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import formbody from '@fastify/formbody'
import { Type } from 'typebox'
import pg from 'pg'
import secure, { perm, requireUser, type SecureOptions, type UserStore } from '../lib/index.js'
import { openStore } from '../lib/store/open.js'
import { ADMINS, LOGIN, OWNERS, PASSWORD, REALM, SECRET, basicAuth } from './fixtures.js'
import { buildFastifyJwt } from './peers/fastify-jwt.js'
import { buildBetterAuth } from './peers/better-auth.js'
import { SESSION_SCENARIOS } from './sessions.js'
import { SkipScenario, type BenchRequest, type BuiltScenario, type Scenario } from './scenario.js'

/** PostgreSQL of the store scenario: FSA_TEST_PG_URL, else the local test database. */
export const PG_URL = process.env.FSA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

const Stuff = Type.Object({ stuff: Type.String({ maxLength: 100 }), price: Type.Number({ minimum: 0 }) })
const JSON_BODY = JSON.stringify({ stuff: 'tiger', price: 12.5 })
const FORM_BODY = 'stuff=tiger&price=12.5'

/** A Fastify app with the plugin registered; the user's hash is computed at the default argon2 parameters. */
async function securedApp (options: SecureOptions): Promise<{ app: FastifyInstance, hash: string }> {
  const app = Fastify()
  const hashes = new Map<string, string>()
  const withUsers: SecureOptions = options.store !== undefined
    ? options
    : { getUserPass: (login: string) => hashes.get(login) ?? null, ...options }
  await app.register(secure, { realm: REALM, ...withUsers })
  const hash = await app.hashPassword(PASSWORD, { check: false })
  hashes.set(LOGIN, hash)
  return { app, hash }
}

const fsaToken = { type: 'fsa', secret: SECRET } as const
const jwtToken = { type: 'jwt', secret: SECRET } as const
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` })
const get = (path: string, headers?: Record<string, string>): BenchRequest => headers === undefined ? { method: 'GET', path } : { method: 'GET', path, headers }
const ready = async (app: FastifyInstance, request: BenchRequest, status = 200): Promise<BuiltScenario> => { await app.ready(); return { app, request, status } }

/** A token-authenticated `/me` route whose handler reads the user from the store (one query per request). */
async function storeScenario (store: string | UserStore, cleanup: () => Promise<void>): Promise<BuiltScenario> {
  const { app, hash } = await securedApp({ auth: ['token'], token: fsaToken, store })
  const users = app.fsa.store
  if (users === undefined) throw new Error('the store option gave no app.fsa.store')
  await users.createUser({ login: LOGIN, password: hash })
  app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => {
    const user = await users.getUser(requireUser(req))
    return { user: user?.login, logins: user?.loginCount }
  })
  await app.ready()
  return { app, request: get('/me', bearer(await app.createToken(LOGIN))), status: 200, close: cleanup }
}

async function sqliteScenario (): Promise<BuiltScenario> {
  const dir = mkdtempSync(join(tmpdir(), 'fsa-bench-sqlite-'))
  return await storeScenario(`sqlite://${join(dir, 'bench.db')}`, async () => { rmSync(dir, { recursive: true, force: true }) })
}

async function postgresScenario (): Promise<BuiltScenario> {
  const schema = `fsa_bench_${process.pid}_${Date.now().toString(36)}`
  let store: UserStore
  try {
    store = await openStore(PG_URL, { schema, connectTimeout: 2000 })
  } catch (e) {
    throw new SkipScenario(`PostgreSQL unreachable at ${PG_URL.replace(/:[^:@/]*@/, ':***@')} (${(e as Error).message}); set FSA_TEST_PG_URL`)
  }
  const drop = async (): Promise<void> => {
    await store.close()
    const client = new pg.Client({ connectionString: PG_URL })
    await client.connect()
    try { await client.query(`drop schema if exists "${schema}" cascade`) } finally { await client.end() }
  }
  return await storeScenario(store, drop)
}

/** Every scenario, in the order of a round (baselines first). */
export const SCENARIOS: Scenario[] = [
  {
    name: 'bare',
    label: 'bare Fastify GET (baseline)',
    build: async () => {
      const app = Fastify()
      app.get('/hello', async () => ({ hello: 'world' }))
      return await ready(app, get('/hello'))
    }
  },
  {
    name: 'open',
    label: 'OPEN route',
    target: 0.97,
    build: async () => {
      const { app } = await securedApp({ auth: ['token', 'basic', 'none'], token: fsaToken })
      app.get('/hello', { config: { authorize: 'OPEN' } }, async () => ({ hello: 'world' }))
      return await ready(app, get('/hello'))
    }
  },
  {
    name: 'fsa',
    label: 'AUTH, fsa token (bearer)',
    target: 0.90,
    build: async () => {
      const { app } = await securedApp({ auth: ['token'], token: fsaToken })
      app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
      return await ready(app, get('/me', bearer(await app.createToken(LOGIN))))
    }
  },
  {
    name: 'jwt',
    label: 'AUTH, JWT HS256 (bearer)',
    target: 0.90,
    build: async () => {
      const { app } = await securedApp({ auth: ['token'], token: jwtToken })
      app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
      return await ready(app, get('/me', bearer(await app.createToken(LOGIN))))
    }
  },
  {
    name: 'basic-cached',
    label: 'AUTH, basic + verified-credentials cache',
    target: 0.80,
    build: async () => {
      const { app } = await securedApp({ auth: ['basic'], cache: { credentials: { enabled: true } } })
      app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
      return await ready(app, get('/me', { authorization: basicAuth(LOGIN, PASSWORD) }))
    }
  },
  {
    name: 'basic',
    label: 'AUTH, basic without it (argon2 per request)',
    build: async () => {
      const { app } = await securedApp({ auth: ['basic'] })
      app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
      return await ready(app, get('/me', { authorization: basicAuth(LOGIN, PASSWORD) }))
    }
  },
  {
    name: 'group',
    label: 'group check (fsa token, groupCheck)',
    target: 0.85,
    build: async () => {
      const { app } = await securedApp({ auth: ['token'], token: fsaToken, groupCheck: { admin: (login: string) => ADMINS.has(login) } })
      app.get('/admin', { config: { authorize: 'admin' } }, async (req) => ({ user: req.user }))
      return await ready(app, get('/admin', bearer(await app.createToken(LOGIN))))
    }
  },
  {
    name: 'jwt-group',
    label: 'group check (JWT, groupCheck)',
    target: 0.85,
    build: async () => {
      const { app } = await securedApp({ auth: ['token'], token: jwtToken, groupCheck: { admin: (login: string) => ADMINS.has(login) } })
      app.get('/admin', { config: { authorize: 'admin' } }, async (req) => ({ user: req.user }))
      return await ready(app, get('/admin', bearer(await app.createToken(LOGIN))))
    }
  },
  {
    name: 'bare-param',
    label: 'bare Fastify GET with a path parameter (baseline)',
    build: async () => {
      const app = Fastify()
      app.get('/stuff/:sid', async (req) => ({ sid: (req.params as { sid: string }).sid }))
      return await ready(app, get('/stuff/s1'))
    }
  },
  {
    name: 'perm',
    label: 'object permission (fsa token, objectPerms)',
    // the route has a path parameter: compare with the same bare route (router cost included)
    baseline: 'bare-param',
    target: 0.85,
    build: async () => {
      const { app } = await securedApp({
        auth: ['token'],
        token: fsaToken,
        objectPerms: { stuff: (login: string, sid: string) => OWNERS.has(sid) ? OWNERS.get(sid) === login : null }
      })
      app.get('/stuff/:sid', { config: { authorize: perm('stuff', 'sid') } }, async (req) => ({ sid: (req.params as { sid: string }).sid }))
      return await ready(app, get('/stuff/s1', bearer(await app.createToken(LOGIN))))
    }
  },
  {
    name: 'bare-post-json',
    label: 'bare Fastify POST, JSON body + schema (baseline)',
    build: async () => {
      const app = Fastify()
      app.post('/stuff', { schema: { body: Stuff } }, async (req, reply) => reply.code(201).send(req.body))
      return await ready(app, { method: 'POST', path: '/stuff', headers: { 'content-type': 'application/json' }, body: JSON_BODY }, 201)
    }
  },
  {
    name: 'post-json',
    label: 'OPEN POST, validated JSON body',
    baseline: 'bare-post-json',
    target: 0.90,
    build: async () => {
      const { app } = await securedApp({ auth: ['token', 'none'], token: fsaToken })
      app.post('/stuff', { config: { authorize: 'OPEN' }, schema: { body: Stuff } }, async (req, reply) => reply.code(201).send(req.body))
      return await ready(app, { method: 'POST', path: '/stuff', headers: { 'content-type': 'application/json' }, body: JSON_BODY }, 201)
    }
  },
  {
    name: 'bare-post-form',
    label: 'bare Fastify POST, form body + schema (baseline)',
    build: async () => {
      const app = Fastify()
      await app.register(formbody)
      app.post('/stuff', { schema: { body: Stuff } }, async (req, reply) => reply.code(201).send(req.body))
      return await ready(app, { method: 'POST', path: '/stuff', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: FORM_BODY }, 201)
    }
  },
  {
    name: 'post-form',
    label: 'OPEN POST, validated form body',
    baseline: 'bare-post-form',
    target: 0.90,
    build: async () => {
      const { app } = await securedApp({ auth: ['token', 'none'], token: fsaToken })
      app.post('/stuff', { config: { authorize: 'OPEN' }, schema: { body: Stuff } }, async (req, reply) => reply.code(201).send(req.body))
      return await ready(app, { method: 'POST', path: '/stuff', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: FORM_BODY }, 201)
    }
  },
  { name: 'sqlite', label: 'AUTH fsa token on the SQLite store, handler reads the user', build: sqliteScenario },
  { name: 'postgres', label: 'AUTH fsa token on the PostgreSQL store, handler reads the user', build: postgresScenario },
  ...SESSION_SCENARIOS,
  { name: 'peer-fastify-jwt', label: 'peer: @fastify/jwt jwtVerify + hand-written group preHandler', build: buildFastifyJwt },
  { name: 'peer-better-auth', label: 'peer: Better Auth getSession (SQLite)', build: buildBetterAuth }
]

/** The scenario named `name`; throws on an unknown name. */
export function scenarioByName (name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name)
  if (s === undefined) throw new Error(`unknown scenario "${name}" (known: ${SCENARIOS.map((x) => x.name).join(', ')})`)
  return s
}
