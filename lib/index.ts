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
import type { FastifyPluginAsync } from 'fastify'
import type { SecureOptions } from './core/types.js'
import './core/augment.js'

/** A promise that starts `load` only when first awaited (then, catch or finally). */
function lazy<T> (load: () => Promise<T>): Promise<T> {
  let loading: Promise<T> | undefined
  const get = (): Promise<T> => (loading ??= load())
  return {
    then: (onValue, onError) => get().then(onValue, onError),
    catch: (onError) => get().catch(onError),
    finally: (onFinally) => get().finally(onFinally),
    [Symbol.toStringTag]: 'Promise'
  }
}

/**
 * The `secure` plugin, as a module to load: `fastify.register(secure, options)` works as with any
 * plugin, and Fastify imports plugins/secure.ts (option checks, schemes, tokens, passwords,
 * caches, the parameter layer and what they import) when it loads the plugin, as it does for
 * `fastify.register(import('./plugin.js'))`. Importing the package therefore stays cheap, and the
 * module loading is not counted in the plugin's start-up timeout (docs/architecture.md, "Packaging").
 */
export const securePlugin: Promise<{ default: FastifyPluginAsync<SecureOptions> }> = lazy(() => import('../plugins/secure.js'))
export { securePlugin as secure }
export default securePlugin
export { perm } from './core/parse-authorize.js'
export { requireUser } from './core/require-user.js'
export type { FsaTypes, FsaRequestUser } from './core/augment.js'
export { err, ErrorResponse } from './errors/catalogue.js'
export { JsonData, type JsonValue } from './params/json-data.js'
export { FileUpload, UploadedFile } from './params/uploads.js'
export { securitySchemes, withErrorResponses, errorSchemaFor, applyRouteOpenApi } from './openapi/security.js'
export { convertDocumentSchemas, toOpenApiSchema } from './openapi/schemas.js'
export { describeOperation } from './openapi/describe.js'
export { openStore } from './store/open.js'
export { serializers, redactUrl } from './http/redact.js'
export * as errors from './errors/catalogue.js'
export type { SecureOptions, SecureRouteConfig, Authorize, Requirement, PermissionTuple, UserPass, GetUserPassFn, UserInGroupFn, GroupCheckFn, ObjectPermFn, CustomSchemeFn, HeaderFn, MaybePromise } from './core/types.js'
export type { FsaApi } from './core/api.js'
export type { RouteSecurityInfo, ObjectPermission } from './core/route-info.js'
export type { TokenInfo, CreateTokenOptions, TokenManager } from './tokens/manager.js'
export type { AppTokenOptions } from './core/session-tokens.js'
export type { TokenOptions } from './tokens/options.js'
export type { PasswordOptions } from './passwords/options.js'
export type { PasswordManager } from './passwords/manager.js'
export type { CacheOptions } from './cache/options.js'
export type { CacheLayer, CacheStats } from './cache/layer.js'
export type { ErrorResponseOption, ErrorResponseFn } from './errors/format.js'
export type { UserStore, UserRecord } from './store/store.js'
export type { SessionStore, SessionRecord, NewSession } from './store/sessions.js'
