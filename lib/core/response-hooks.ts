/**
 * Response-side hooks, installed only when their option asks for them so that a default
 * configuration adds no per-request work:
 * - `addHeaders`: static or computed headers on every response;
 * - `mode: 'dev' | 'debug'`: `FSA-Request`, `FSA-User` and `FSA-Delay` headers;
 * - cookie token carrier: the auth cookie is (re)issued after any successful authentication when
 *   the token is missing or due for renewal, never to a cross-site request (login CSRF; the
 *   route hooks refuse such requests earlier, this also covers `request.authenticate()`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { needsRenewal, setTokenCookie } from '../tokens/carriers.js'
import type { TokenManager } from '../tokens/manager.js'
import type { ForeignCheck } from '../http/cross-site.js'
import type { HeaderFn, SecureOptions } from './types.js'

const kStart = Symbol('fsa.start')

const OUTSIDE_PRINTABLE_ASCII = /[^\x20-\x7e]/

/**
 * A debug header value that no login can break: characters outside printable ASCII are
 * percent-encoded as UTF-8 bytes, as RFC 8187 does for parameters (`日本` → `%E6%97%A5%E6%9C%AC`).
 * Node refuses header values outside Latin-1 (ERR_INVALID_CHAR: a 500 for every response of such
 * a user) and control characters would split or spoil the header.
 */
export function headerSafe (value: string): string {
  if (!OUTSIDE_PRINTABLE_ASCII.test(value)) return value
  let out = ''
  for (const ch of value) {
    if (!OUTSIDE_PRINTABLE_ASCII.test(ch)) { out += ch; continue }
    // Buffer, not encodeURIComponent: a lone surrogate becomes U+FFFD instead of throwing
    for (const byte of Buffer.from(ch, 'utf8')) out += '%' + byte.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

/** Install the response hooks the options need. */
export function installResponseHooks (fastify: FastifyInstance, options: SecureOptions, tokens: TokenManager | undefined, isForeign?: ForeignCheck): void {
  const headers = Object.entries(options.addHeaders ?? {})
  if (headers.length > 0) {
    fastify.addHook('onSend', (request, reply, payload, done) => {
      for (const [name, value] of headers) {
        const v = typeof value === 'function' ? (value as HeaderFn)(request, reply) : value
        if (v !== null && v !== undefined && v !== '') reply.header(name, v)
      }
      done(null, payload)
    })
  }

  if (options.mode === 'dev' || options.mode === 'debug') {
    fastify.addHook('onRequest', (request, _reply, done) => {
      (request as FastifyRequest & { [kStart]?: number })[kStart] = performance.now()
      done()
    })
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const start = (request as FastifyRequest & { [kStart]?: number })[kStart]
      reply.header('FSA-Request', headerSafe(`${request.method} ${request.url.split('?', 1)[0] as string}`))
      if (request.authUser !== null) reply.header('FSA-User', headerSafe(`${request.authUser} (${request.authScheme ?? 'unknown'})`))
      if (start !== undefined) reply.header('FSA-Delay', ((performance.now() - start) / 1000).toFixed(6))
      done(null, payload)
    })
  }

  if (tokens !== undefined && tokens.options.carrier === 'cookie' && tokens.options.canSign) {
    const opts = tokens.options
    fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const login = request.authUser
      if (login === null || reply.statusCode >= 400) return payload
      // the cookie is an application-realm session: a route of another realm (an MFA step) must
      // not turn its own authentication into one
      const routeRealm = (request.routeOptions.config as { realm?: string } | undefined)?.realm
      if (routeRealm !== undefined && routeRealm !== opts.realm) return payload
      const info = request.authToken
      // another scheme authenticated: issue the cookie; a cookie of the application realm: renew it
      // when due
      const issue = info === null
        ? request.authScheme !== null && !(isForeign !== undefined && isForeign(request))
        : info.realm === opts.realm && needsRenewal(info, opts)
      if (!issue) return payload
      // a renewed session cookie stays in its session (revocable as one); a session revoked since
      // this request was authenticated gets no new cookie
      const token = await fastify.createToken(login, info?.session === undefined ? undefined : { session: info.session })
        .catch((e: unknown) => { if ((e as { code?: unknown }).code === 'FSA_ERR_TOKEN_REVOKED') return null; throw e })
      if (token !== null) setTokenCookie(reply, token, opts, request)
      return payload
    })
  }
}
