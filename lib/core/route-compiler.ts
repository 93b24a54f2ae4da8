/**
 * The `onRoute` compiler: every route's security is decided once, at start-up. It parses
 * `config.authorize`, `config.auth` and `config.realm`, checks every name against the options
 * (unknown group, domain, scheme or parameter: start-up error naming method and path), precomputes
 * the scheme chain and the checks. The plugin then gives the route its own hooks (route-hooks.ts).
 * Nothing is parsed per request; OPEN routes get no authentication hook (only the HTTPS policy as
 * a handler wrapper when `secure` is on, and the parameter hook when they have a schema).
 */
import type { RouteOptions } from 'fastify'
import { FSA_ERR_ROUTE_AUTH, FSA_ERR_ROUTE_AUTHORIZE } from '../errors/catalogue.js'
import { parseAuthorize, type ParsedAuthorize } from './parse-authorize.js'
import { expandList } from '../schemes/expand.js'
import { membershipTest, type GroupSources, type MembershipTest } from '../authz/groups.js'
import { permissionValidator, type CompiledPermission, type ParamSource } from '../authz/objects.js'
import type { AuthScheme } from '../schemes/scheme.js'
import type { RouteSecurityInfo } from './route-info.js'
import type { ObjectPermFn, SecureRouteConfig } from './types.js'

/** Everything the compiler needs from the plugin's resolved options. */
export interface CompilerSettings {
  enabled: readonly string[]
  defaultSchemes: readonly string[]
  schemes: ReadonlyMap<string, AuthScheme>
  realm: string
  groupSources: GroupSources
  /** Groups declared with the `groups` option (empty: any group `userInGroup` can check). */
  declaredGroups: ReadonlySet<string>
  declaredScopes: ReadonlySet<string>
  objectPerms: Record<string, ObjectPermFn>
  /** The `redirect401` option: the login URL for every AUTH route, `true` for '/login', `false`: only routes with `config.loginRedirect`. */
  redirect401: boolean | string
}

/** The compiled plan of a protected route, used by its hooks. */
export interface RoutePlan {
  info: RouteSecurityInfo
  requestSchemes: AuthScheme[]
  bodySchemes: AuthScheme[]
  challenge: string | undefined
  groupTests: MembershipTest[]
  perms: CompiledPermission[]
  /**
   * Object permissions can be checked in `onRequest`, right after groups: their ids are path
   * parameters no schema converts, the method has no body, nothing else can fail with a 400, and
   * credentials never come from the body. Saves a hook stage; the order of failures is unchanged.
   */
  permsEarly: boolean
  /** `config.crossSite`: `true` checks every request for a foreign origin, `false` none. */
  crossSite: boolean | undefined
  /** Where unauthenticated browser navigations go instead of a 401 (`config.loginRedirect`, `redirect401`). */
  loginRedirect: string | undefined
}

/** The names of path parameters in a Fastify URL (`/a/:id/b/:x-:y` → id, x, y; `*` → `*`). */
export function pathParams (url: string): string[] {
  const names: string[] = []
  for (const m of url.matchAll(/:([A-Za-z_$][\w$]*)/g)) names.push(m[1] as string)
  if (url.includes('*')) names.push('*')
  return names
}

function schemaProps (schema: unknown): string[] {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties
  return props !== undefined && props !== null && typeof props === 'object' ? Object.keys(props) : []
}

function sourceOf (route: RouteOptions, name: string): ParamSource | undefined {
  if (pathParams(route.url).includes(name) || schemaProps(route.schema?.params).includes(name)) return 'params'
  if (schemaProps(route.schema?.querystring).includes(name)) return 'query'
  if (schemaProps(route.schema?.body).includes(name)) return 'body'
  return undefined
}

function methodOf (route: RouteOptions): string {
  return Array.isArray(route.method) ? route.method.join(',') : String(route.method)
}

type Fail = (msg: string) => never

/** Step 1: the route's schemes (`config.auth` or the defaults) and realm, checked. */
function routeSchemes (route: RouteOptions, config: SecureRouteConfig, s: CompilerSettings, method: string): { names: string[], active: string[], oauth: boolean, realm: string } {
  let names = s.defaultSchemes.slice()
  if (config.auth !== undefined) {
    if (typeof config.auth !== 'string' && !Array.isArray(config.auth)) {
      throw new FSA_ERR_ROUTE_AUTH(method, route.url, 'config.auth must be a scheme name or a list of them')
    }
    names = expandList(config.auth)
    const off = names.find((n) => !s.enabled.includes(n))
    if (off !== undefined) throw new FSA_ERR_ROUTE_AUTH(method, route.url, `scheme "${off}" is not enabled (enabled: ${s.enabled.join(', ')})`)
  }
  if (config.realm !== undefined && (typeof config.realm !== 'string' || config.realm === '')) {
    throw new FSA_ERR_ROUTE_AUTH(method, route.url, 'config.realm must be a non-empty string')
  }
  const oauth = names.includes('oauth')
  const active = names.filter((n) => n !== 'none')
  // `none` is no scheme (it only lets OPEN routes be open): oauth + none is an oauth route
  if (oauth && active.length > 1) throw new FSA_ERR_ROUTE_AUTH(method, route.url, 'oauth cannot be mixed with other schemes on a route')
  return { names, active, oauth, realm: config.realm ?? s.realm }
}

