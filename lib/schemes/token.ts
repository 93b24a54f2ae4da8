/**
 * `token`: a signed token (fsa or JWT format) read from the configured carrier (bearer
 * Authorization header, another header, a cookie or a parameter). Validation is cached; expiry
 * is checked again on every request. The validated token is kept on `request.authToken` (its
 * scopes drive `oauth` routes, see oauth.ts, which shares this factory).
 */
import { extractToken } from '../tokens/carriers.js'
import { TokenOptionsSchema } from '../tokens/options.js'
import { quote } from './basic.js'
import type { TokenInfo } from '../tokens/manager.js'
import type { FastifyRequest } from 'fastify'
import type { SchemeDefinition, SchemeFactory, SchemeSettings, SchemeStage, TokenDescription } from './scheme.js'

/** A token carried as a parameter may be in the body, which is parsed after onRequest. */
export const tokenStage = (s: SchemeSettings): SchemeStage => s.token?.carrier === 'param' ? 'body' : 'request'

/** The factory of `token` and `oauth`. */
export const createTokenScheme: SchemeFactory = (ctx) => {
  const opts = ctx.token
  const checkToken = ctx.checkToken
  if (opts === undefined || checkToken === undefined) throw new Error('token scheme without token settings')
  const bearer = opts.carrier === 'bearer'
  const accept = (request: FastifyRequest, info: TokenInfo): string => {
    request.authToken = info
    return info.login
  }
  return {
    challenge: (realm) => bearer ? `${opts.name} realm=${quote(realm)}` : undefined,
    authenticate (request, realm) {
      const raw = extractToken(request, opts)
      if (raw === null) return null
      const info = checkToken(raw, realm)
      return info instanceof Promise ? info.then((i) => accept(request, i)) : accept(request, info)
    }
  }
}

/** The OpenAPI security scheme of a token: HTTP bearer (`bearerFormat: JWT` for JWT), or an API key. */
export function tokenSecurityScheme (token: TokenDescription, description: string): Record<string, unknown> {
  if (token.carrier === 'bearer' && token.name.toLowerCase() === 'bearer') {
    return token.type === 'jwt'
      ? { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description }
      : { type: 'http', scheme: 'bearer', description }
  }
  if (token.carrier === 'bearer') {
    return { type: 'apiKey', in: 'header', name: 'Authorization', description: `${description} Send "Authorization: ${token.name} <token>".` }
  }
  const where = token.carrier === 'param' ? 'query' : token.carrier
  const extra = token.carrier === 'param' ? ' It may also come in a form or JSON body.' : ''
  return { type: 'apiKey', in: where, name: token.name, description: description + extra }
}

/** The default token settings, for documents built without the secure plugin's own. */
export const DEFAULT_TOKEN: TokenDescription = { type: 'fsa', carrier: 'bearer', name: 'Bearer' }

export const token: SchemeDefinition = {
  name: 'token',
  stage: tokenStage,
  option: { key: 'token', schema: TokenOptionsSchema },
  needs: { tokens: true },
  create: createTokenScheme,
  credentialParams: (s) => s.token?.carrier === 'param' ? [s.token.name] : [],
  openapi: {
    name: 'token',
    scheme (s) {
      const t = s.token ?? DEFAULT_TOKEN
      const format = t.type === 'jwt' ? 'A JWT' : 'A fastify-simple-auth token (realm:login:limit:signature)'
      return tokenSecurityScheme(t, `${format}, obtained from the application's login route.`)
    }
  }
}
