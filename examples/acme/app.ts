/**
 * The acme application of the tutorial (docs/tutorial.md): `buildApp(options)` returns the
 * configured Fastify instance, ready to `listen()` (examples/acme/server.ts) or to drive with
 * `inject()` in tests (test/acme.test.ts).
 */
import { fileURLToPath } from 'node:url'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions, type RawServerDefault } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import secure, { type SecureOptions } from '../../lib/index.js'
import docs from '../../plugins/docs.js'
import users from '../../plugins/users.js'
import rateLimit from '@fastify/rate-limit'
import { AcmeData } from './data.js'
import { ensureAdmin, stuffPermission } from './auth.js'
import { acmeRoutes, VERSION } from './routes.js'

/** The acme Fastify instance, typed by TypeBox schemas. */
export type AcmeApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>

/** Options of {@link buildApp}; examples/acme/server.ts fills them from the environment. */
export interface AcmeOptions {
  /** Database of users, groups and stuff (`ACME_DB`). @default `sqlite://` + examples/acme/acme.db */
  db?: string
  /** Password of the admin user `acme` (`ACME_PASS`). @default generated when `acme` is created */
  adminPassword?: string
  /** Token signature secret (`ACME_SECRET`). @default random, with the plugin's single-process warning */
  secret?: string
  /**
   * Redis URL of the cache, invalidations and revocations (`ACME_REDIS_URL`; a database index in
   * the path is honoured: `redis://127.0.0.1:6379/2`), so that several demo processes on one
   * PostgreSQL database behave as one. Needs `secret` (Redis entries are keyed and sealed with a
   * key derived from it). @default none: a memory cache of this process
   */
  redis?: string
  /** Redis key and channel prefix (`ACME_REDIS_PREFIX`). @default 'acme:' */
  redisPrefix?: string
  /** Token format (`ACME_TOKEN_TYPE`). @default 'fsa' */
  tokenType?: 'fsa' | 'jwt'
  /**
   * argon2 cost parameters. The demo keeps the plugin's OWASP defaults; tests lower them to run
   * fast (with `allowWeak: true`). @default {}
   */
  hashing?: { memoryCost?: number, timeCost?: number, allowWeak?: boolean }
  /**
   * The plugin's mode (`ACME_MODE`): `dev` adds the FSA-Request, FSA-User and FSA-Delay debug
   * headers, which tell a caller what it should not know (FSA-Delay: whether a login exists), so
   * the demo runs in production mode unless asked. @default 'prod'
   */
  mode?: 'prod' | 'dev'
  /** Fastify's logger option. @default false */
  logger?: FastifyServerOptions['logger']
  /** Called with the admin password when one was generated, so that it is shown once. */
  onGeneratedPassword?: (password: string) => void
}

/** Requests per minute and client on the account routes (/auth/...). */
export const ACCOUNT_REQUESTS_PER_MINUTE = 30

/** The tags of the demo's routes, in the order Swagger UI shows them. */
const ACME_TAGS = [
  { name: 'hello', description: 'Who is there' },
  { name: 'stuff', description: 'Stuff and its price, owned by users' },
  { name: 'tokens', description: 'Tokens from a login and password' },
  { name: 'users', description: 'Users created by admins' },
  { name: 'compute', description: 'Open computations on parameters' }
]

/** `sqlite://` URL of examples/acme/acme.db, an absolute path whatever the working directory. */
export const DEFAULT_DB = 'sqlite://' + fileURLToPath(new URL('./acme.db', import.meta.url))

/**
 * Build the acme application: the stuff table, the `secure` plugin configured as at the end of
 * the tutorial, Swagger UI at /docs, the admin user, the routes and the account routes (/auth).
 *
 * @example
 *   const app = await buildApp({ db: 'sqlite::memory:', adminPassword: 'Acme1' })
 *   const res = await app.inject('/hello')   // 200 {"msg":"hello","version":"0.1.0"}
 */
export async function buildApp (options: AcmeOptions = {}): Promise<AcmeApp> {
  const db = options.db ?? DEFAULT_DB
  const data = await AcmeData.open(db)
  const app = Fastify({ logger: options.logger ?? false }).withTypeProvider<TypeBoxTypeProvider>()
  let open = true
  const closeData = async (): Promise<void> => { if (open) { open = false; await data.close() } }
  app.addHook('onClose', closeData)
  try {
    // #region config
    await app.register(secure, {
      auth: ['token', 'basic', 'param', 'none'],
      realm: 'acme',
      param: { user: 'username', pass: 'password' },
      token: { type: options.tokenType ?? 'fsa', secret: options.secret, delay: 10 },
      // minLength 5 (below the library's 8) because the tutorial replayed from the seeds registers
      // 5-character passwords; common passwords are refused (optional peer @zxcvbn-ts/language-common)
      password: { minLength: 5, regex: ['[A-Z]', '[a-z]', '[0-9]'], refuseCommon: true, ...options.hashing },
      store: db,
      objectPerms: { stuff: stuffPermission(data) },
      errorResponse: 'json:error',
      addHeaders: { Application: 'Acme' },
      mode: options.mode ?? 'prod',
      cache: cacheOptions(options)
    })
    // #endregion config
    // after `secure`, so that its routes (Swagger UI, the document) are declared to it: OPEN,
    // under the HTTPS policy like every route; before the routes, so that the document has them
    await app.register(docs, { openapi: { info: { title: 'Acme', version: VERSION }, tags: ACME_TAGS } })
    const generated = await ensureAdmin(app, storeOf(app), options.adminPassword)
    if (generated !== undefined) options.onGeneratedPassword?.(generated)
    await app.register(acmeRoutes, { data })
    // #region accounts
    // account routes of the built-in store under /auth; users are created by admins (POST /user),
    // so open self-registration is switched off
    // @fastify/rate-limit in a scope of their own: requests per client on the account routes (the
    // plugin's throttling counts failed passwords per login and address, docs/reference/throttling.md)
    await app.register(async (accounts) => {
      await accounts.register(rateLimit, { max: ACCOUNT_REQUESTS_PER_MINUTE, timeWindow: '1 minute' })
      await accounts.register(users, { prefix: '/auth', routes: { register: false } })
    })
    // #endregion accounts
    await app.ready()
  } catch (e) {
    await app.close().catch(() => {})
    await closeData()
    throw e
  }
  return app
}

/** The memory cache of one process, or Redis shared by every process (which needs a secret to derive its key from). */
function cacheOptions (options: AcmeOptions): SecureOptions['cache'] {
  if (options.redis === undefined) return { credentials: { enabled: true } }
  if (options.secret === undefined) throw new TypeError('ACME_REDIS_URL needs ACME_SECRET: Redis entries are keyed and sealed with a key derived from it, and every process must share it')
  return { credentials: { enabled: true }, type: 'redis', redis: options.redis, prefix: options.redisPrefix ?? 'acme:' }
}

function storeOf (app: FastifyInstance): NonNullable<FastifyInstance['fsa']['store']> {
  const store = app.fsa.store
  if (store === undefined) throw new Error('the secure plugin has no store')
  return store
}
