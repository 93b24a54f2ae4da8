/**
 * Whether a request travelled safely: the HTTPS policy of the `secure` option, the `Secure` flag
 * of the auth cookie and HSTS all ask it. Plain HTTP is acceptable only when the request is
 * local: this machine talking to itself, the development case. "Local" is decided on the
 * connection (the socket's peer address), never on a forwarded client address, and a connection
 * that carries forwarding headers is a reverse proxy relaying requests from elsewhere, so it is
 * not local either (a proxy on the same host would otherwise turn internet traffic into "local
 * development"). With Fastify's `trustProxy`, `request.protocol` follows `X-Forwarded-Proto`, so
 * the forwarded protocol decides.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { isLoopback } from './loopback.js'

/** Whether the request carries a header that reverse proxies add (RFC 7239 `Forwarded`, the `X-` ones). */
export function isForwarded (request: FastifyRequest): boolean {
  const h = request.headers
  return h['x-forwarded-for'] !== undefined || h['x-forwarded-proto'] !== undefined || h.forwarded !== undefined || h['x-real-ip'] !== undefined
}

/** The peer address of the connection (`request.ip` may be a forwarded one). */
function peerAddress (request: FastifyRequest): string | undefined {
  return request.raw.socket?.remoteAddress
}

/**
 * Whether the request is local: its connection comes from loopback and carries no forwarding
 * header. Local plain HTTP passes the HTTPS policy and gets the auth cookie without `Secure`.
 *
 * @example
 *   const secure = !isLocalRequest(request)
 */
export function isLocalRequest (request: FastifyRequest): boolean {
  return isLoopback(peerAddress(request)) && !isForwarded(request)
}

/** The `hsts` option as a header value, `undefined` when it is off. */
export function hstsHeader (hsts: false | { maxAge?: number, includeSubDomains?: boolean } | undefined): string | undefined {
  if (hsts === false) return undefined
  const maxAge = hsts?.maxAge ?? DEFAULT_HSTS_MAX_AGE
  return `max-age=${maxAge}` + (hsts?.includeSubDomains === true ? '; includeSubDomains' : '')
}

/** 180 days, in seconds. */
export const DEFAULT_HSTS_MAX_AGE = 15_552_000

/** What the transport check needs, resolved at start-up. */
export interface TransportSettings {
  /** `Strict-Transport-Security` value for HTTPS responses, `undefined` for none. */
  hsts: string | undefined
  /** Called when a loopback connection carries forwarding headers and `trustProxy` is off. */
  onUntrustedProxy: () => void
}

/**
 * The check of the HTTPS policy: `true` when the request came over HTTPS (then the HSTS header is
 * set on its reply) or is local plain HTTP, `false` when it must be refused.
 *
 * @example
 *   const allows = transportCheck({ hsts: 'max-age=15552000', onUntrustedProxy: () => log.warn('…') })
 *   if (!allows(request, reply)) return sendError(reply, 403, 'insecure HTTP request denied, use HTTPS')
 */
export function transportCheck (settings: TransportSettings): (request: FastifyRequest, reply: FastifyReply) => boolean {
  const { hsts, onUntrustedProxy } = settings
  return (request, reply) => {
    if (request.protocol === 'https') {
      if (hsts !== undefined) reply.header('strict-transport-security', hsts)
      return true
    }
    if (!isLoopback(peerAddress(request))) return false
    if (!isForwarded(request)) return true
    // Fastify defines `ips` only with trustProxy: without it, the proxy's headers are ignored
    if ((request as { ips?: unknown }).ips === undefined) onUntrustedProxy()
    return false
  }
}
