/**
 * `checkToken(raw, realm)`, what the token schemes call: a cached signature check (kind `token`)
 * followed, on every request, by the checks a cache must not answer: expiry, and with a store the
 * account state and the token version. Synchronous on a cache hit.
 */
import { FSA_ERR_AUTH_INACTIVE, FSA_ERR_TOKEN_EXPIRED, FSA_ERR_TOKEN_MALFORMED, FSA_ERR_TOKEN_REVOKED } from '../errors/catalogue.js'
import type { CacheLayer } from '../cache/layer.js'
import { hasControl } from './control.js'
import type { UserSecret } from '../passwords/credentials.js'
import type { TokenInfo, TokenManager } from '../tokens/manager.js'
import type { SessionStore } from '../store/sessions.js'
import { makeLivenessCheck } from './session-check.js'
import type { MaybePromise } from './types.js'

/** What the token check needs. */
export interface TokenCheckSources {
  tokens: TokenManager
  cache: CacheLayer
  /** The application realm (its tokens are keyed on the token alone). */
  realm: string
  /** Cached lookup of a login's secret; with `versioned`, its state and version judge tokens. */
  lookup: (login: string) => MaybePromise<UserSecret | undefined>
  /** Whether the store keeps token versions (revocation). */
  versioned: boolean
  /** The store's sessions: session tokens must be live, stateless ones not revoked. */
  sessions?: SessionStore
}

/** A validated token, checked again for what changes with time or with the account. */
function makeFreshness (src: TokenCheckSources): (info: TokenInfo, raw: string) => MaybePromise<TokenInfo> {
  const { tokens, versioned, lookup } = src
  const live = src.sessions === undefined ? undefined : makeLivenessCheck(src.cache, src.sessions)
  return (info, raw) => {
    if (info.expires < Date.now()) throw new FSA_ERR_TOKEN_EXPIRED(tokens.type)
    if (!versioned) return info
    const secret = lookup(info.login)
    const judge = (s: Awaited<typeof secret>): MaybePromise<TokenInfo> => {
      if (s === undefined || !s.active) throw new FSA_ERR_AUTH_INACTIVE()
      if ((info.version ?? 0) !== (s.tokenVersion ?? 0)) throw new FSA_ERR_TOKEN_REVOKED()
      return live === undefined ? info : live(info, raw)
    }
    return secret instanceof Promise ? secret.then(judge) : judge(secret)
  }
}

/** The cached signature check, then the freshness checks. */
function makeVerify (src: TokenCheckSources): (raw: string, realm: string, version?: number) => MaybePromise<TokenInfo> {
  const fresh = makeFreshness(src)
  const { tokens, cache, realm } = src
  return (raw, routeRealm, version) => {
    // the common case (application realm, no version) keys on the token itself, with no string
    // built per request; a NUL (possible in a query parameter) could make a token look like the
    // prefixed key of another realm, so such tokens are refused before any cache lookup (and
    // every control character before any store lookup; a versioned call comes from
    // makeTokenCheck, which checked already)
    if (version === undefined && hasControl(raw)) throw new FSA_ERR_TOKEN_MALFORMED(tokens.type)
    const key = version === undefined
      ? (routeRealm === realm ? raw : routeRealm + '\0' + raw)
      : routeRealm + '\0' + String(version) + '\0' + raw
    const info = cache.memo<TokenInfo>('token', key, (i) => i.login, () => tokens.verify(raw, routeRealm, version))
    return info instanceof Promise ? info.then((i) => fresh(i, raw)) : fresh(info, raw)
  }
}

/**
 * Build `checkToken`. fsa tokens sign the user's current version: with a store, the version is
 * looked up first (cached) from the login the token names, then the token is verified with it.
 */
export function makeTokenCheck (src: TokenCheckSources): (raw: string, realm: string) => MaybePromise<TokenInfo> {
  const verify = makeVerify(src)
  const { loginOf } = src.tokens
  const { lookup } = src
  if (!src.versioned || loginOf === undefined) return verify
  return (raw, routeRealm) => {
    // no token of ours has a control character; its login would reach the store (PostgreSQL
    // answers a NUL in text with an error)
    if (hasControl(raw)) throw new FSA_ERR_TOKEN_MALFORMED(src.tokens.type)
    const login = loginOf(raw)
    if (login === null) return verify(raw, routeRealm)
    const secret = lookup(login)
    return secret instanceof Promise
      ? secret.then((s) => verify(raw, routeRealm, s?.tokenVersion ?? 0))
      : verify(raw, routeRealm, secret?.tokenVersion ?? 0)
  }
}
