/**
 * `npm run todo`: serve the todo example. Configuration comes from the environment:
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `HOST`, `PORT` | where to listen | `127.0.0.1`, `3000` |
 * | `TODO_DB` | database URL of users and todos | `sqlite://` + examples/todo/todo.db |
 * | `TODO_SECRET` | token and CSRF secret (32 bytes or more) | random: sessions die with the process |
 * | `TODO_PASS` | password of the seed user kevin (kevin@example.com) | generated (and printed once) when kevin is created |
 * | `TODO_MODE` | `dev` prints each mail and its links (full URLs) to the log | `prod` (mails kept in memory) |
 */
import { pathToFileURL } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { serializers } from '../../lib/index.js'
import { buildTodoApp, DEFAULT_DB, LinkPrinter, type TodoOptions } from './app.js'

/** What {@link start} needs; unset keys are read from `env`. */
export interface StartOptions extends TodoOptions {
  host?: string
  /** `0` picks a free port. @default process.env.PORT ?? 3000 */
  port?: number
  env?: NodeJS.ProcessEnv
  /** Where the URL, a generated password and (dev mode) mails are printed. @default console.log */
  print?: (line: string) => void
}

const unlessEmpty = (value: string | undefined): string | undefined => value === '' ? undefined : value

function port (value: string | undefined): number {
  if (value === undefined || value === '') return 3000
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new TypeError(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(value)}`)
  return n
}

function devMode (value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'prod') return false
  if (value === 'dev') return true
  throw new TypeError(`TODO_MODE must be prod or dev, got ${JSON.stringify(value)}`)
}

/** Build the app from options and environment, listen, print where it answers. */
export async function start (options: StartOptions = {}): Promise<{ app: FastifyInstance, url: string }> {
  const env = options.env ?? process.env
  const print = options.print ?? console.log
  const printer = devMode(env.TODO_MODE) ? new LinkPrinter(print) : undefined
  const app = await buildTodoApp({
    logger: { level: 'warn', serializers },
    mailer: printer,
    ...options,
    db: options.db ?? unlessEmpty(env.TODO_DB) ?? DEFAULT_DB,
    secret: options.secret ?? unlessEmpty(env.TODO_SECRET),
    seedPassword: options.seedPassword ?? unlessEmpty(env.TODO_PASS),
    onGeneratedPassword: (password) => print(`user kevin (kevin@example.com) created with password ${password} (set TODO_PASS to choose it)`)
  })
  let url: string
  try {
    url = await app.listen({ host: options.host ?? unlessEmpty(env.HOST) ?? '127.0.0.1', port: options.port ?? port(env.PORT) })
  } catch (e) {
    await app.close()
    throw e
  }
  if (printer !== undefined) printer.base = url
  print(`todo example listening on ${url}`)
  return { app, url }
}

// `tsx examples/todo/server.ts` (npm run todo) runs it; importing this module does not.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { app } = await start()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => { void app.close().then(() => process.exit(0)) })
  }
}
