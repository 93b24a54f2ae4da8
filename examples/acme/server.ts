/**
 * `npm start`: serve the acme demo. Configuration comes from the environment:
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `HOST`, `PORT` | where to listen | `127.0.0.1`, `3000` |
 * | `ACME_PASS` | password of the admin user `acme` | generated (and printed once) when `acme` is created |
 * | `ACME_SECRET` | token signature secret | random: tokens die with the process |
 * | `ACME_TOKEN_TYPE` | `fsa` or `jwt` | `fsa` |
 * | `ACME_DB` | database URL of users, groups and stuff | `sqlite://` + examples/acme/acme.db |
 * | `ACME_REDIS_URL` | Redis of the cache, invalidations and revocations, shared by several processes (needs `ACME_SECRET`) | none: memory cache of one process |
 * | `ACME_REDIS_PREFIX` | Redis key and channel prefix | `acme:` |
 * | `ACME_MODE` | `dev` adds the debug headers `FSA-Request`, `FSA-User`, `FSA-Delay` | `prod` |
 */
import { pathToFileURL } from 'node:url'
import { serializers } from '../../lib/index.js'
import { buildApp, DEFAULT_DB, type AcmeApp, type AcmeOptions } from './app.js'

/** What {@link start} needs; unset keys are read from `env`. */
export interface StartOptions extends AcmeOptions {
  /** @default process.env.HOST ?? '127.0.0.1' */
  host?: string
  /** `0` picks a free port. @default process.env.PORT ?? 3000 */
  port?: number
  /** Where configuration is read from. @default process.env */
  env?: NodeJS.ProcessEnv
  /** Where the URLs and a generated password are printed. @default console.log */
  print?: (line: string) => void
}

/** A running demo: the app and its base URL. */
export interface Started { app: AcmeApp, url: string }

function tokenType (value: string | undefined): 'fsa' | 'jwt' {
  if (value === undefined || value === '' || value === 'fsa') return 'fsa'
  if (value === 'jwt') return 'jwt'
  throw new TypeError(`ACME_TOKEN_TYPE must be fsa or jwt, got ${JSON.stringify(value)}`)
}

function acmeMode (value: string | undefined): 'prod' | 'dev' {
  if (value === undefined || value === '' || value === 'prod') return 'prod'
  if (value === 'dev') return 'dev'
  throw new TypeError(`ACME_MODE must be prod or dev, got ${JSON.stringify(value)}`)
}

function port (value: string | undefined): number {
  if (value === undefined || value === '') return 3000
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new TypeError(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(value)}`)
  return n
}

const unlessEmpty = (value: string | undefined): string | undefined => value === '' ? undefined : value

// #region start
/**
 * Build the demo from options and environment, listen, and print where it answers.
 *
 * @example
 *   const { app, url } = await start({ port: 0, adminPassword: 'Acme1' })
 *   await app.close()
 */
export async function start (options: StartOptions = {}): Promise<Started> {
  const env = options.env ?? process.env
  const print = options.print ?? console.log
  const host = options.host ?? unlessEmpty(env.HOST) ?? '127.0.0.1'
  const listenPort = options.port ?? port(env.PORT)
  const app = await buildApp({
    logger: { level: 'warn', serializers },
    ...options,
    db: options.db ?? unlessEmpty(env.ACME_DB) ?? DEFAULT_DB,
    adminPassword: options.adminPassword ?? unlessEmpty(env.ACME_PASS),
    secret: options.secret ?? unlessEmpty(env.ACME_SECRET),
    redis: options.redis ?? unlessEmpty(env.ACME_REDIS_URL),
    redisPrefix: options.redisPrefix ?? unlessEmpty(env.ACME_REDIS_PREFIX),
    tokenType: options.tokenType ?? tokenType(env.ACME_TOKEN_TYPE),
    mode: options.mode ?? acmeMode(env.ACME_MODE),
    onGeneratedPassword: (password) => print(`admin user "acme" created with password ${password} (set ACME_PASS to choose it)`)
  })
  let url: string
  try {
    url = await app.listen({ host, port: listenPort })
  } catch (e) {
    await app.close()
    throw e
  }
  print(`acme demo listening on ${url}`)
  print(`Swagger UI on ${url}/docs`)
  return { app, url }
}
// #endregion start

// `tsx examples/acme/server.ts` (npm start) runs it; importing this module does not.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { app } = await start()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => { void app.close().then(() => process.exit(0)) })
  }
}
