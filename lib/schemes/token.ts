/**
 * `token` (and `oauth`): a signed token (fsa or JWT format) read from the configured carrier
 * (bearer Authorization header, another header, a cookie or a parameter). Validation is cached;
 * expiry is checked again on every request. The validated token is kept on
 * `request.authToken` (its scopes drive `oauth` routes).
 */
import { extractToken } from '../tokens/carriers.js'
import { quote } from './basic.js'
import type { TokenInfo } from '../tokens/manager.js'
import type { FastifyRequest } from 'fastify'
import type { SchemeFactory } from './scheme.js'

export const token: SchemeFactory = (ctx) => {
  const opts = ctx.token
  const checkToken = ctx.checkToken
  if (opts === undefined || checkToken === undefined) throw new Error('token scheme without token settings')
  const bearer = opts.carrier === 'bearer'
  const accept = (request: FastifyRequest, info: TokenInfo): string => {
    request.authToken = info
    return info.login
  }
  return {
    name: ctx.name,
    // a token carried as a parameter may be in the body, which is parsed after onRequest
    stage: opts.carrier === 'param' ? 'body' : 'request',
    challenge: (realm) => bearer ? `${opts.name} realm=${quote(realm)}` : undefined,
    authenticate (request, realm) {
      const raw = extractToken(request, opts)
      if (raw === null) return null
      const info = checkToken(raw, realm)
      return info instanceof Promise ? info.then((i) => accept(request, i)) : accept(request, info)
    }
  }
}
