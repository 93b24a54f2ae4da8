/**
 * Redirect to the login page instead of a 401, for pages (FlaskSimpleAuth's FSA_401_REDIRECT).
 *
 * Only a browser navigation is redirected: a GET or HEAD whose `Accept` names `text/html`
 * explicitly. `*\/*` (curl, fetch() by default) and API clients keep the 401 and its challenge,
 * so scripts see the failure instead of a login form.
 *
 * The answer is 303 See Other where FlaskSimpleAuth answers 307: 307 tells the browser to repeat
 * the same method and body at the login URL, which is only harmless for GET; 303 always turns the
 * follow-up into a GET of the login page, whatever the refused request was.
 *
 * `next` (where to go after signing in) is checked by {@link safeNext}: only a path of this
 * origin, never something a browser would read as another origin.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'

/** Whether the request is a browser navigation: GET/HEAD with `text/html` named in `Accept`. */
export function wantsHtml (request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false
  const accept = request.headers.accept
  if (typeof accept !== 'string') return false
  if (!accept.toLowerCase().includes('text/html')) return false
  for (const item of accept.split(',')) {
    const [type, ...params] = item.split(';')
    if (type?.trim().toLowerCase() !== 'text/html') continue
    // a listed text/html with q=0 is a refusal, not a wish
    return !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/i.test(p))
  }
  return false
}

/**
 * `next` when it is a path of this origin, else `home`. Refused: anything not starting with a
 * single `/` (`https:…`, `//host`, `javascript:`), backslashes (browsers read `/\host` as
 * `//host`), control characters and spaces, and the same in percent-encoded form (decoded once
 * more, as a login page that redirects again would).
 *
 * @example
 *   safeNext('/todos?x=1', '/')          // '/todos?x=1'
 *   safeNext('//evil.example', '/')      // '/'
 *   safeNext('/%2F%2Fevil.example', '/') // '/'
 */
export function safeNext (next: unknown, home: string): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2048) return home
  if (!isLocalPath(next)) return home
  let decoded: string
  try { decoded = decodeURIComponent(next) } catch { return home }
  return isLocalPath(decoded) ? next : home
}

function isLocalPath (path: string): boolean {
  if (path[0] !== '/' || path[1] === '/' || path[1] === '\\') return false
  // backslashes, controls and whitespace anywhere: browsers strip or normalise them
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i)
    if (c <= 0x20 || c === 0x7f || c === 0x5c) return false
  }
  return true
}

/** The `Location` of the login redirect of `request`. */
export function loginLocation (loginUrl: string, request: FastifyRequest): string {
  const separator = loginUrl.includes('?') ? '&' : '?'
  return `${loginUrl}${separator}next=${encodeURIComponent(request.url)}`
}

/** Send the 303 to the login page. */
export function sendLoginRedirect (reply: FastifyReply, loginUrl: string, request: FastifyRequest): void {
  void reply.code(303).header('location', loginLocation(loginUrl, request)).header('cache-control', 'no-store').send()
}