/** Step 2: scopes (oauth routes) or groups, each known and checkable. */
function requireNames (plan: RoutePlan, names: string[], oauth: boolean, s: CompilerSettings, fail: Fail): void {
  if (oauth) {
    for (const scope of names) {
      if (s.declaredScopes.size > 0 && !s.declaredScopes.has(scope)) fail(`unknown scope "${scope}" (declared: ${[...s.declaredScopes].join(', ')})`)
    }
    plan.info.scopes = names
    return
  }
  for (const group of names) {
    if (s.declaredGroups.size > 0 && !s.declaredGroups.has(group) && !Object.prototype.hasOwnProperty.call(s.groupSources.groupCheck, group)) {
      fail(`unknown group "${group}" (declared: ${[...s.declaredGroups].join(', ')})`)
    }
    const test = membershipTest(group, s.groupSources)
    if (test === undefined) fail(`cannot check group "${group}": register groupCheck.${group} or userInGroup`)
    plan.groupTests.push(test as MembershipTest)
  }
  plan.info.groups = names
}

/** Step 3: object permissions, each on a registered domain and on parameters the route has. */
function requirePerms (plan: RoutePlan, route: RouteOptions, perms: ParsedAuthorize['perms'], s: CompilerSettings, fail: Fail): void {
  for (const p of perms) {
    const check = Object.prototype.hasOwnProperty.call(s.objectPerms, p.domain) ? s.objectPerms[p.domain] : undefined
    if (check === undefined) fail(`unknown permission domain "${p.domain}" (registered: ${Object.keys(s.objectPerms).join(', ') || 'none'})`)
    const params = p.params ?? pathParams(route.url).slice(0, 1)
    if (params.length === 0) fail(`permission "${p.domain}" names no parameter and the path has none`)
    const sources = params.map((name) => sourceOf(route, name) ?? fail(`permission "${p.domain}" uses parameter "${name}" that the route does not have`))
    const perm = { domain: p.domain, params, mode: p.mode }
    plan.info.perms.push(perm)
    const what = `object permission "${p.domain}"`
    plan.perms.push({ perm, sources, check: check as ObjectPermFn, what, validate: permissionValidator(what) })
  }
}

/** Step 4: the scheme chain by stage, where permissions are checked, the challenges of a 401. */
function chainSchemes (plan: RoutePlan, route: RouteOptions, active: string[], realm: string, s: CompilerSettings, fail: Fail): void {
  for (const name of active) {
    const scheme = s.schemes.get(name)
    if (scheme === undefined) fail(`scheme "${name}" is not available`)
    const sch = scheme as AuthScheme
    ;(sch.stage === 'request' ? plan.requestSchemes : plan.bodySchemes).push(sch)
  }
  const methods = Array.isArray(route.method) ? route.method : [route.method]
  plan.permsEarly = plan.perms.length > 0 && plan.bodySchemes.length === 0 &&
    methods.every((m) => m === 'GET' || m === 'HEAD') &&
    route.schema?.params === undefined && route.schema?.querystring === undefined && route.schema?.body === undefined &&
    plan.perms.every((c) => c.sources.every((src) => src === 'params'))
  const challenges = [...plan.requestSchemes, ...plan.bodySchemes].map((x) => x.challenge(realm)).filter((c): c is string => c !== undefined)
  plan.challenge = challenges.length > 0 ? challenges.sort().join(', ') : undefined
}

/** The login URL of a route: `config.loginRedirect` decides, else the plugin's `redirect401`. */
function loginUrl (route: boolean | undefined, plugin: boolean | string): string | undefined {
  const url = typeof plugin === 'string' ? plugin : '/login'
  if (route === undefined) return plugin === false ? undefined : url
  return route ? url : undefined
}

/**
 * Compile one route into its plan: `info.open` routes need no authentication, `info.closed`
 * routes answer 403, the others carry their scheme chain, group tests and permissions.
 */
export function compileRoute (route: RouteOptions, s: CompilerSettings): RoutePlan {
  const method = methodOf(route)
  const config = (route.config ?? {}) as SecureRouteConfig
  const fail: Fail = (msg) => { throw new FSA_ERR_ROUTE_AUTHORIZE(method, route.url, msg) }
  const { names, active, oauth, realm } = routeSchemes(route, config, s, method)
  const info: RouteSecurityInfo = {
    method, url: route.url, authorize: config.authorize, open: false, closed: false, undeclared: false, early: false,
    schemes: active, realm, groups: [], scopes: [], perms: []
  }
  if (config.crossSite !== undefined && typeof config.crossSite !== 'boolean') fail('config.crossSite must be a boolean')
  const cookies = (config as { cookies?: unknown }).cookies
  if (cookies !== undefined && (cookies === null || typeof cookies !== 'object' || Array.isArray(cookies))) fail('config.cookies must be a TypeBox object schema')
  if (config.unexpectedParams !== undefined && config.unexpectedParams !== 'accept' && config.unexpectedParams !== 'reject') fail('config.unexpectedParams must be \'accept\' or \'reject\'')
  if (config.loginRedirect !== undefined && typeof config.loginRedirect !== 'boolean') fail('config.loginRedirect must be a boolean')
  const plan: RoutePlan = {
    info, requestSchemes: [], bodySchemes: [], challenge: undefined, groupTests: [], perms: [], permsEarly: false, crossSite: config.crossSite,
    loginRedirect: loginUrl(config.loginRedirect, s.redirect401)
  }
  if (config.authorize === undefined) {
    info.closed = info.undeclared = true
    return plan
  }
  const parsed = parseAuthorize(config.authorize)
  if (typeof parsed === 'string') return fail(parsed)
  if (parsed.closed) { info.closed = true; return plan }
  if (parsed.open) {
    if (!names.includes('none')) fail('\'OPEN\' needs the scheme "none" among the route\'s schemes')
    info.open = true
    info.schemes = []
    return plan
  }
  if (active.length === 0) fail('the route requires authentication but allows no scheme other than "none"')
  requireNames(plan, parsed.names, oauth, s, fail)
  requirePerms(plan, route, parsed.perms, s, fail)
  chainSchemes(plan, route, active, realm, s, fail)
  return plan
}
