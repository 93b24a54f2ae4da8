/**
 * fastify-simple-auth: declarative security for every Fastify route.
 *
 * @example
 *   import Fastify from 'fastify'
 *   import secure from 'fastify-simple-auth'
 *   const app = Fastify()
 *   await app.register(secure, { auth: 'password', getUserPass: (login) => hashes.get(login) })
 *   app.get('/hello', { config: { authorize: 'OPEN' } }, async () => ({ msg: 'hello' }))
 */
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { SecureOptions } from './core/types.js'
import './core/augment.js'

/**
 * The `secure` plugin (plugins/secure.ts), whose start-up code (option checks, schemes, tokens,
 * passwords, caches, the parameter layer and what they import) is loaded when the plugin is
 * registered rather than when the package is imported: importing the package stays cheap for
 * code that only needs `perm`, `err` or the types (docs/architecture.md, "Packaging").
 */
async function secure (fastify: FastifyInstance, options: SecureOptions): Promise<void> {
  const { default: plugin } = await import('../plugins/secure.js')
  await plugin(fastify, options)
}

/** The plugin; register it before the routes it protects. */
export const securePlugin = fp(secure, { fastify: '5.x', name: 'fastify-simple-auth' })
export { securePlugin as secure }
export default securePlugin
export { perm } from './core/parse-authorize.js'
export { err, ErrorResponse } from './errors/catalogue.js'
export { JsonData, type JsonValue } from './params/json-data.js'
export { securitySchemes, withErrorResponses, errorSchemaFor, applyRouteOpenApi } from './openapi/security.js'
export { openStore } from './store/open.js'
export * as errors from './errors/catalogue.js'
export type { SecureOptions, SecureRouteConfig, Authorize, Requirement, PermissionTuple, UserPass, GetUserPassFn, UserInGroupFn, GroupCheckFn, ObjectPermFn, CustomSchemeFn, HeaderFn, MaybePromise } from './core/types.js'
export type { FsaApi } from './core/api.js'
export type { RouteSecurityInfo, ObjectPermission } from './core/route-info.js'
export type { TokenInfo, CreateTokenOptions, TokenManager } from './tokens/manager.js'
export type { TokenOptions } from './tokens/options.js'
export type { PasswordOptions } from './passwords/options.js'
export type { PasswordManager } from './passwords/manager.js'
export type { CacheOptions } from './cache/options.js'
export type { CacheLayer, CacheStats } from './cache/layer.js'
export type { ErrorResponseOption, ErrorResponseFn } from './errors/format.js'
export type { UserStore, UserRecord } from './store/store.js'
