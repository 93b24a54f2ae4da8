/**
 * The `store` option: the built-in user store (SQLite or PostgreSQL, see lib/store/) becomes the
 * source of password hashes, account state, token versions and group memberships. The option is
 * a database URL (`sqlite://acme.db`, `sqlite::memory:`, `postgres://...`), the string `'env'` to
 * read `FSA_DB_URL`, or an opened `UserStore` (which the application then closes itself).
 */
import { openStore, parseStoreUrl } from './open.js'
import { FSA_ERR_OPT_INVALID } from '../errors/catalogue.js'
import type { UserStore } from './store.js'
import type { UserSource } from '../core/services.js'
import type { SecureOptions } from '../core/types.js'

/** What the plugin keeps of an opened store. */
export interface OpenedStore {
  store: UserStore
  source: UserSource
  /** What a new token of a login is bound to: its current version and uniquifier (unknown login: version 0, no uniquifier). */
  tokenBinding (login: string): Promise<{ version: number, uniquifier: string | undefined }>
  /** Close the store when the plugin opened it. */
  close (): Promise<void>
}

/** What the `store` option asks for, checked at start-up before anything is opened. */
export type StorePlan = { url: string } | { store: UserStore }

/**
 * Check the `store` option without opening anything: `undefined` without one; a URL (from `'env'`
 * through `FSA_DB_URL`) that `openStore` supports; or the application's own `UserStore`.
 */
export function resolveStoreOption (options: SecureOptions, env: NodeJS.ProcessEnv = process.env): StorePlan | undefined {
  const opt = options.store
  if (opt === undefined) return undefined
  if (options.getUserPass !== undefined || options.userInGroup !== undefined) {
    throw new FSA_ERR_OPT_INVALID('store', 'the store provides getUserPass and userInGroup: do not give them too')
  }
  if (typeof opt !== 'string') return { store: opt }
  const url = opt === 'env' ? env.FSA_DB_URL : opt
  if (url === undefined || url === '') throw new FSA_ERR_OPT_INVALID('store', '"env" needs the FSA_DB_URL environment variable')
  parseStoreUrl(url)
  return { url }
}

/** Open (or adopt) the planned store; the plugin closes a store it opened, never the application's. */
export async function openUserSource (plan: StorePlan, log: { info (o: unknown, msg?: string): void }): Promise<OpenedStore> {
  const owned = 'url' in plan
  const store = 'url' in plan
    ? await openStore(plan.url, {
      onMigration: (r) => { if (r.applied.length > 0) log.info({ migrations: r.applied }, `fastify-simple-auth: store migrations applied: ${r.applied.join(', ')}`) }
    })
    : plan.store
  const source: UserSource = {
    getUserPass: async (login) => {
      const p = await store.getPasswordHash(login)
      return p === null ? null : { login: p.login, password: p.hash, active: p.active, tokenVersion: p.tokenVersion, uniquifier: p.uniquifier }
    },
    userInGroup: (login, group) => store.isInGroup(login, group),
    setPassword: (login, hash) => store.setPassword(login, hash)
  }
  return {
    store,
    source,
    tokenBinding: async (login) => {
      const p = await store.getPasswordHash(login)
      return { version: p?.tokenVersion ?? 0, uniquifier: p?.uniquifier === '' ? undefined : p?.uniquifier }
    },
    close: async () => { if (owned) await store.close() }
  }
}
