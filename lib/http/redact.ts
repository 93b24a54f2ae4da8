/**
 * Secrets out of logged URLs. A password or a token sent in a query string (`GET
 * /token?username=…&password=…`) is in the request URL, which Fastify's request log records at
 * info level; a database URL in a start-up error carries its password. `redactUrl` replaces those
 * values by `***`, and `serializers` are Fastify logger serializers that log request URLs that way
 * (`Fastify({ logger: { serializers } })`).
 *
 * Imported by the package entry: keep it free of heavy imports.
 */

/** Query keys whose values are secrets: any key naming a password, a token or a secret. */
const SECRET_KEY = /pass|pwd|token|secret/i

/** `true` when the value of query key `key` must not be logged (`names`: the application's own parameter names). */
export function isSecretKey (key: string, names?: ReadonlySet<string>): boolean {
  return SECRET_KEY.test(key) || (names?.has(key) ?? false)
}

/** The key of one `k=v` segment, decoded as URLSearchParams decodes it (`+` is a space). */
function segmentKey (segment: string): string {
  const eq = segment.indexOf('=')
  const raw = eq < 0 ? segment : segment.slice(0, eq)
  for (const [key] of new URLSearchParams(raw + '=')) return key
  return ''
}

/** The query `a=1&password=x`, each secret value replaced by `***`, the other segments kept as they are. */
function redactQuery (query: string, names?: ReadonlySet<string>): string {
  return query.split('&').map((segment) => {
    if (!isSecretKey(segmentKey(segment), names)) return segment
    const eq = segment.indexOf('=')
    return eq < 0 ? segment : segment.slice(0, eq) + '=***'
  }).join('&')
}

/** `scheme://user:password@host…`: the userinfo of an absolute URL, parsed the WHATWG way. */
function redactAuthority (url: string): string {
  let parsed: URL
  try { parsed = new URL(url) } catch { return url.replace(/\/\/[^/?#]*@/, '//***@') }
  if (parsed.password === '') return url
  // WHATWG: the userinfo ends at the last '@' of the authority (`app:p@ss@db` is app, p@ss, db)
  const start = url.indexOf('//') + 2
  const authorityEnd = url.slice(start).search(/[/?#]/)
  const authority = authorityEnd < 0 ? url.slice(start) : url.slice(start, start + authorityEnd)
  const at = authority.lastIndexOf('@')
  if (at < 0) return url
  const colon = authority.slice(0, at).indexOf(':')
  const user = colon < 0 ? authority.slice(0, at) : authority.slice(0, colon)
  return url.slice(0, start) + user + ':***' + url.slice(start + at)
}

/**
 * `url` with secrets replaced by `***`: the password of an absolute URL
 * (`postgres://app:***@db/x`) and the values of query keys naming a password, a token or a
 * secret, or listed in `names` (the application's password and token parameters). Works on
 * absolute URLs and on request URLs (`/path?query`); everything else is kept as written.
 *
 * @example
 *   redactUrl('postgres://app:p@ss@db/x?password=y')   // 'postgres://app:***@db/x?password=***'
 *   redactUrl('/token?username=calvin&password=hobbes') // '/token?username=calvin&password=***'
 */
export function redactUrl (url: string, names?: ReadonlySet<string>): string {
  const hash = url.indexOf('#')
  const beforeHash = hash < 0 ? url : url.slice(0, hash)
  const q = beforeHash.indexOf('?')
  let head = q < 0 ? beforeHash : beforeHash.slice(0, q)
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(head) && head.includes('@')) head = redactAuthority(head)
  const query = q < 0 ? '' : '?' + redactQuery(beforeHash.slice(q + 1), names)
  return head + query + (hash < 0 ? '' : url.slice(hash))
}

/** What Fastify's request serializer reads. */
interface LoggedRequest {
  method?: string
  url?: string
  headers?: Record<string, unknown>
  host?: string
  ip?: string
  socket?: { remotePort?: number }
}

/** Fastify's `req` serializer, with the URL redacted (`names`: parameter names to redact beside the pattern). */
export function requestSerializer (names?: ReadonlySet<string>): (req: LoggedRequest) => Record<string, unknown> {
  return (req) => ({
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url, names) : req.url,
    version: req.headers?.['accept-version'],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort
  })
}

/**
 * The `req` log serializer the plugin gives each route it compiles: `own` (the route's, when it
 * has one) or Fastify's, with the URL of its output redacted.
 */
export function routeRequestSerializer (names: ReadonlySet<string>, own?: (req: LoggedRequest) => unknown): (req: LoggedRequest) => unknown {
  if (own === undefined) return requestSerializer(names)
  return (req) => {
    const out = own(req) as { url?: unknown } | null | undefined
    if (out !== null && typeof out === 'object' && typeof out.url === 'string') return { ...out, url: redactUrl(out.url, names) }
    return out
  }
}

/**
 * Logger serializers for `Fastify({ logger: { serializers } })`: Fastify's request serializer,
 * with secret query values (keys naming a password, a token or a secret) replaced by `***` in
 * every request log line, 404s and routes of other plugins included.
 */
export const serializers = Object.freeze({ req: requestSerializer() })
