/**
 * `checkToken(raw, realm)`, what the token schemes call: a cached signature check (kind `token`)
 * followed, on every request, by the checks a cache must not answer: expiry, and with a store the
 * account state, the token version and the uniquifier. Synchronous on a cache hit.
 *
 * Binding: with the store, tokens are checked against the user's current record (active, version,
 * uniquifier). With `getUserPass` alone, a record that carries a uniquifier binds the tokens to it;
 * a login whose record carries none keeps stateless tokens (valid until they expire), as before.
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
  /** Whether records come from a source (store or getUserPass) that may carry uniquifiers. */
  bound?: boolean
  /** The store's sessions: session tokens must be live, stateless ones not revoked. */
  sessions?: SessionStore
}

/** With the store: the account must exist, be active, and match the token's version and uniquifier. */
function judgeStored (info: TokenInfo, s: UserSecret | undefined): TokenInfo {
  if (s === undefined || !s.active) throw new FSA_ERR_AUTH_INACTIVE()
  if ((info.version ?? 0) !== (s.tokenVersion ?? 0) || info.uniquifier !== s.uniquifier) throw new FSA_ERR_TOKEN_REVOKED()
  return info
}

/** With `getUserPass` alone: a uniquifier on either side must match the other. */
function judgeBound (info: TokenInfo, s: UserSecret | undefined): TokenInfo {
  if (info.uniquifier !== s?.uniquifier) throw new FSA_ERR_TOKEN_REVOKED()
  return info
}

/**
 * A validated token, checked again for what changes with time or with the account. `looked` says
 * the caller already looked the user up (fsa tokens, to verify the signature): `known` is then
 * the user's record, and no second lookup is made. With sessions, the session (or, for a
 * stateless token, the token itself) must still be live.
 */
type Freshness = (info: TokenInfo, raw: string, looked: boolean, known: UserSecret | undefined) => MaybePromise<TokenInfo>

function makeFreshness (src: TokenCheckSources): Freshness {
  const { tokens, versioned, lookup } = src
  const judge = versioned ? judgeStored : src.bound === true ? judgeBound : undefined
  const live = src.sessions === undefined ? undefined : makeLivenessCheck(src.cache, src.sessions)
  const judged = (info: TokenInfo, raw: string, s: UserSecret | undefined): MaybePromise<TokenInfo> => {
    const checked = judge === undefined ? info : judge(info, s)
    return live === undefined ? checked : live(checked, raw)
  }
  return (info, raw, looked, known) => {
    if (info.expires < Date.now()) throw new FSA_ERR_TOKEN_EXPIRED(tokens.type)
    if (judge === undefined) return live === undefined ? info : live(info, raw)
    if (looked) return judged(info, raw, known)
    const secret = lookup(info.login)
    return secret instanceof Promise ? secret.then((s) => judged(info, raw, s)) : judged(info, raw, secret)
  }
}

type Verify = (raw: string, realm: string, looked: boolean, known: UserSecret | undefined) => MaybePromise<TokenInfo>

/** The cached signature check, then the freshness checks. */
function makeVerify (src: TokenCheckSources): Verify {
  const fresh = makeFreshness(src)
  const { tokens, cache, realm, versioned } = src
  return (raw, routeRealm, looked, known) => {
    // the common case (application realm, no version) keys on the token itself, with no string
    // built per request; a NUL (possible in a query parameter) could make a token look like the
    // prefixed key of another realm, so such tokens are refused before any cache lookup (and
    // every control character before any store lookup; a call with `looked` comes from
    // makeTokenCheck, which checked already). The uniquifier is not in the key: the cached info
    // records the one it was checked with, and the freshness check compares it with the user's
    // current one.
    if (!looked && hasControl(raw)) throw new FSA_ERR_TOKEN_MALFORMED(tokens.type)
    const version = looked && versioned ? known?.tokenVersion ?? 0 : undefined
    const uniquifier = looked ? known?.uniquifier : undefined
    const key = version === undefined
      ? (routeRealm === realm ? raw : routeRealm + '\0' + raw)
      : routeRealm + '\0' + String(version) + '\0' + raw
    const info = cache.memo<TokenInfo>('token', key, (i) => i.login, () => tokens.verify(raw, routeRealm, version, uniquifier))
    return info instanceof Promise ? info.then((i) => fresh(i, raw, looked, known)) : fresh(info, raw, looked, known)
  }
}

/**
 * Build `checkToken`. fsa tokens sign the user's current version and uniquifier: with a record
 * source, they are looked up first (cached) from the login the token names, then the token is
 * verified with them, and the same record judges it.
 */
export function makeTokenCheck (src: TokenCheckSources): (raw: string, realm: string) => MaybePromise<TokenInfo> {
  const verify = makeVerify(src)
  const { loginOf } = src.tokens
  const { lookup, versioned } = src
  if ((!versioned && src.bound !== true) || loginOf === undefined) return (raw, routeRealm) => verify(raw, routeRealm, false, undefined)
  return (raw, routeRealm) => {
    // no token of ours has a control character; its login would reach the store (PostgreSQL
    // answers a NUL in text with an error)
    if (hasControl(raw)) throw new FSA_ERR_TOKEN_MALFORMED(src.tokens.type)
    const login = loginOf(raw)
    if (login === null) return verify(raw, routeRealm, false, undefined)
    const secret = lookup(login)
    return secret instanceof Promise
      ? secret.then((s) => verify(raw, routeRealm, true, s))
      : verify(raw, routeRealm, true, secret)
  }
}
