/**
 * Start-up, after phase 2: the services of one registration assembled from the resolved options
 * and the acquired resources, in named steps that each return a value: the password manager, the
 * credential checker, the token check, the schemes, the route compiler settings. Nothing here
 * opens a resource or throws for an option (phase 1 checked them); the request path only reads
 * what this returns.
 */
import type { FastifyInstance } from 'fastify'
import { builtinScheme, buildScheme, customScheme, type AuthScheme, type SchemeContext, type SchemeSettings } from '../schemes/index.js'
import { createPasswordManager, type PasswordManager } from '../passwords/manager.js'
import { makeCredentialChecker, makeUserSecretLookup, type UserSecret } from '../passwords/credentials.js'
import type { TokenManager } from '../tokens/manager.js'
import { Throttle } from '../throttle/throttle.js'
import { FSAWRN_THROTTLE_NO_ADDRESS, warn } from '../errors/warnings.js'
import type { CacheLayer } from '../cache/layer.js'
import { createCredentialsSecret } from '../cache/credentials.js'
import { compileErrorFormatter, type ErrorFormatter } from '../errors/format.js'
import { makeTokenCheck } from './token-check.js'
import type { CompilerSettings } from './route-compiler.js'
import { foreignCheck, type CrossSiteSettings } from '../http/cross-site.js'
import type { ResolvedOptions } from './resolve.js'
import type { Resources } from './resources.js'
import type { GetUserPassFn, MaybePromise, SecureOptions, UserInGroupFn } from './types.js'

/** The services of one registration of the plugin. */
export interface Services {
  options: SecureOptions
  enabled: string[]
  defaultSchemes: string[]
  realm: string
  param: { user: string, pass: string }
  schemes: Map<string, AuthScheme>
  passwords: PasswordManager
  tokens: TokenManager | undefined
  cache: CacheLayer
  sendError: ErrorFormatter
  compiler: CompilerSettings
  /** Cached lookup of a login's record (kind `user`): what new tokens are bound to without the store. */
  lookupUser: (login: string) => MaybePromise<UserSecret | undefined>
  /** Names that are credentials, never "unexpected parameters". */
  authParams: string[]
  /** Where the cross-site protection applies; `undefined` when it is off. */
  crossSite: CrossSiteSettings | undefined
  /** Throttling of failed password checks and account mails; `undefined` when off. */
  throttle: Throttle | undefined
}

/** Extra sources when the built-in store is used. */
export interface UserSource {
  getUserPass: GetUserPassFn
  userInGroup: UserInGroupFn
  setPassword?: (login: string, hash: string) => Promise<void>
}

/** The settings schemes describe themselves from. */
function schemeSettings (r: ResolvedOptions): SchemeSettings {
  return { enabled: r.enabled, param: r.param, token: r.token }
}

/** The definition of an enabled scheme: built in, or one of the `schemes` option. */
const definitionOf = (name: string) => builtinScheme(name) ?? customScheme(name)

/** What the schemes share: credential and token checks over the password manager, cache and store. */
function schemeContext (fastify: FastifyInstance, r: ResolvedOptions, res: Resources, passwords: PasswordManager, lookup: Services['lookupUser'], throttle: Throttle | undefined): Omit<SchemeContext, 'name'> {
  const source = res.store?.source
  const getUserPass = passwordSource(r, res)
  const checkCredentials = makeCredentialChecker({
    getUserPass,
    passwords,
    cache: res.cache,
    credentialsSecret: r.cache.credentials.enabled ? createCredentialsSecret() : undefined,
    rehash: source?.setPassword,
    log: fastify.log,
    throttle
  })
  const tokens = res.tokens
  const checkToken = tokens === undefined
    ? undefined
    : makeTokenCheck({ tokens, cache: res.cache, realm: r.realm, lookup, versioned: source !== undefined, bound: getUserPass !== undefined, sessions: res.store?.store.sessions })
  return { ...schemeSettings(r), checkCredentials, checkToken, token: r.token, tokens }
}

