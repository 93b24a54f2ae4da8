/**
 * Shared fixtures of the authentication tests: a few users whose argon2id hashes are computed once
 * per test file (with small parameters, `allowWeak`, since these tests are not about hashing), an
 * app builder (on test/helpers/app.ts) that registers the real plugin with those users, and small
 * request helpers.
 */
import type { TestContext } from 'node:test'
import type { FastifyServerOptions } from 'fastify'
import argon2 from 'argon2'
import type { SecureOptions } from '../../lib/index.js'
import { buildApp, type TestApp } from './app.js'

export { logCapture } from './app.js'

/** Small argon2id parameters for tests that are not about hashing. */
export const FAST_PASSWORD = Object.freeze({ memoryCost: 1024, timeCost: 1, allowWeak: true })

/** A token secret long enough for fsa and HS256 (32 bytes or more). */
export const SECRET = 'auth-tests-secret-0123456789-abcdefghijklmnop'

/** Logins and their clear passwords (a colon and non-ASCII characters on purpose). */
export const PASSWORDS: Readonly<Record<string, string>> = Object.freeze({
  calvin: 'hobbes',
  hobbes: 'calvin',
  'éloïse': 'mot:de:passe€',
  susie: 'Derkins!'
})

let hashes: Promise<Map<string, string>> | undefined

/** The argon2id hashes of {@link PASSWORDS}, computed once per process. */
export function userHashes (): Promise<Map<string, string>> {
  hashes ??= (async () => {
    const map = new Map<string, string>()
    for (const [login, pwd] of Object.entries(PASSWORDS)) {
      map.set(login, await argon2.hash(pwd, { type: argon2.argon2id, ...FAST_PASSWORD, parallelism: 1 }))
    }
    return map
  })()
  return hashes
}

/** A `getUserPass` over the fixture users that counts its calls. */
export async function fixtureUsers (): Promise<{ getUserPass: (login: string) => string | null, calls: string[] }> {
  const map = await userHashes()
  const calls: string[] = []
  return { calls, getUserPass: (login) => { calls.push(login); return map.get(login) ?? null } }
}

/** `Authorization` value of Basic credentials (UTF-8, RFC 7617). */
export function basic (login: string, password: string): string {
  return 'Basic ' + Buffer.from(`${login}:${password}`, 'utf8').toString('base64')
}

/** Freeze an object and everything it holds (functions excepted), to prove it is not mutated. */
export function deepFreeze<T> (value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

/**
 * A fresh app with the plugin registered over the fixture users (fast hashes, fixed token secret)
 * and `options` on top, plus `GET /open` (OPEN, when `none` is enabled), and `GET|POST /auth` (AUTH) that answer
 * `{ user, scheme }`; closed after the test. Call `app.ready()` (or inject) yourself.
 */
export async function buildAuthApp (t: TestContext, options: SecureOptions = {}, fastifyOptions: FastifyServerOptions = {}): Promise<TestApp & { calls: string[] }> {
  const users = await fixtureUsers()
  const app = await buildApp(t, {
    getUserPass: users.getUserPass,
    password: FAST_PASSWORD,
    ...options,
    token: { secret: SECRET, ...options.token }
  }, (app) => {
    const who = async (request: { authUser: string | null, authScheme: string | null }) => ({ user: request.authUser, scheme: request.authScheme })
    if (app.fsa.schemes.includes('none')) app.get('/open', { config: { authorize: 'OPEN', auth: 'none' } }, who)
    app.route({ method: ['GET', 'POST'], url: '/auth', config: { authorize: 'AUTH' }, handler: who })
  }, { fastify: fastifyOptions })
  return Object.assign(app, { calls: users.calls })
}
