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
import { securePlugin } from '../plugins/secure.js'
import './augment.js'

export { securePlugin as secure }
export default securePlugin
export { perm } from './authorize.js'
export { err, ErrorResponse } from './errors.js'
export { JsonData, type JsonValue } from './params/json-data.js'
export { securitySchemes, withErrorResponses, errorSchemaFor, applyRouteOpenApi } from './openapi.js'
export { openStore } from './store/open.js'
export * as errors from './errors.js'
export type { SecureOptions, SecureRouteConfig, Authorize, Requirement, PermissionTuple, UserPass, GetUserPassFn, UserInGroupFn, GroupCheckFn, ObjectPermFn, CustomSchemeFn, HeaderFn, MaybePromise } from './types.js'
export type { FsaApi } from './api.js'
export type { RouteSecurityInfo, ObjectPermission } from './route-info.js'
export type { TokenInfo, CreateTokenOptions, TokenManager } from './tokens/manager.js'
export type { TokenOptions } from './tokens/options.js'
export type { PasswordOptions } from './passwords/options.js'
export type { PasswordManager } from './passwords/manager.js'
export type { CacheOptions } from './cache/options.js'
export type { CacheLayer, CacheStats } from './cache/layer.js'
export type { ErrorResponseOption, ErrorResponseFn } from './respond.js'
export type { UserStore, UserRecord } from './store/store.js'
