/**
 * `basic`: HTTP Basic authentication, RFC 7617.
 * - the scheme word is case-insensitive (RFC 7235 §2.1), one or more spaces separate it from the
 *   credentials;
 * - credentials are base64 of `user-id ":" password` in UTF-8 (§2.1, the `charset="UTF-8"` of
 *   §2.1 is what we advertise); the user-id cannot contain a colon, the password can, so the split
 *   is at the first colon;
 * - the challenge is `Basic realm="<realm>", charset="UTF-8"`.
 */
import { FSA_ERR_AUTH_BASIC_HEADER } from '../errors/catalogue.js'
import type { OpenApiScheme, SchemeDefinition, SchemeSettings } from './scheme.js'

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/**
 * Parse an Authorization header value as Basic credentials: `null` when it is another scheme,
 * `[user, password]` when valid, and a thrown 401 when it says Basic but is malformed.
 */
export function parseBasic (header: string | undefined): [string, string] | null {
  if (header === undefined || header.length < 6) return null
  const space = header.indexOf(' ')
  if (space !== 5 || header.slice(0, 5).toLowerCase() !== 'basic') return null
  const b64 = header.slice(6).trim()
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) throw new FSA_ERR_AUTH_BASIC_HEADER()
  const decoded = Buffer.from(b64, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) throw new FSA_ERR_AUTH_BASIC_HEADER()
  return [decoded.slice(0, colon), decoded.slice(colon + 1)]
}

/** Escape a realm for a quoted-string (RFC 7230 §3.2.6). */
export function quote (value: string): string {
  return '"' + value.replace(/["\\]/g, '\\$&') + '"'
}

/** HTTP basic in OpenAPI, saying where `param` accepts the same credentials. */
const openapi: OpenApiScheme = {
  name: 'basic',
  scheme (s: SchemeSettings) {
    const also = s.enabled.includes('param')
      ? ` The same credentials are also accepted as parameters ${s.param.user} and ${s.param.pass} where the route allows it.`
      : ''
    return { type: 'http', scheme: 'basic', description: 'HTTP basic authentication (RFC 7617).' + also }
  }
}

export const basic: SchemeDefinition = {
  name: 'basic',
  stage: 'request',
  needs: { passwords: true },
  create: (ctx) => ({
    challenge: (realm) => `Basic realm=${quote(realm)}, charset="UTF-8"`,
    authenticate (request) {
      const creds = parseBasic(request.headers.authorization)
      if (creds === null) return null
      return ctx.checkCredentials(creds[0], creds[1], request)
    }
  }),
  openapi
}
