/**
 * Fixtures of the page tests: the secure plugin (cookie carrier, in-memory SQLite, cheap argon2),
 * the users plugin under /auth with a DevMailer, the pages at the root, and an AUTH home page;
 * plus a tiny cookie jar for inject-driven flows.
 */
import type { TestContext } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { SecureOptions, UserStore } from '../../lib/index.js'
import users, { DevMailer } from '../../plugins/users.js'
import pages, { type PagesOptions } from '../../plugins/pages.js'
import { buildApp } from './app.js'
import { FAST_PASSWORD, SECRET } from './accounts-app.js'

/** A page-test app. */
export interface PagesApp { app: FastifyInstance, store: UserStore, mailer: DevMailer }

/** A fresh app with secure, users and pages, and `GET /` (AUTH, login redirect); ready. */
export async function buildPagesApp (t: TestContext, opts: { pages?: PagesOptions, secure?: Partial<SecureOptions>, logs?: boolean } = {}): Promise<PagesApp & { logs: () => string }> {
  const mailer = new DevMailer()
  const app = await buildApp(t, {
    store: 'sqlite::memory:',
    auth: ['token', 'none'],
    password: FAST_PASSWORD,
    token: { secret: SECRET, carrier: 'cookie', name: 'auth' },
    redirect401: true,
    ...opts.secure
  } as SecureOptions, async (a) => {
    await a.register(users, { mailer, prefix: '/auth', loginToken: 'cookie' })
    await a.register(pages, opts.pages ?? {})
    a.get('/', { config: { authorize: 'AUTH' } }, async (request) => `home of ${String(request.authUser)}`)
  }, { ready: true, ...(opts.logs === true ? { logs: 'info' as const } : {}) })
  return { app, store: app.fsa.store as UserStore, mailer, logs: () => app.logs.text() }
}

/** Cookies kept across injected requests, as a browser would (no expiry handling beyond Max-Age=0). */
export class CookieJar {
  readonly cookies = new Map<string, string>()
  /** The Cookie header to send. */
  header (): string { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }
  /** Keep the cookies a response sets (and drop the cleared ones). */
  take (res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as Array<{ name: string, value: string, maxAge?: number, expires?: Date }>) {
      const cleared = c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now()) || c.value === ''
      if (cleared) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    return res
  }
}

/** The value of the hidden `_csrf` field of a page. */
export function csrfOf (html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html)
  if (m === null) throw new Error('no CSRF field in the page')
  return m[1] as string
}

/** A form body. */
export function form (fields: Record<string, string>): { payload: string, headers: Record<string, string> } {
  return { payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }
}
