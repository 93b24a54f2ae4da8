/**
 * Scope requirements of `oauth` routes: the `authorize` strings are scopes that the JWT's `scope`
 * claim must all grant (RFC 8693 §4.2 space-separated list, parsed once when the token is verified).
 */
import type { FastifyRequest } from 'fastify'
import { FSA_ERR_AUTHZ_SCOPE } from '../errors/catalogue.js'

/** Throw the 403 naming the first scope the request's token does not grant. */
export function checkScopes (request: FastifyRequest, scopes: readonly string[]): void {
  const granted = request.authToken?.scopes
  for (const s of scopes) {
    if (granted === undefined || !granted.includes(s)) throw new FSA_ERR_AUTHZ_SCOPE(s)
  }
}
