/**
 * fastify-simple-auth: declarative security for every Fastify route.
 *
 * @example
 *   import Fastify from 'fastify'
 *   import secure from 'fastify-simple-auth'
 *   const app = Fastify()
 *   await app.register(secure, { auth: 'password', getUserPass: (login) => hashes.get(login) })
 *   app.get('/hello', { config: { authorize: 'OPEN' } }, async () => ({ msg: 'hello' }))
 *   app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: requireUser(req) }))
 */
import { securePlugin } from '../plugins/secure.js'
import './core/augment.js'

export { securePlugin as secure }
export default securePlugin
export { perm } from './core/parse-authorize.js'
export { requireUser } from './core/require-user.js'
export type { FsaTypes, FsaRequestUser } from './core/augment.js'
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
