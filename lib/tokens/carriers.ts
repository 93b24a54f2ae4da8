/**
 * Token carriers: where a token travels in a request (`Authorization` scheme per RFC 6750 §2.1, a
 * custom header, a cookie per RFC 6265, or a parameter), and the auth cookie the server sets.
 *
 * Extraction runs on every request, so it compiles nothing and allocates little: names are
 * lower-cased once in the resolved options. `null` means "no token here, try the next scheme";
 * a present but unusable value (empty, several tokens, a repeated parameter) is returned as is,
 * or as `''`, so that verification fails with a 401 rather than the request falling through.
 */
import { isLoopback } from '../http/loopback.js'
import { isLocalRequest } from '../http/transport.js'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type {} from '@fastify/cookie'
import type { TokenInfo } from './manager.js'
import type { ResolvedTokenOptions } from './options.js'

// ASCII case folding without allocating: `lower` is already lower case (names are RFC 7230 tokens)
function startsWithIgnoreCase (value: string, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    let c = value.charCodeAt(i)
    if (c >= 65 && c <= 90) c |= 0x20
    if (c !== lower.charCodeAt(i)) return false
  }
  return true
}

/**
 * The credentials of `Authorization: <scheme> <token>` when the scheme word is `lower`
 * (case-insensitive, RFC 7235 §2.1); `null` for another scheme or no header. The spaces after the
 * scheme are skipped (`1*SP`); the rest is returned raw, even if it is not one b64token.
 */
export function bearerToken (authorization: string | undefined, lower: string): string | null {
  if (authorization === undefined) return null
  const n = lower.length
  if (authorization.length < n || !startsWithIgnoreCase(authorization, lower)) return null
  if (authorization.length === n) return '' // "Bearer" alone: credentials announced but missing
  if (authorization.charCodeAt(n) !== 32) return null // "Bearerish …" is another scheme
  let i = n + 1
  while (authorization.charCodeAt(i) === 32) i++
  return authorization.slice(i)
}

function single (value: unknown): string | null {
  if (typeof value === 'string') return value
  // a repeated header or parameter is ambiguous: refuse it rather than guess which one counts
  if (Array.isArray(value)) return ''
  return null
}

/**
 * The token carried by `request` per the configured carrier, `null` when there is none.
 * The `param` carrier reads the query string, then the parsed body (form or JSON object), which
 * exists only after body parsing (`preValidation`).
 *
 * @example
 *   const token = extractToken(request, tokens.options)
 *   if (token !== null) request.user = tokens.verify(token, realm).login
 */
export function extractToken (request: FastifyRequest, opts: ResolvedTokenOptions): string | null {
  switch (opts.carrier) {
    case 'bearer':
      return bearerToken(request.headers.authorization, opts.nameLower)
    case 'header':
      return single(request.headers[opts.nameLower])
    case 'cookie':
      return single(request.cookies?.[opts.name])
    case 'param': {
      const query = request.query as Record<string, unknown> | undefined
      const fromQuery = query == null ? null : single(query[opts.name])
      if (fromQuery !== null) return fromQuery
      const body = request.body
      return body !== null && typeof body === 'object' ? single((body as Record<string, unknown>)[opts.name]) : null
    }
  }
}

export { isLoopback }

/**
 * Set the auth cookie: HttpOnly, SameSite and Path from the options, Max-Age = `delay`, and Secure
 * unless `secure` is `'auto'` and the request is local (a loopback connection without forwarding
 * headers, lib/http/transport.ts). Needs @fastify/cookie.
 *
 * @example
 *   setTokenCookie(reply, tokens.create(login), tokens.options, request)
 */
export function setTokenCookie (reply: FastifyReply, token: string, opts: ResolvedTokenOptions, request: FastifyRequest): FastifyReply {
  const { path, sameSite, secure, domain } = opts.cookie
  return reply.setCookie(opts.name, token, {
    path,
    sameSite,
    domain,
    httpOnly: true,
    secure: secure === 'auto' ? !isLocalRequest(request) : secure,
    maxAge: Math.round(opts.delay * 60)
  })
}

/**
 * Remove the auth cookie (logout): same name, path and domain, expired. Needs @fastify/cookie.
 *
 * @example
 *   clearTokenCookie(reply, tokens.options)
 */
export function clearTokenCookie (reply: FastifyReply, opts: ResolvedTokenOptions): FastifyReply {
  const { path, sameSite, secure, domain } = opts.cookie
  return reply.clearCookie(opts.name, { path, domain, sameSite, httpOnly: true, secure: secure !== false })
}

/**
 * Whether the cookie carrying a token described by `info` should be re-issued: less than
 * `renewal × delay` left before its limit. Always false with `renewal: 0` (the default).
 *
 * @example
 *   if (needsRenewal(info, tokens.options)) setTokenCookie(reply, tokens.create(info.login), tokens.options, request)
 */
export function needsRenewal (info: TokenInfo, opts: ResolvedTokenOptions, now = Date.now()): boolean {
  if (opts.renewal <= 0) return false
  return info.expires - opts.graceMs - now < opts.renewal * opts.delayMs
}
