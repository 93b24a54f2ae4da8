/**
 * fastify-simple-auth: the `secure` plugin. Every route declares `config.authorize`; how users
 * authenticate is configuration. Register it before the routes it protects:
 *
 * ```ts
 * await app.register(secure, { auth: 'password', getUserPass: (login) => db.hashOf(login) })
 * app.get('/hello', { config: { authorize: 'OPEN' } }, async () => 'hello')
 * app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
 * ```
 *
 * Request-time logic lives in lib/ (route.ts compiles, route-hooks.ts enforces); this file only
 * wires it into Fastify's lifecycle.
 */
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { validateOptions } from '../lib/core/options.js'
import { buildServices, type UserSource } from '../lib/core/services.js'
import { compileRoute } from '../lib/core/route-compiler.js'
import { closedHook, protectedHooks, secureOpenHandler, type HookServices } from '../lib/core/route-hooks.js'
import { runSchemes, requireLogin } from '../lib/schemes/chain.js'
import { installResponseHooks } from '../lib/core/response-hooks.js'
import { makeErrorHandler, makeNotFoundHandler } from '../lib/errors/handlers.js'
import { FSA_ERR_ROUTE_UNDECLARED, FSA_ERR_TOKEN_NO_SIGNER } from '../lib/errors/catalogue.js'
import { openUserSource } from '../lib/store/source.js'
import { installParams, compileRouteParams, formatValidationError, type ParamSettings } from '../lib/params/index.js'
import type { FsaApi } from '../lib/core/api.js'
import type { RouteSecurityInfo } from '../lib/core/route-info.js'
import type { SecureOptions } from '../lib/core/types.js'
import '../lib/core/augment.js'

/** Put `hooks` (skipping absent ones) before the route's own hooks of that stage. */
function prepend<T> (existing: T | T[] | undefined, ...hooks: Array<T | null | undefined>): T | T[] | undefined {
  const mine = hooks.filter((h): h is T => h !== undefined && h !== null)
  if (mine.length === 0) return existing
  if (existing === undefined) return mine
  return [...mine, ...(Array.isArray(existing) ? existing : [existing])]
}

