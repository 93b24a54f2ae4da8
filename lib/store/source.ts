/**
 * The `store` option: the built-in user store (SQLite or PostgreSQL, see lib/store/) becomes the
 * source of password hashes, account state, token versions and group memberships. The option is
 * a database URL (`sqlite://acme.db`, `sqlite::memory:`, `postgres://...`), the string `'env'` to
 * read `FSA_DB_URL`, or an opened `UserStore` (which the application then closes itself).
 */
import { openStore } from './open.js'
import { FSA_ERR_OPT_INVALID } from '../errors/catalogue.js'
import type { UserStore } from './store.js'
import type { UserSource } from '../core/services.js'
import type { SecureOptions } from '../core/types.js'

/** What the plugin keeps of an opened store. */
export interface OpenedStore {
  store: UserStore
  source: UserSource
  /** The current token version of a login (0 for an unknown login). */
  tokenVersion (login: string): Promise<number>
  /** Close the store when the plugin opened it. */
  close (): Promise<void>
}

function isStore (v: unknown): v is UserStore {
  return v !== null && typeof v === 'object' && typeof (v as UserStore).getPasswordHash === 'function' && typeof (v as UserStore).isInGroup === 'function'
}

/** Open (or adopt) the store named by the options; `undefined` without a `store` option. */
export async function openUserSource (options: SecureOptions, log: { info (o: unknown, msg?: string): void }): Promise<OpenedStore | undefined> {
  const opt = options.store
  if (opt === undefined) return undefined
  if (options.getUserPass !== undefined || options.userInGroup !== undefined) {
    throw new FSA_ERR_OPT_INVALID('store', 'the store provides getUserPass and userInGroup: do not give them too')
  }
  let store: UserStore
  let owned = false
  if (typeof opt === 'string') {
    const url = opt === 'env' ? process.env.FSA_DB_URL : opt
    if (url === undefined || url === '') throw new FSA_ERR_OPT_INVALID('store', '"env" needs the FSA_DB_URL environment variable')
    store = await openStore(url, {
      onMigration: (r) => { if (r.applied.length > 0) log.info({ migrations: r.applied }, `fastify-simple-auth: store migrations applied: ${r.applied.join(', ')}`) }
    })
    owned = true
  } else if (isStore(opt)) {
    store = opt
  } else {
    throw new FSA_ERR_OPT_INVALID('store', 'expected a database URL or a UserStore')
  }
  const source: UserSource = {
    getUserPass: async (login) => {
      const p = await store.getPasswordHash(login)
      return p === null ? null : { login: p.login, password: p.hash, active: p.active, tokenVersion: p.tokenVersion }
    },
    userInGroup: (login, group) => store.isInGroup(login, group),
    setPassword: (login, hash) => store.setPassword(login, hash)
  }
  return {
    store,
    source,
    tokenVersion: async (login) => (await store.getPasswordHash(login))?.tokenVersion ?? 0,
    close: async () => { if (owned) await store.close() }
  }
}
