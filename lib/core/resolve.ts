/**
 * Start-up phase 1: resolve and check every option of the `secure` plugin, opening nothing. Each
 * step takes what the previous ones returned and returns a value, so each reads (and is tested)
 * alone; any mistake, cross-option rules included (a short token secret, `basic` without a
 * password source), fails here, before phase 2 opens a store or a Redis connection
 * (lib/core/resources.ts). See "Start-up" in docs/architecture.md.
 */
import { FSA_ERR_OPT_INVALID, FSA_ERR_OPT_PASSWORD_SOURCE, FSA_ERR_OPT_SCHEME } from '../errors/catalogue.js'
import type { Warning } from '../errors/warnings.js'
import { checkOptions } from '../options/check.js'
import { expandAuth, expandList } from '../schemes/expand.js'
import { builtinScheme, SCHEMES } from '../schemes/index.js'
import { resolveCacheOptions, type ResolvedCacheOptions } from '../cache/options.js'
import { resolveThrottleOptions, type ResolvedThrottleOptions } from '../throttle/options.js'
import { resolvePasswordOptions, type ResolvedPasswordOptions } from '../passwords/options.js'
import { resolveTokenOptions, tokenWarnings, type ResolvedTokenOptions } from '../tokens/options.js'
import { resolveStoreOption, type StorePlan } from '../store/source.js'
import { corsOrigins, resolveTrustedOrigins } from '../http/cross-site.js'
import { SecureOptionsSchema } from './options.js'
import type { SecureOptions } from './types.js'

/** The options of one registration, checked, with every default applied. */
export interface ResolvedOptions {
  /** The caller's object, checked and never modified. */
  options: SecureOptions
  realm: string
  /** Enabled schemes, in order (`auth` expanded). */
  enabled: string[]
  /** Schemes of routes without `config.auth`. */
  defaultSchemes: string[]
  param: { user: string, pass: string }
  cache: ResolvedCacheOptions
  /** Throttling, `undefined` when off. */
  throttle: ResolvedThrottleOptions | undefined
  password: ResolvedPasswordOptions
  token: ResolvedTokenOptions | undefined
  store: StorePlan | undefined
  /** Origins trusted by the cross-site protection; `undefined` when it is off (`crossSite: false`). */
  trustedOrigins: ReadonlySet<string> | undefined
  /** What deserves a warning once the plugin starts. */
  warnings: Warning[]
}

const needs = (name: string, what: 'passwords' | 'tokens' | 'jwt'): boolean => builtinScheme(name)?.needs?.[what] === true

/** Whether anything can check a password: `getUserPass`, the store, or `password.check`. */
export function hasPasswordSource (o: SecureOptions): boolean {
  return o.getUserPass !== undefined || o.store !== undefined || o.password?.check !== undefined
}

/**
 * The enabled schemes: `auth` expanded, each built in or in `schemes`. Without `auth`, the
 * default is FlaskSimpleAuth's `'password'` when something checks passwords, else tokens and
 * `none` alone, so that a token-only application starts.
 */
export function resolveEnabled (o: SecureOptions): string[] {
  const passwords = hasPasswordSource(o)
  const enabled = expandAuth(o.auth ?? 'password').filter((n) => o.auth !== undefined || passwords || !needs(n, 'passwords'))
  const custom = o.schemes ?? {}
  for (const name of enabled) {
    if (builtinScheme(name) === undefined && !Object.hasOwn(custom, name)) {
      throw new FSA_ERR_OPT_SCHEME(name, 'auth', [...SCHEMES.map((s) => s.name), ...Object.keys(custom)].join(', '))
    }
  }
  return enabled
}

/** An enabled password scheme with nothing to check passwords against would answer every login with 401. */
export function checkPasswordSource (o: SecureOptions, enabled: readonly string[]): void {
  const blind = hasPasswordSource(o) ? undefined : enabled.find((n) => needs(n, 'passwords'))
  if (blind !== undefined) throw new FSA_ERR_OPT_PASSWORD_SOURCE(blind)
}

/**
 * Schemes of routes without `config.auth`: `authDefault`, else every enabled scheme but the
 * opt-in ones (oauth routes read `authorize` as scopes and cannot mix schemes) unless nothing
 * else than `none` would remain.
 */
export function resolveDefaultSchemes (o: SecureOptions, enabled: readonly string[]): string[] {
  if (o.authDefault !== undefined) {
    const listed = expandList(o.authDefault)
    const off = listed.find((n) => !enabled.includes(n))
    if (off !== undefined) throw new FSA_ERR_OPT_SCHEME(off, 'authDefault', enabled.join(', '))
    return listed
  }
  const others = enabled.filter((n) => builtinScheme(n)?.optIn !== true)
  return others.some((n) => n !== 'none') ? others : enabled.slice()
}

/** Parameter names of the `param` scheme. */
export function resolveParam (o: SecureOptions): { user: string, pass: string } {
  const param = { user: o.param?.user ?? 'USER', pass: o.param?.pass ?? 'PASS' }
  if (param.user === param.pass) throw new FSA_ERR_OPT_INVALID('param', 'user and pass must be different names')
  return param
}

/** The token settings, when a scheme needs tokens or the `token` option is given. */
export function resolveTokens (o: SecureOptions, enabled: readonly string[], realm: string): ResolvedTokenOptions | undefined {
  if (o.token === undefined && !enabled.some((n) => needs(n, 'tokens'))) return undefined
  const token = resolveTokenOptions(o.token, realm)
  const jwtOnly = enabled.find((n) => needs(n, 'jwt'))
  if (jwtOnly !== undefined && token.type !== 'jwt') {
    throw new FSA_ERR_OPT_INVALID('token.type', `the ${jwtOnly} scheme needs JWT tokens (token.type: 'jwt')`)
  }
  return token
}

/**
 * Phase 1 of start-up: check `options` against the schema, then every rule the schema cannot
 * express, and resolve the defaults. Throws the first `FSA_ERR_OPT_*` problem; opens nothing.
 *
 * @example
 *   const resolved = resolveSecureOptions({ auth: ['token', 'none'], token: { secret } })
 *   resolved.enabled // ['token', 'none']
 */
export function resolveSecureOptions (options: unknown, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  checkOptions(SecureOptionsSchema, options)
  const o: SecureOptions = options
  const realm = o.realm ?? 'fastify'
  const enabled = resolveEnabled(o)
  const defaultSchemes = resolveDefaultSchemes(o, enabled)
  checkPasswordSource(o, enabled)
  const param = resolveParam(o)
  const token = resolveTokens(o, enabled, realm)
  return {
    options: o,
    realm,
    enabled,
    defaultSchemes,
    param,
    // a shared cache keys and seals its entries with a secret every instance has: the configured token secret will do
    cache: resolveCacheOptions(o.cache, token !== undefined && !token.randomSecret ? token.secret : undefined),
    throttle: resolveThrottleOptions(o.throttle),
    password: resolvePasswordOptions(o.password),
    token,
    store: resolveStoreOption(o, env),
    trustedOrigins: o.crossSite === false ? undefined : resolveTrustedOrigins(corsOrigins(o.cors), 'cors.origin', resolveTrustedOrigins(o.crossSite?.trustedOrigins)),
    warnings: token !== undefined ? tokenWarnings(token) : []
  }
}