async function secure (fastify: FastifyInstance, options: SecureOptions): Promise<void> {
  validateOptions(options)
  const store = await openUserSource(options, fastify.log)
  const source: UserSource | undefined = store?.source
  let services: Awaited<ReturnType<typeof buildServices>>
  try {
    services = await buildServices(fastify, options, source)
    // the argon2 binding loads now when the application verifies passwords (a broken one fails
    // ready(), not every login); a token-only application never loads it
    if (options.getUserPass !== undefined || store !== undefined) await services.passwords.load()
  } catch (e) {
    await store?.close() // a bad option after the store was opened must not leave it open
    throw e
  }
  const { sendError, cache, tokens, passwords, compiler } = services
  // @fastify/cookie is loaded only for the cookie carrier
  if (tokens?.options.carrier === 'cookie' && !fastify.hasRequestDecorator('cookies')) await fastify.register(import('@fastify/cookie'))
  const audit: RouteSecurityInfo[] = []
  const hookServices: HookServices = { sendError, cache, secure: options.secure ?? true }
  const paramSettings: ParamSettings = { rejectUnexpectedParam: options.rejectUnexpectedParam ?? true, authParams: services.authParams, sendError }
  await installParams(fastify, paramSettings)

  fastify.decorateRequest('user', null)
  fastify.decorateRequest('authScheme', null)
  fastify.decorateRequest('authToken', null)
  const defaultSchemes = services.defaultSchemes.filter((n) => n !== 'none').map((n) => services.schemes.get(n)).filter((s) => s !== undefined)
  fastify.decorateRequest('authenticate', async function (this: FastifyRequest, opts?: { required?: boolean }) {
    if (this.user !== null) return this.user
    const login = await runSchemes(this, defaultSchemes, services.realm)
    return opts?.required === false ? login : requireLogin(login)
  })

  fastify.decorate('createToken', async (login: string, opts?: Parameters<FastifyInstance['createToken']>[1]) => {
    if (tokens === undefined) throw new FSA_ERR_TOKEN_NO_SIGNER('tokens are not enabled: add "token" to auth or set the token option')
    const version = opts?.version ?? (store !== undefined ? await store.tokenVersion(login) : undefined)
    return tokens.create(login, version !== undefined ? { ...opts, version } : { ...opts })
  })
  fastify.decorate('hashPassword', (password: string, opts?: { check?: boolean }) => passwords.hash(password, opts))
  fastify.decorate('checkPassword', async (password: string, hash: string) => (await passwords.verify(password, hash)).ok)
  fastify.decorate('checkPasswordQuality', (password: string) => passwords.checkQuality(password))

  const api: FsaApi = {
    routes: () => audit.map((r) => ({ ...r })),
    schemes: services.enabled,
    realm: services.realm,
    param: services.param,
    clearCaches: () => cache.clear(),
    uncacheUser: (login: string) => cache.uncacheUser(login),
    cacheStats: () => cache.stats(),
    sendError: (reply: FastifyReply, status: number, message: string, headers?: Record<string, string>) => sendError(reply, status, message, headers),
    handleError: makeErrorHandler(sendError, formatValidationError),
    passwords,
    tokens,
    store: store?.store
  }
  fastify.decorate('fsa', api)

  fastify.addHook('onRoute', (route: RouteOptions) => {
    const plan = compileRoute(route, compiler)
    audit.push(plan.info)
    if (plan.info.closed) {
      route.onRequest = prepend(route.onRequest, closedHook(hookServices, plan.info.undeclared) as any)
      return
    }
    // parameters are merged and decoded after authentication and group checks (401 → 403 → 400)
    const params = compileRouteParams(route, paramSettings)
    if (plan.info.open) {
      if (hookServices.secure) route.handler = secureOpenHandler(route.handler, hookServices)
      route.preValidation = prepend(route.preValidation, params as any)
      return
    }
    const hooks = protectedHooks(plan, hookServices)
    route.onRequest = prepend(route.onRequest, hooks.onRequest as any)
    route.preValidation = prepend(route.preValidation, hooks.preValidation as any, params as any)
    route.preHandler = prepend(route.preHandler, hooks.preHandler as any)
  })

  installResponseHooks(fastify, options, tokens)
  if (options.handleErrors !== false) {
    fastify.setErrorHandler(api.handleError)
    fastify.setNotFoundHandler(makeNotFoundHandler(sendError))
  }

  fastify.addHook('onReady', async () => {
    // Fastify's automatic HEAD twin of an undeclared GET is the same route: list it once
    // (prefixed plugins also get a '/prefix/' twin of '/prefix')
    const bare = (url: string): string => url.length > 1 && url.endsWith('/') ? url.slice(0, -1) : url
    const gets = new Set(audit.filter((r) => r.undeclared && r.method === 'GET').map((r) => bare(r.url)))
    const undeclared = audit.filter((r) => r.undeclared && !(r.method === 'HEAD' && gets.has(bare(r.url)))).map((r) => `${r.method} ${r.url}`)
    if (undeclared.length === 0) return
    if (options.strict === true) throw new FSA_ERR_ROUTE_UNDECLARED(undeclared.join(', '))
    fastify.log.warn({ routes: undeclared }, `fastify-simple-auth: ${undeclared.length} route(s) without config.authorize are closed (403): ${undeclared.join(', ')}`)
  })
  fastify.addHook('onClose', async () => {
    await cache.close()
    await store?.close()
  })
}

/** The plugin; register it before the routes it protects. */
export const securePlugin = fp(secure, { fastify: '5.x', name: 'fastify-simple-auth' })
export { securePlugin as secure }
export default securePlugin
