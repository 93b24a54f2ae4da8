/**
 * Peer: Better Auth's session check. A Fastify route calls `auth.api.getSession({ headers })` on
 * Better Auth's own SQLite store (better-sqlite3 through its Kysely adapter), with a user and a
 * session created in set-up by `signUpEmail`. The session cookie is sent on every request, so
 * each request reads the session (and its user) from SQLite, as Better Auth does by default
 * (its cookie cache is off unless configured).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import Fastify from 'fastify'
import { betterAuth } from 'better-auth'
import { getMigrations } from 'better-auth/db/migration'
import { fromNodeHeaders } from 'better-auth/node'
import type { BuiltScenario } from '../scenario.js'

/** Build the Better Auth peer: migrated SQLite database, one user, one session cookie. */
export async function buildBetterAuth (): Promise<BuiltScenario> {
  const dir = mkdtempSync(join(tmpdir(), 'fsa-bench-ba-'))
  const db = new Database(join(dir, 'auth.db'))
  db.pragma('journal_mode = WAL')
  const auth = betterAuth({
    database: db,
    secret: 'bench-secret-0123456789-abcdefghijklmnop',
    baseURL: 'http://127.0.0.1:3000',
    emailAndPassword: { enabled: true },
    logger: { disabled: true },
    telemetry: { enabled: false }
  })
  const { runMigrations } = await getMigrations(auth.options)
  await runMigrations()
  const signUp = await auth.api.signUpEmail({
    body: { email: 'calvin@example.com', password: 'Hobbes-123-tiger', name: 'Calvin' },
    returnHeaders: true
  })
  const setCookie = signUp.headers.get('set-cookie') ?? ''
  const cookie = /(?:^|,\s*)((?:__Secure-)?better-auth\.session_token=[^;]+)/.exec(setCookie)?.[1]
  if (cookie === undefined) throw new Error(`Better Auth sign-up returned no session cookie: ${setCookie.slice(0, 80)}`)

  const app = Fastify()
  app.get('/me', async (req, reply) => {
    const session = await auth.api.getSession({ headers: fromNodeHeaders(req.headers) })
    if (session === null) return reply.code(401).send({ error: 'no session' })
    return { user: session.user.email }
  })
  return {
    app,
    request: { method: 'GET', path: '/me', headers: { cookie } },
    status: 200,
    close: async () => { db.close(); rmSync(dir, { recursive: true, force: true }) }
  }
}
