/**
 * fastify-simple-auth: the `secure` plugin. Every route declares `config.authorize`; how users
 * authenticate is configuration. Register it before the routes it protects:
 *
 * ```ts
 * await app.register(secure, { auth: 'password', getUserPass: (login) => db.hashOf(login) })
 * app.get('/hello', { config: { authorize: 'OPEN' } }, async () => 'hello')
 * app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: requireUser(req) }))
 * ```
 *
 * Request-time logic lives in lib/ (route-compiler.ts compiles, route-hooks.ts enforces); this
 * file only wires it into Fastify's lifecycle, in the start-up phases of docs/architecture.md:
 * resolve every option (nothing opened), acquire resources (closed again on any failure),
 * compile routes (`onRoute`), check the whole at `onReady`.
 */
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { resolveSecureOptions } from '../lib/core/resolve.js'
import { acquireResources, type Resources } from '../lib/core/resources.js'
import { buildServices, type Services } from '../lib/core/services.js'
import { installReadyChecks } from '../lib/core/ready-checks.js'
import { FSAWRN_PROXY_UNTRUSTED, isSilentLogger, warn } from '../lib/errors/warnings.js'
import { hstsHeader, transportCheck } from '../lib/http/transport.js'
import { compileRoute, type CompilerSettings } from '../lib/core/route-compiler.js'
import { closedHook, crossSiteHook, protectedHooks, secureOpenHandler, type HookServices } from '../lib/core/route-hooks.js'
import { guardHook, markCompiled } from '../lib/core/route-guard.js'
import { realmCollisionCheck } from '../lib/core/realms.js'
import { routeRequestSerializer } from '../lib/http/redact.js'
import { runSchemes, requireLogin } from '../lib/schemes/chain.js'
import { installResponseHooks } from '../lib/core/response-hooks.js'
import { makeErrorHandler, makeNotFoundHandler } from '../lib/errors/handlers.js'
import { FSA_ERR_AUTHZ_CROSS_SITE } from '../lib/errors/catalogue.js'
import { crossSiteGuard } from '../lib/http/cross-site.js'
import { bindToken, makeCreateToken, type AppTokenOptions } from '../lib/core/session-tokens.js'
import { prepareCors } from '../lib/http/cors.js'
import { registerUploads } from '../lib/params/uploads.js'
import { createParamLayer, formatValidationError, type ParamLayer, type ParamSettings } from '../lib/params/index.js'
import { UserExposure } from '../lib/core/user-exposure.js'
import type { FsaApi } from '../lib/core/api.js'
import type { RouteSecurityInfo } from '../lib/core/route-info.js'
import type { OpenedStore } from '../lib/store/source.js'
import type { SecureOptions, SecureRouteConfig } from '../lib/core/types.js'
import '../lib/core/augment.js'

/** Put `hooks` (skipping absent ones) before the route's own hooks of that stage. */
function prepend<T> (existing: T | T[] | undefined, ...hooks: Array<T | null | undefined>): T | T[] | undefined {
  const mine = hooks.filter((h): h is T => h !== undefined && h !== null)
  if (mine.length === 0) return existing
  if (existing === undefined) return mine
  return [...mine, ...(Array.isArray(existing) ? existing : [existing])]
}

async function secure (fastify: FastifyInstance, options: SecureOptions): Promise<void> {
  // phase 1: every option checked, nothing opened yet
  const resolved = resolveSecureOptions(options)
  for (const w of resolved.warnings) warn(fastify.log, w)
  // phase 2: store, cache, token keys; a failure closes what was opened
  const resources = await acquireResources(fastify, resolved)
  try {
    const services = buildServices(fastify, resolved, resources)
    // the argon2 binding loads now when the application verifies passwords (a broken one fails
    // ready(), not every login); a token-only application never loads it
    if (services.options.getUserPass !== undefined || resources.store !== undefined) await services.passwords.load()
    await install(fastify, services, resources)
  } catch (e) {
    await resources.close() // a failure after the resources were acquired must not leave them open
    throw e
  }
}

