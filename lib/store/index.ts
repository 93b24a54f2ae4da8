/** The user store: `openStore(url)` and its types. */
export { openStore, parseStoreUrl, redactUrl } from './open.js'
export type { OpenStoreOptions, StoreTarget } from './open.js'
export type { ListUsersOptions, NewUser, PasswordInfo, UserRecord, UserStore } from './store.js'
export type { Migration, MigrationResult } from './migrate.js'
export type { NewSession, SessionRecord, SessionStore } from './sessions.js'
export { mergePatch } from './merge-patch.js'
