/**
 * The one app builder of the tests: a Fastify app with the real plugin registered through the
 * public entry, closed after the test by `t.after` (even when an assertion or the start-up
 * fails), with its log lines captured on request. The fixture builders (`auth-app.ts`,
 * `accounts-app.ts`) are built on it.
 *
 * @example
 *   test('an AUTH route answers the login', async (t) => {
 *     const app = await buildApp(t, { auth: ['basic'], getUserPass }, (app) => {
 *       app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => req.user)
 *     }, { logs: 'warn' })
 *     assert.equal((await app.inject('/me')).statusCode, 401)
 *     assert.equal(app.logs.lines.length, 0)
 *   })
 */
import { Writable } from 'node:stream'
import type { TestContext } from 'node:test'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import secure, { type SecureOptions } from '../../lib/index.js'

/** Log lines written by an app (JSON text, one per line). */
export interface LogCapture {
  stream: Writable
  lines: string[]
  /** Every line, joined with newlines. */
  text: () => string
}

/** Collects the JSON log lines of an app, to check what is (not) logged. */
export function logCapture (): LogCapture {
  const lines: string[] = []
  const stream = new Writable({
    write (chunk, _enc, cb) { lines.push(...String(chunk).split('\n').filter(Boolean)); cb() }
  })
  return { stream, lines, text: () => lines.join('\n') }
}

/** Log levels of pino. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'

/** How {@link buildApp} builds the app, beside the plugin's options. */
export interface BuildSettings {
  /** Fastify server options. */
  fastify?: FastifyServerOptions
  /** Capture the log lines from this level on into `app.logs` (sets Fastify's logger). */
  logs?: LogLevel
  /** Runs before the plugin is registered: plugins that must come first. */
  before?: (app: FastifyInstance) => unknown
  /** Await `app.ready()` before returning (then no route can be added). @default false */
  ready?: boolean
}

/** The app of a test and its captured logs (empty unless `logs` was given). */
export type TestApp = FastifyInstance & { logs: LogCapture }

/**
 * A fresh app with the secure plugin registered with `options`, then `routes` added. Closed after
 * the test. Start-up errors (bad options) reject here, or at the first `inject` when a route
 * added later is the problem.
 */
export async function buildApp (
  t: TestContext,
  options: SecureOptions = {},
  routes?: (app: FastifyInstance) => unknown,
  settings: BuildSettings = {}
): Promise<TestApp> {
  const logs = logCapture()
  const fastifyOptions = settings.logs === undefined
    ? settings.fastify
    : { ...settings.fastify, logger: { level: settings.logs, stream: logs.stream } }
  const app = Object.assign(Fastify(fastifyOptions), { logs })
  t.after(() => app.close())
  await settings.before?.(app)
  await app.register(secure, options)
  await routes?.(app)
  if (settings.ready === true) await app.ready()
  // the instance is a thenable (avvio): its type resolves to a plain FastifyInstance, the value
  // is this very object, logs included
  return app as unknown as TestApp
}