/** Decorators, handlers and hooks of one registration (phase 3, route compilation, runs in `onRoute`). */
async function install (fastify: FastifyInstance, services: Services, resources: Resources): Promise<void> {
  const { options, sendError, cache, tokens } = services
  // @fastify/cookie is loaded only for the cookie carrier
  if (tokens?.options.carrier === 'cookie' && !fastify.hasRequestDecorator('cookies')) await fastify.register(import('@fastify/cookie'))
  const audit: RouteSecurityInfo[] = []
  const hookServices: HookServices = { sendError, cache, secure: options.secure ?? true, allowsTransport: transportPolicy(fastify, options), crossSite: services.crossSite, notFoundStatus: options.notFoundError }
  const paramSettings: ParamSettings = { rejectUnexpectedParam: options.rejectUnexpectedParam ?? true, authParams: services.authParams, sendError }
  const params = createParamLayer(fastify, paramSettings)
  await registerUploads(fastify, options.uploads)

  // never `request.user`: @fastify/jwt and others decorate it (see lib/core/user-exposure.ts)
  const users = new UserExposure()
  decorate(fastify, services, resources.store, users)
  const early: RouteSecurityInfo[] = [] // routes declared before the plugin, found at onReady
  const api = fsaApi(services, audit, early, resources.store)
  fastify.decorate('fsa', api)
  // credentials that may travel in a query string: redacted in logged URLs (lib/http/redact.ts)
  const secretNames = new Set(services.authParams.filter((n) => n !== services.param.user))
  // before any route hook: a route this registration did not compile answers 403 (route-guard.ts)
  fastify.addHook('onRequest', guardHook(sendError, secretNames))
  const compilation: RouteCompilation = {
    compiler: services.compiler, audit, hookServices, params, users,
    checkRealm: realmCollisionCheck(services.realm, tokens?.options.type === 'fsa'),
    // no logger, nothing to redact: routes keep Fastify's serializers
    secretNames: isSilentLogger(fastify.log) ? undefined : secretNames
  }
  const cors = prepareCors(fastify, options.cors)
  // `this` is the instance the route is declared in (its encapsulation context)
  fastify.addHook('onRoute', function (this: FastifyInstance, route: RouteOptions) {
    secureRoute(this, route, compilation)
  })
  await cors?.()

  installResponseHooks(fastify, options, tokens, services.crossSite?.isForeign)
  if (options.handleErrors === true) {
    fastify.setErrorHandler(api.handleError)
    fastify.setNotFoundHandler(makeNotFoundHandler(sendError))
  }

  fastify.addHook('onReady', async () => { users.settle() })
  installReadyChecks(fastify, { audit, early, realm: services.realm }, options, () => resources.close())
  fastify.addHook('onClose', () => resources.close())
}

/** The HTTPS policy's check, with HSTS and the warning about a proxy that is not trusted (once). */
function transportPolicy (fastify: FastifyInstance, options: SecureOptions): HookServices['allowsTransport'] {
  let warned = false
  const onUntrustedProxy = (): void => {
    if (warned) return
    warned = true
    warn(fastify.log, FSAWRN_PROXY_UNTRUSTED())
  }
  return transportCheck({ hsts: hstsHeader(options.hsts), onUntrustedProxy })
}

/** The request decorators and the token and password helpers on the instance. */
function decorate (fastify: FastifyInstance, services: Services, store: OpenedStore | undefined, users: UserExposure): void {
  const { tokens, passwords } = services
  fastify.decorateRequest('authUser', null)
  fastify.decorateRequest('authScheme', null)
  fastify.decorateRequest('authToken', null)
  fastify.decorateRequest('cookieParams', null)
  const defaultNames = services.defaultSchemes.filter((n) => n !== 'none')
  const defaultSchemes = defaultNames.map((n) => services.schemes.get(n)).filter((s) => s !== undefined)
  const foreign = crossSiteGuard({ schemes: defaultNames, realm: services.realm }, services.crossSite).request
  fastify.decorateRequest('authenticate', async function (this: FastifyRequest, opts?: { required?: boolean }) {
    if (this.authUser !== null) return this.authUser
    if (foreign !== undefined && foreign(this)) throw new FSA_ERR_AUTHZ_CROSS_SITE()
    const login = await runSchemes(this, defaultSchemes, services.realm)
    if (login !== null && users.isFree(this.server)) (this as unknown as { user?: string }).user = login
    return opts?.required === false ? login : requireLogin(login)
  })

  const createToken = makeCreateToken(tokens, store, (login, opts) => bindToken(login, opts, store, services.lookupUser))
  fastify.decorate('createToken', createToken)
  // FlaskSimpleAuth's create_token() inside a route: the caller, in the route's realm (read from
  // the route's config when called, so requests that never call it pay nothing)
  fastify.decorateRequest('createToken', async function (this: FastifyRequest, opts?: AppTokenOptions & { login?: string }) {
    const { login = requireLogin(this.authUser), ...rest } = opts ?? {}
    const realm = rest.realm ?? (this.routeOptions.config as SecureRouteConfig | undefined)?.realm ?? services.realm
    return await createToken(login, { ...rest, realm })
  })
  fastify.decorate('hashPassword', (password: string, opts?: { check?: boolean }) => passwords.hash(password, opts))
  fastify.decorate('checkPassword', async (password: string, hash: string) => (await passwords.verify(password, hash)).ok)
  fastify.decorate('checkPasswordQuality', (password: string) => passwords.checkQuality(password))
}

