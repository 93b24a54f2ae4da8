/**
 * Building the plugin's services from validated options, once at registration: enabled schemes,
 * password manager, token manager, cache layer, credential checker and the route compiler
 * settings. Everything here is start-up work; the request path only reads what it returns.
 */
import type { FastifyInstance } from 'fastify'
import { FSA_ERR_OPT_INVALID, FSA_ERR_OPT_SCHEME } from '../errors/catalogue.js'
import { expandAuth, expandList } from '../schemes/expand.js'
import { none } from '../schemes/none.js'
import { basic } from '../schemes/basic.js'
import { param } from '../schemes/param.js'
import { token } from '../schemes/token.js'
import { custom } from '../schemes/custom.js'
import type { AuthScheme, SchemeContext, SchemeFactory } from '../schemes/scheme.js'
import { createPasswordManager, type PasswordManager } from '../passwords/manager.js'
import { resolvePasswordOptions } from '../passwords/options.js'
import { createTokenManager, type TokenInfo, type TokenManager } from '../tokens/manager.js'
import { resolveTokenOptions } from '../tokens/options.js'
import { createCacheLayer, type CacheLayer } from '../cache/layer.js'
import { resolveCacheOptions } from '../cache/options.js'
import { createCredentialsSecret } from '../cache/credentials.js'
import { makeCredentialChecker, makeUserSecretLookup } from '../passwords/credentials.js'
import { compileErrorFormatter, type ErrorFormatter } from '../errors/format.js'
import { FSA_ERR_TOKEN_EXPIRED, FSA_ERR_TOKEN_MALFORMED, FSA_ERR_TOKEN_REVOKED, FSA_ERR_AUTH_INACTIVE } from '../errors/catalogue.js'
import type { CompilerSettings } from './route-compiler.js'
import type { GetUserPassFn, MaybePromise, SecureOptions, UserInGroupFn } from './types.js'

const BUILTIN: Record<string, SchemeFactory> = { none, basic, param, token, oauth: token }

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
  /** Names that are credentials, never "unexpected parameters". */
  authParams: string[]
}

/** Extra sources when the built-in store is used. */
export interface UserSource {
  getUserPass: GetUserPassFn
  userInGroup: UserInGroupFn
  setPassword?: (login: string, hash: string) => Promise<void>
}

