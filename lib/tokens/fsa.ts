/**
 * fsa tokens, FlaskSimpleAuth's own format: `realm[/issuer]:login:YYYYMMDDHHmmSS:signature`, the
 * limit in UTC and the signature an HMAC-SHA256 (hex, truncated) over everything before it.
 * Session tokens (issued by the account routes) add one field before the signature:
 * `realm[/issuer]:login:YYYYMMDDHHmmSS:session:signature`, the session id being 22 base64url
 * characters, so the field before the signature (14 digits or 22 characters) tells the layouts
 * apart and the signature covers the session id.
 *
 * Parsing reads the fields from both ends, so a login may contain `:` (realms and issuers cannot,
 * they are simplified). Verification is on the hot path: it slices only what it must, compares
 * the signature in constant time, and every failure is a 401 from the catalogue whose message
 * never contains the token.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto'
import {
  FSA_ERR_TOKEN_EXPIRED, FSA_ERR_TOKEN_MALFORMED, FSA_ERR_TOKEN_REALM, FSA_ERR_TOKEN_SIGNATURE
} from '../errors/catalogue.js'

/**
 * Simplify a realm or issuer for fsa tokens as FlaskSimpleAuth does: runs of characters outside
 * `[-A-Za-z0-9]` become one `-`, dashes at both ends go. Case is kept.
 *
 * @example
 *   simplifyRealm('My App!') // 'My-App'
 */
export function simplifyRealm (realm: string): string {
  return realm.replace(/[^-A-Za-z0-9]+/g, '-').replace(/-{2,}/g, '-').replace(/^-|-$/g, '')
}

/** The realm part of an fsa token: `realm` or `realm/issuer`, both simplified. */
export function fsaRealmPart (realm: string, issuer: string | undefined): string {
  const r = simplifyRealm(realm)
  return issuer === undefined ? r : `${r}/${simplifyRealm(issuer)}`
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + String(n)

/** Format an instant (epoch ms) as the 14-digit UTC limit `YYYYMMDDHHmmSS`. */
export function formatLimit (ms: number): string {
  const d = new Date(ms)
  return String(d.getUTCFullYear()).padStart(4, '0') + pad2(d.getUTCMonth() + 1) + pad2(d.getUTCDate()) +
    pad2(d.getUTCHours()) + pad2(d.getUTCMinutes()) + pad2(d.getUTCSeconds())
}

// digits of token[from, from + n) as a number, -1 on any non-digit; no allocation
function digits (token: string, from: number, n: number): number {
  let v = 0
  for (let i = from; i < from + n; i++) {
    const c = token.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    v = v * 10 + c
  }
  return v
}

/**
 * Parse the 14-digit UTC limit found at `token[from, from + 14)` into epoch ms; `NaN` when it is
 * not 14 digits or not a real date and time (month 15, February 30, 25 o'clock).
 */
export function parseLimit (token: string, from = 0, to = token.length): number {
  if (to - from !== 14) return NaN
  const y = digits(token, from, 4)
  const mo = digits(token, from + 4, 2)
  const d = digits(token, from + 6, 2)
  const h = digits(token, from + 8, 2)
  const mi = digits(token, from + 10, 2)
  const s = digits(token, from + 12, 2)
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return NaN
  const ms = Date.UTC(y, mo - 1, d, h, mi, s)
  // Date.UTC rolls day 31 of a 30-day month over: a changed month means an impossible date
  if (new Date(ms).getUTCMonth() !== mo - 1) return NaN
  return ms
}

/** What a valid fsa token says. */
export interface FsaClaims {
  login: string
  /** Expiry limit written in the token, epoch ms (grace not included). */
  limit: number
  /** Session id of a session token. */
  session?: string
}

const SESSION_LENGTH = 22

/** Whether `token[from, to)` is a session id (22 base64url characters); no allocation. */
function isSessionField (token: string, from: number, to: number): boolean {
  if (to - from !== SESSION_LENGTH) return false
  for (let i = from; i < to; i++) {
    const c = token.charCodeAt(i)
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95)) return false
  }
  return true
}

/** The colon before the limit, given the colon before the signature: skips a session field. */
function limitColonOf (token: string, sigColon: number): number {
  const colon = sigColon > 0 ? token.lastIndexOf(':', sigColon - 1) : -1
  return colon > 0 && isSessionField(token, colon + 1, sigColon) ? token.lastIndexOf(':', colon - 1) : colon
}