/** Where password hashes and account records come from: the store, else `getUserPass`. */
const passwordSource = (r: ResolvedOptions, res: Resources): GetUserPassFn | undefined => res.store?.source.getUserPass ?? r.options.getUserPass

/** Every enabled scheme, built once. */
function buildSchemes (r: ResolvedOptions, shared: Omit<SchemeContext, 'name'>): Map<string, AuthScheme> {
  const custom = r.options.schemes ?? {}
  return new Map(r.enabled.map((name) => [name, buildScheme(definitionOf(name), { ...shared, name, custom: custom[name] })]))
}

/** Request parameters that carry credentials of an enabled scheme. */
function credentialParams (r: ResolvedOptions): string[] {
  const settings = schemeSettings(r)
  return [...new Set(r.enabled.flatMap((name) => builtinScheme(name)?.credentialParams?.(settings) ?? []))]
}

/** What the `onRoute` compiler checks declarations against. */
function compilerSettings (r: ResolvedOptions, res: Resources, schemes: ReadonlyMap<string, AuthScheme>): CompilerSettings {
  const o = r.options
  return {
    enabled: r.enabled,
    defaultSchemes: r.defaultSchemes,
    schemes,
    realm: r.realm,
    groupSources: { groupCheck: o.groupCheck ?? {}, userInGroup: res.store?.source.userInGroup ?? o.userInGroup, cache: res.cache },
    declaredGroups: new Set(o.groups ?? []),
    declaredScopes: new Set(o.scopes ?? []),
    objectPerms: o.objectPerms ?? {},
    redirect401: o.redirect401 ?? false
  }
}

/** The cross-site protection's settings: its check, and what makes credentials ambient. */
function crossSiteSettings (r: ResolvedOptions, tokens: TokenManager | undefined): CrossSiteSettings | undefined {
  if (r.trustedOrigins === undefined) return undefined
  const cookie = tokens?.options.carrier === 'cookie' ? tokens.options : undefined
  return { isForeign: foreignCheck(r.trustedOrigins), cookieName: cookie?.name, issuesCookie: cookie?.canSign === true, realm: cookie?.realm ?? r.realm }
}

/** The throttle of failed checks and mails, warning once when client addresses mean nothing. */
function buildThrottle (fastify: FastifyInstance, r: ResolvedOptions, res: Resources): Throttle | undefined {
  if (r.throttle === undefined) return undefined
  let warned = false
  const onUntrustedProxy = (): void => {
    if (warned) return
    warned = true
    warn(fastify.log, FSAWRN_THROTTLE_NO_ADDRESS())
  }
  const throttle = new Throttle(r.throttle, { clock: r.cache.clock ?? { now: () => Date.now() }, onUntrustedProxy })
  if (res.counters !== undefined) throttle.share(res.counters)
  return throttle
}

/**
 * Assemble the services of a registration from its resolved options (phase 1) and resources
 * (phase 2).
 *
 * @example
 *   const resolved = resolveSecureOptions(options)
 *   const services = buildServices(fastify, resolved, await acquireResources(fastify, resolved))
 */
export function buildServices (fastify: FastifyInstance, r: ResolvedOptions, res: Resources): Services {
  const passwords = createPasswordManager(r.password)
  const lookupUser = makeUserSecretLookup(passwordSource(r, res), res.cache)
  const throttle = buildThrottle(fastify, r, res)
  const schemes = buildSchemes(r, schemeContext(fastify, r, res, passwords, lookupUser, throttle))
  return {
    options: r.options,
    enabled: r.enabled,
    defaultSchemes: r.defaultSchemes,
    realm: r.realm,
    param: r.param,
    schemes,
    passwords,
    tokens: res.tokens,
    cache: res.cache,
    sendError: compileErrorFormatter(r.options.errorResponse ?? 'plain', r.options.serverError),
    compiler: compilerSettings(r, res, schemes),
    lookupUser,
    authParams: credentialParams(r),
    crossSite: crossSiteSettings(r, res.tokens),
    throttle
  }
}