/** `fastify.fsa`: the runtime API of the registration. */
function fsaApi (services: Services, audit: RouteSecurityInfo[], early: RouteSecurityInfo[], store: OpenedStore | undefined): FsaApi {
  const { sendError, cache } = services
  return {
    routes: () => [...early, ...audit].map((r) => ({ ...r })),
    schemes: services.enabled,
    realm: services.realm,
    param: services.param,
    clearCaches: () => cache.clear(),
    uncacheUser: (login: string) => cache.uncacheUser(login),
    uncacheSession: (idOrToken: string) => cache.delete('session', idOrToken),
    cacheStats: () => cache.stats(),
    sendError: (reply: FastifyReply, status: number, message: string, headers?: Record<string, string>) => sendError(reply, status, message, headers),
    handleError: makeErrorHandler(sendError, formatValidationError),
    passwords: services.passwords,
    tokens: services.tokens,
    store: store?.store,
    errorResponse: services.options.errorResponse ?? 'plain',
    rejectUnexpectedParam: services.options.rejectUnexpectedParam !== false,
    throttle: services.throttle
  }
}

/** What the route compiler step needs, built once per registration. */
interface RouteCompilation {
  compiler: CompilerSettings
  audit: RouteSecurityInfo[]
  hookServices: HookServices
  params: ParamLayer
  users: UserExposure
  /** Throws when the route's realm and another are the same fsa token realm. */
  checkRealm: (realm: string, where: string) => void
  /** Query keys to redact in the route's logged URL (`undefined`: the app has no logger). */
  secretNames: ReadonlySet<string> | undefined
}

/**
 * Phase 3, in `onRoute`: compile the route's declaration and give it its own hooks. `instance` is
 * the encapsulation context the route is declared in.
 */
function secureRoute (instance: FastifyInstance, route: RouteOptions, c: RouteCompilation): void {
  const plan = compileRoute(route, c.compiler)
  if (!plan.info.closed) c.checkRealm(plan.info.realm, `${plan.info.method} ${plan.info.url}`)
  c.audit.push(plan.info)
  markCompiled(route)
  if (c.secretNames !== undefined) redactRouteLog(route, c.secretNames)
  if (plan.info.closed) {
    route.onRequest = prepend(route.onRequest, closedHook(c.hookServices, plan.info.undeclared) as any)
    return
  }
  // parameters are merged and decoded after authentication and group checks (401 → 403 → 400)
  const paramHook = c.params.route(instance, route)
  if (plan.info.open) {
    if (c.hookServices.secure) route.handler = secureOpenHandler(route.handler, c.hookServices)
    if (plan.crossSite === true) route.onRequest = prepend(route.onRequest, crossSiteHook(c.hookServices) as any)
    route.preValidation = prepend(route.preValidation, paramHook as any)
    return
  }
  const hooks = protectedHooks(plan, c.hookServices, c.users.slot(instance))
  route.onRequest = prepend(route.onRequest, hooks.onRequest as any)
  route.preValidation = prepend(route.preValidation, hooks.preValidation as any, paramHook as any)
  route.preHandler = prepend(route.preHandler, hooks.preHandler as any)
}

/** The route's request log serializer redacts secrets in its URL; the route's own serializers stay. */
function redactRouteLog (route: RouteOptions, names: ReadonlySet<string>): void {
  const own = route.logSerializers as Record<string, unknown> | undefined
  const req = routeRequestSerializer(names, own?.req as ((req: unknown) => unknown) | undefined)
  // a child of Fastify's object keeps the serializers the route inherits from its plugin's options
  route.logSerializers = Object.assign(Object.create(own ?? Object.prototype) as object, { req }) as RouteOptions['logSerializers']
}

/** The plugin; register it before the routes it protects. */
export const securePlugin = fp(secure, { fastify: '5.x', name: 'fastify-simple-auth' })
export { securePlugin as secure }
export default securePlugin