/** Signs and verifies fsa tokens with one secret; build it once at start-up. */
export interface FsaCodec {
  /**
   * Token for `login` in `realmPart` (see {@link fsaRealmPart}) valid until `limitMs` (floored to
   * the second). A `version` above 0 and a `uniquifier` are mixed into the signature, not written
   * in the token: without them the signature is FlaskSimpleAuth's. A `session` id (22 base64url
   * characters) makes a session token.
   */
  create (realmPart: string, login: string, limitMs: number, version?: number, uniquifier?: string, session?: string): string
  /** Check `token` against `realmPart` at `now` for the user's `version` and `uniquifier`; throws FSA_ERR_TOKEN_* (401). */
  verify (token: string, realmPart: string, now?: number, version?: number, uniquifier?: string): FsaClaims
  /** The login written in a token, or `null` when the token is malformed (nothing is verified). */
  loginOf (token: string): string | null
}

/**
 * Build an fsa token codec.
 *
 * @param secret HMAC key (checked for length by `resolveTokenOptions`)
 * @param length signature length in hex characters (16..64)
 * @param graceMs tolerance after the limit
 * @example
 *   const codec = createFsaCodec(secret, 32, 0)
 *   const token = codec.create('acme', 'calvin', Date.now() + 3_600_000)
 *   codec.verify(token, 'acme').login // 'calvin'
 */
export function createFsaCodec (secret: string, length: number, graceMs: number): FsaCodec {
  const key: KeyObject = createSecretKey(Buffer.from(secret, 'utf8'))
  // Token versions (the user store's revocation counter) and uniquifiers (random per user) are
  // signed but not written: the format stays FlaskSimpleAuth's, bumping a user's version
  // invalidates every signature at once, and a re-created login (new uniquifier) inherits none.
  const sign = (data: string, version: number, uniquifier: string | undefined) => {
    const h = createHmac('sha256', key).update(data)
    if (version > 0) h.update(':v' + String(version))
    if (uniquifier !== undefined && uniquifier !== '') h.update(':u' + uniquifier)
    return h.digest('hex').slice(0, length)
  }

  function create (realmPart: string, login: string, limitMs: number, version = 0, uniquifier?: string, session?: string): string {
    const data = `${realmPart}:${login}:${formatLimit(limitMs)}` + (session === undefined ? '' : ':' + session)
    return `${data}:${sign(data, version, uniquifier)}`
  }

  // called on every request with the store (to look the version up): no allocation but the slice
  function loginOf (token: string): string | null {
    const realmEnd = token.indexOf(':')
    const limitColon = limitColonOf(token, token.lastIndexOf(':'))
    return realmEnd < 0 || limitColon <= realmEnd + 1 ? null : token.slice(realmEnd + 1, limitColon)
  }

  function verify (token: string, realmPart: string, now = Date.now(), version = 0, uniquifier?: string): FsaClaims {
    // fields from both ends: realm is before the first ':', limit[, session] and signature after the last ones
    const realmEnd = token.indexOf(':')
    const sigColon = token.lastIndexOf(':')
    const limitColon = limitColonOf(token, sigColon)
    if (realmEnd < 0 || limitColon <= realmEnd + 1) throw new FSA_ERR_TOKEN_MALFORMED('fsa')
    // a session token has a colon between the limit's 14 digits and the signature's colon
    const limitEnd = token.indexOf(':', limitColon + 1)
    const limit = parseLimit(token, limitColon + 1, limitEnd)
    if (Number.isNaN(limit)) throw new FSA_ERR_TOKEN_MALFORMED('fsa')
    if (realmEnd !== realmPart.length || !token.startsWith(realmPart)) throw new FSA_ERR_TOKEN_REALM('fsa')
    const given = Buffer.from(token.slice(sigColon + 1), 'utf8')
    const expected = Buffer.from(sign(token.slice(0, sigColon), version, uniquifier), 'latin1')
    // the length is public (configuration), so checking it first leaks nothing
    if (given.length !== expected.length || !timingSafeEqual(expected, given)) {
      throw new FSA_ERR_TOKEN_SIGNATURE('fsa')
    }
    if (now > limit + graceMs) throw new FSA_ERR_TOKEN_EXPIRED('fsa')
    const claims: FsaClaims = { login: token.slice(realmEnd + 1, limitColon), limit }
    if (limitEnd !== sigColon) claims.session = token.slice(limitEnd + 1, sigColon)
    return claims
  }

  return { create, verify, loginOf }
}
