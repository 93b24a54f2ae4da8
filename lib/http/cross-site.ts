/**
 * Cross-site request forgery: a browser attaches Basic credentials and cookies by itself, even to
 * a form another site makes it submit. The defence is OWASP's "verifying origin with standard
 * headers" backed by Fetch Metadata: a request is foreign when `Origin` (or, without it,
 * `Referer`) names an origin that is neither the request's own (`request.protocol://request.host`,
 * so it follows `trustProxy`) nor a trusted one, or, when neither names an origin, when
 * `Sec-Fetch-Site` says `cross-site` or `same-site`. A request with none of these headers (curl, a
 * server) is not a browser's and passes. Where the check applies is decided per route at start-up
 * (`crossSiteGuard`): only requests whose credentials a browser attaches by itself, or that would
 * be given the auth cookie, pay for it.
 */
import type { FastifyRequest } from 'fastify'
import type {} from '@fastify/cookie'
import { FSA_ERR_OPT_INVALID } from '../errors/catalogue.js'

/** Whether a request comes from a foreign site (see the file comment). */
export type ForeignCheck = (request: FastifyRequest) => boolean

/**
 * The `crossSite.trustedOrigins` option as a set of serialized origins, each checked: an origin is
 * a scheme, a host and an optional port, without path, query or credentials.
 */
export function resolveTrustedOrigins (origins: readonly string[] | undefined, option = 'crossSite.trustedOrigins', set = new Set<string>()): Set<string> {
  for (const [i, value] of (origins ?? []).entries()) {
    let url: URL | undefined
    try { url = new URL(value) } catch { url = undefined }
    const bare = url !== undefined && url.origin !== 'null' && url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === ''
    if (!bare || url === undefined) throw new FSA_ERR_OPT_INVALID(`${option}.${i}`, 'expected an origin such as https://app.example.com (scheme, host, optional port; no path)')
    set.add(url.origin)
  }
  return set
}

/**
 * The origins the `cors` option allows, when it lists them as strings (`origin: 'https://a.com'`
 * or a list of such): pages the application lets read its answers may also send it requests
 * with credentials. A pattern, a function or `*` adds nothing.
 */
export function corsOrigins (cors: unknown): string[] {
  const origin = cors !== null && typeof cors === 'object' ? (cors as { origin?: unknown }).origin : undefined
  const list = typeof origin === 'string' && origin !== '*' ? [origin] : Array.isArray(origin) ? origin : []
  return list.every((o) => typeof o === 'string') ? list as string[] : []
}

const DEFAULT_PORT: Readonly<Record<string, string>> = { http: ':80', https: ':443' }

/** The request's own origin, as a browser serializes it (lower case, no default port). */
export function ownOrigin (request: FastifyRequest): string {
  const protocol = request.protocol
  let host = request.host.toLowerCase()
  const port = DEFAULT_PORT[protocol]
  if (port !== undefined && host.endsWith(port)) host = host.slice(0, -port.length)
  return protocol + '://' + host
}

/** The origin a Referer names, `undefined` when it names none (not a URL). */
function refererOrigin (referer: string): string | undefined {
  try { return new URL(referer).origin } catch { return undefined }
}

/**
 * The check of a registration. `Origin: null` (an opaque origin: a sandboxed frame, a data: URL,
 * some redirects) is foreign, except with `Sec-Fetch-Site: same-origin`: browsers send `null` for
 * a form posted from a page of this origin with `Referrer-Policy: no-referrer` (the pages), and
 * compute Sec-Fetch-Site from the real initiator, which no page can set (an opaque origin gets
 * `cross-site`). A trusted or own `Origin` wins over `Sec-Fetch-Site: same-site`,
 * so app.example.com can call api.example.com once trusted.
 *
 * @example
 *   const isForeign = foreignCheck(resolveTrustedOrigins(['https://app.example.com']))
 *   if (isForeign(request)) throw new FSA_ERR_AUTHZ_CROSS_SITE()
 */
export function foreignCheck (trusted: ReadonlySet<string>): ForeignCheck {
  const accepted = (origin: string, request: FastifyRequest): boolean => {
    const lower = origin.toLowerCase()
    return lower === ownOrigin(request) || trusted.has(lower)
  }
  return (request) => {
    const h = request.headers
    const origin = h.origin
    if (typeof origin === 'string') {
      if (origin === 'null' && h['sec-fetch-site'] === 'same-origin') return false
      return !accepted(origin, request)
    }
    const referer = h.referer
    if (typeof referer === 'string') {
      const named = refererOrigin(referer)
      if (named !== undefined) return !accepted(named, request)
    }
    const site = h['sec-fetch-site']
    return site === 'cross-site' || site === 'same-site'
  }
}

/** Whether an Authorization value is Basic credentials (the scheme word is case-insensitive). */
export function isBasicAuthorization (value: string | undefined): boolean {
  return value !== undefined && value.length > 6 && value.charCodeAt(5) === 32 && value.slice(0, 5).toLowerCase() === 'basic'
}

/** What decides where the check applies, from the resolved options. */
export interface CrossSiteSettings {
  isForeign: ForeignCheck
  /** Name of the auth cookie when tokens travel in a cookie. */
  cookieName: string | undefined
  /** The cookie carrier can sign: a basic or param login on the application realm issues a cookie. */
  issuesCookie: boolean
  /** The application realm (the cookie's). */
  realm: string
}

/** What a route's schemes make ambient (sent by the browser by itself) or cookie-issuing. */
export interface RouteExposure {
  /** Scheme names of the route (without `none`). */
  schemes: readonly string[]
  realm: string
  /** `config.crossSite`: `true` checks every request of the route, `false` none. */
  always?: boolean | undefined
}

/** The checks of one route: `request` in `onRequest`, `body` before body credentials are read. */
export interface CrossSiteGuard {
  request: ((request: FastifyRequest) => boolean) | undefined
  body: boolean
}

const NONE: CrossSiteGuard = { request: undefined, body: false }

/** A safe method (RFC 9110 §9.2.1): browsers let another site send it with ambient credentials, but it changes nothing. */
function isSafe (method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'TRACE'
}

/**
 * Where a route checks: unsafe methods carrying Basic credentials or the auth cookie; any method
 * carrying Basic credentials when a basic login would issue the cookie; body credentials (`param`)
 * when they would; everything with `config.crossSite: true`; nothing with `false` or when the
 * route has no ambient or cookie-issuing scheme (bearer and header tokens are never ambient).
 */
export function crossSiteGuard (route: RouteExposure, s: CrossSiteSettings | undefined): CrossSiteGuard {
  if (s === undefined || route.always === false) return NONE
  const { isForeign, cookieName } = s
  if (route.always === true) return { request: isForeign, body: false }
  const basic = route.schemes.includes('basic')
  const cookie = cookieName !== undefined && (route.schemes.includes('token') || route.schemes.includes('oauth'))
  const issues = s.issuesCookie && route.realm === s.realm
  const basicAnyMethod = basic && issues
  const body = issues && route.schemes.includes('param')
  if (!basic && !cookie) return { request: undefined, body }
  const request = (request: FastifyRequest): boolean => {
    const unsafe = !isSafe(request.method)
    if (!unsafe && !basicAnyMethod) return false
    if (basic && isBasicAuthorization(request.headers.authorization)) return isForeign(request)
    if (cookie && unsafe && request.cookies?.[cookieName] !== undefined) return isForeign(request)
    return false
  }
  return { request, body }
}
