/**
 * Session scenarios of the macro benchmark (issue 12): the same AUTH route on a SQLite store,
 * authenticated by a stateless fsa token or by a session token. Both pay the liveness check (a
 * stateless token may have been logged out, by hash); the session token also notes its activity
 * once a minute. The goal: a cached session token costs at most 1 µs of server CPU per request
 * more than a stateless one (compare `cpuUsPerRequest` of the two rows).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import secure from '../lib/index.js'
import { LOGIN, PASSWORD, REALM, SECRET } from './fixtures.js'
import type { BuiltScenario, Scenario } from './scenario.js'

async function storeTokenScenario (session: boolean): Promise<BuiltScenario> {
  const dir = mkdtempSync(join(tmpdir(), 'fsa-bench-session-'))
  const app = Fastify()
  await app.register(secure, { realm: REALM, auth: ['token'], token: { type: 'fsa', secret: SECRET }, store: `sqlite://${join(dir, 'bench.db')}` })
  await app.fsa.store?.createUser({ login: LOGIN, password: await app.hashPassword(PASSWORD, { check: false }) })
  app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
  await app.ready()
  const token = await app.createToken(LOGIN, session ? { session: true } : undefined)
  return {
    app,
    request: { method: 'GET', path: '/me', headers: { authorization: `Bearer ${token}` } },
    status: 200,
    close: async () => { rmSync(dir, { recursive: true, force: true }) }
  }
}

/** The two session scenarios: stateless first (the baseline of the other). */
export const SESSION_SCENARIOS: Scenario[] = [
  { name: 'store-token', label: 'AUTH, stateless fsa token on the SQLite store', build: async () => await storeTokenScenario(false) },
  {
    name: 'store-session',
    label: 'AUTH, session fsa token on the SQLite store (revocation check cached)',
    baseline: 'store-token',
    build: async () => await storeTokenScenario(true)
  }
]