/** Build every service; throws `FSA_ERR_OPT_*` for settings the schema could not judge alone. */
export async function buildServices (fastify: FastifyInstance, options: SecureOptions, source?: UserSource): Promise<Services> {
  const realm = options.realm ?? 'fastify'
  const enabled = expandAuth(options.auth ?? 'password')
  const custom_ = options.schemes ?? {}
  for (const name of enabled) {
    if (BUILTIN[name] === undefined && !Object.prototype.hasOwnProperty.call(custom_, name)) {
      throw new FSA_ERR_OPT_SCHEME(name, 'auth', [...Object.keys(BUILTIN), ...Object.keys(custom_)].join(', '))
    }
  }
  // oauth routes read authorize as scopes and cannot mix schemes: without authDefault, routes
  // default to the other schemes and opt into oauth with config.auth
  const others = enabled.filter((n) => n !== 'oauth')
  const defaultSchemes = options.authDefault !== undefined
    ? expandList(options.authDefault)
    : others.some((n) => n !== 'none') ? others : enabled.slice()
  for (const name of defaultSchemes) {
    if (!enabled.includes(name)) throw new FSA_ERR_OPT_SCHEME(name, 'authDefault', enabled.join(', '))
  }
  const param = { user: options.param?.user ?? 'USER', pass: options.param?.pass ?? 'PASS' }
  if (param.user === param.pass) throw new FSA_ERR_OPT_INVALID('param', 'user and pass must be different names')

  const cacheOptions = resolveCacheOptions(options.cache)
  const cache = await createCacheLayer(cacheOptions, fastify.log)
  const passwords = createPasswordManager(resolvePasswordOptions(options.password))

  const wantsTokens = enabled.includes('token') || enabled.includes('oauth') || options.token !== undefined
  const tokenOptions = wantsTokens ? resolveTokenOptions(options.token, realm, { warn: (m) => fastify.log.warn(m) }) : undefined
  if (enabled.includes('oauth') && tokenOptions?.type !== 'jwt') {
    throw new FSA_ERR_OPT_INVALID('token.type', 'the oauth scheme needs JWT tokens (token.type: \'jwt\')')
  }
  const tokens = tokenOptions !== undefined ? await createTokenManager(fastify, tokenOptions) : undefined

  const getUserPass = source?.getUserPass ?? options.getUserPass
  const userInGroup = source?.userInGroup ?? options.userInGroup
  const lookup = makeUserSecretLookup(getUserPass, cache)
  const checkCredentials = makeCredentialChecker({
    getUserPass,
    passwords,
    cache,
    credentialsSecret: cacheOptions.credentials.enabled ? createCredentialsSecret() : undefined,
    rehash: source?.setPassword,
    log: fastify.log
  })

  // Token validation is cached (kind `t`); expiry, and with a store the account state and the
  // token version, are checked on every request.
  let checkToken: ((raw: string, realm: string) => MaybePromise<TokenInfo>) | undefined
  if (tokens !== undefined) {
    const versioned = source !== undefined
    const fresh = (info: TokenInfo): MaybePromise<TokenInfo> => {
      if (info.expires < Date.now()) throw new FSA_ERR_TOKEN_EXPIRED(tokens.type)
      if (!versioned) return info
      const secret = lookup(info.login)
      const judge = (s: Awaited<typeof secret>): TokenInfo => {
        if (s === undefined || !s.active) throw new FSA_ERR_AUTH_INACTIVE()
        if ((info.version ?? 0) !== (s.tokenVersion ?? 0)) throw new FSA_ERR_TOKEN_REVOKED()
        return info
      }
      return secret instanceof Promise ? secret.then(judge) : judge(secret)
    }
    const verify = (raw: string, routeRealm: string, version?: number): MaybePromise<TokenInfo> => {
      // the common case (application realm, no version) keys on the token itself, with no string
      // built per request; a NUL (possible in a query parameter) could make a token look like the
      // prefixed key of another realm, so such tokens are refused before any cache lookup
      if (raw.includes('\0')) throw new FSA_ERR_TOKEN_MALFORMED(tokens.type)
      const key = version === undefined
        ? (routeRealm === realm ? raw : routeRealm + '\0' + raw)
        : routeRealm + '\0' + String(version) + '\0' + raw
      const info = cache.memo<TokenInfo>('t', key, (i) => i.login, () => tokens.verify(raw, routeRealm, version))
      return info instanceof Promise ? info.then(fresh) : fresh(info)
    }
    const loginOf = tokens.loginOf
    if (versioned && loginOf !== undefined) {
      // fsa tokens sign the user's current version: look it up first (cached), then verify
      checkToken = (raw, routeRealm) => {
        const login = loginOf(raw)
        if (login === null) return verify(raw, routeRealm)
        const secret = lookup(login)
        return secret instanceof Promise
          ? secret.then((s) => verify(raw, routeRealm, s?.tokenVersion ?? 0))
          : verify(raw, routeRealm, secret?.tokenVersion ?? 0)
      }
    } else {
      checkToken = verify
    }
  }

  const schemes = new Map<string, AuthScheme>()
  for (const name of enabled) {
    const ctx: SchemeContext = { name, param, checkCredentials, checkToken, token: tokenOptions, tokens, custom: custom_[name] }
    const factory = BUILTIN[name] ?? custom
    schemes.set(name, factory(ctx))
  }

  const groupCheck = options.groupCheck ?? {}
  const compiler: CompilerSettings = {
    enabled,
    defaultSchemes,
    schemes,
    realm,
    groupSources: { groupCheck, userInGroup, cache },
    declaredGroups: new Set(options.groups ?? []),
    declaredScopes: new Set(options.scopes ?? []),
    objectPerms: options.objectPerms ?? {}
  }
  const authParams = enabled.includes('param') ? [param.user, param.pass] : []
  if (tokenOptions?.carrier === 'param') authParams.push(tokenOptions.name)

  return {
    options,
    enabled,
    defaultSchemes,
    realm,
    param,
    schemes,
    passwords,
    tokens,
    cache,
    sendError: compileErrorFormatter(options.errorResponse ?? 'plain'),
    compiler,
    authParams
  }
}
