/**
 * The token manager: one object that creates and verifies tokens of the configured type, so the
 * token scheme, the cookie carrier and `fastify.createToken` need not know fsa from JWT.
 *
 * `verify` is a pure function of the token and the realm: the token scheme caches its results
 * keyed by token and realm, and re-checks `expires` on every cache hit.
 */
import type { FastifyInstance } from 'fastify'
import { FSA_ERR_OPT_INVALID, FSA_ERR_TOKEN_NO_SIGNER } from '../errors/catalogue.js'
import { createFsaCodec, fsaRealmPart } from './fsa.js'
import type { JwtClaims } from './jwt.js'
import type { ResolvedTokenOptions } from './options.js'

const SESSION_ID = /^[A-Za-z0-9_-]{22}$/

/** What a valid token says. */
export interface TokenInfo {
  login: string
  /** The realm the token was checked against. */
  realm: string
  /** Epoch ms after which the token is refused: its limit plus `grace`. Re-check it on cache hits. */
  expires: number
  /** JWT `scope` claim split on spaces. */
  scopes?: string[]
  /** JWT `ver` claim; for fsa tokens, the version the signature was checked with. */
  version?: number
  /** Session id of a session token (JWT `sid` claim, fsa session layout); stateless tokens have none. */
  session?: string
  /** JWT `unq` claim; for fsa tokens, the uniquifier the signature was checked with. */
  uniquifier?: string
}

/** Per-token overrides for {@link TokenManager.create}. */
export interface CreateTokenOptions {
  /** Validity in minutes. @default options.delay */
  delay?: number
  /** @default options.realm (the application realm) */
  realm?: string
  /** @default options.issuer */
  issuer?: string
  /** JWT only: scopes written space-separated in the `scope` claim. */
  scope?: string[]
  /** Token version, an integer: the `ver` claim of a JWT; mixed into the signature of an fsa token. */
  version?: number
  /**
   * A session id (22 base64url characters) makes a session token: the `sid` claim of a JWT, the
   * session field of an fsa token. `fastify.createToken` also takes `true` (a new session in the store).
   */
  session?: string
  /** The user's uniquifier: the `unq` claim of a JWT; mixed into the signature of an fsa token. */
  uniquifier?: string
}

/** Creates and verifies tokens of one configured type. */
export interface TokenManager {
  readonly type: 'fsa' | 'jwt'
  readonly options: ResolvedTokenOptions
  /**
   * A new token for `login`. Throws FSA_ERR_TOKEN_NO_SIGNER without a private key (asymmetric
   * JWT) and FSA_ERR_OPT_INVALID for a bad login or option (scopes on fsa tokens, delay ≤ 0).
   */
  create (login: string, opts?: CreateTokenOptions): string
  /**
   * Throws FSA_ERR_TOKEN_* (401) errors; a pure function of its arguments (cacheable). `version`
   * and `uniquifier` are the user's current ones for fsa tokens, whose signature covers them; JWTs
   * carry theirs in the `ver` and `unq` claims and ignore the arguments.
   */
  verify (token: string, realm: string, version?: number, uniquifier?: string): TokenInfo
  /** fsa only: the login a token names before any verification (to look up its version); `null` when malformed. */
  loginOf? (token: string): string | null
}

function checkCreate (type: 'fsa' | 'jwt', login: string, opts: CreateTokenOptions, delay: number): void {
  if (typeof login !== 'string' || login === '') throw new FSA_ERR_OPT_INVALID('login', 'a token needs a non-empty login')
  if (!(delay > 0) || !Number.isFinite(delay)) throw new FSA_ERR_OPT_INVALID('delay', 'must be a positive number of minutes')
  if (type === 'fsa' && opts.scope !== undefined) throw new FSA_ERR_OPT_INVALID('scope', 'scopes need JWT tokens (token.type: \'jwt\')')
  if (opts.version !== undefined && !Number.isInteger(opts.version)) throw new FSA_ERR_OPT_INVALID('version', 'must be an integer')
  if (opts.session !== undefined && !SESSION_ID.test(opts.session)) throw new FSA_ERR_OPT_INVALID('session', 'a session id is 22 base64url characters')
  if (opts.uniquifier !== undefined && typeof opts.uniquifier !== 'string') throw new FSA_ERR_OPT_INVALID('uniquifier', 'must be a string')
  if (opts.scope?.some((s) => typeof s !== 'string' || s === '' || s.includes(' ')) === true) {
    throw new FSA_ERR_OPT_INVALID('scope', 'scopes are non-empty strings without spaces')
  }
}

/**
 * Build the token manager for resolved options; for JWT it loads fast-jwt on first use (see
 * `jwt.ts`). `fastify` is not used (nothing is registered on it); it is kept for callers.
 *
 * @example
 *   const tokens = await createTokenManager(fastify, resolveTokenOptions(options.token, 'acme'))
 *   const token = tokens.create('calvin', { delay: 10 })
 *   tokens.verify(token, 'acme') // { login: 'calvin', realm: 'acme', expires: 1764…}
 */
export async function createTokenManager (_fastify: FastifyInstance, opts: ResolvedTokenOptions): Promise<TokenManager> {
  return opts.type === 'fsa' ? fsaManager(opts) : await jwtManager(opts)
}

function fsaManager (opts: ResolvedTokenOptions): TokenManager {
  const codec = createFsaCodec(opts.secret, opts.length, opts.graceMs)
  // realms come from configuration and routes: few, so simplified once each
  const parts = new Map<string, string>()
  const realmPart = (realm: string, issuer: string | undefined) => {
    const key = issuer === undefined ? realm : `${realm}\0${issuer}`
    let part = parts.get(key)
    if (part === undefined) parts.set(key, part = fsaRealmPart(realm, issuer))
    return part
  }
  return {
    type: 'fsa',
    options: opts,
    create (login, o = {}) {
      const delay = o.delay ?? opts.delay
      checkCreate('fsa', login, o, delay)
      return codec.create(realmPart(o.realm ?? opts.realm, o.issuer ?? opts.issuer), login, Date.now() + delay * 60_000, o.version, o.uniquifier, o.session)
    },
    verify (token, realm, version, uniquifier) {
      const { login, limit, session } = codec.verify(token, realmPart(realm, opts.issuer), Date.now(), version, uniquifier)
      const info: TokenInfo = { login, realm, expires: limit + opts.graceMs }
      if (version !== undefined) info.version = version
      if (uniquifier !== undefined) info.uniquifier = uniquifier
      if (session !== undefined) info.session = session
      return info
    },
    loginOf: (token) => codec.loginOf(token)
  }
}

async function jwtManager (opts: ResolvedTokenOptions): Promise<TokenManager> {
  // the JWT library is loaded only when token.type is 'jwt'
  const { createJwtCodec } = await import('./jwt.js')
  const codec = await createJwtCodec(opts)
  return {
    type: 'jwt',
    options: opts,
    create (login, o = {}) {
      const delay = o.delay ?? opts.delay
      checkCreate('jwt', login, o, delay)
      if (!opts.canSign) throw new FSA_ERR_TOKEN_NO_SIGNER(`${opts.algorithm} tokens need token.privateKey`)
      const iat = Math.floor(Date.now() / 1000)
      const claims: JwtClaims = { sub: login, aud: o.realm ?? opts.realm, iat, exp: iat + Math.round(delay * 60) }
      const iss = o.issuer ?? opts.issuer
      if (iss !== undefined) claims.iss = iss
      if (o.scope !== undefined) claims.scope = o.scope.join(' ')
      if (o.version !== undefined) claims.ver = o.version
      if (o.session !== undefined) claims.sid = o.session
      if (o.uniquifier !== undefined) claims.unq = o.uniquifier
      return codec.sign(claims)
    },
    verify (token, realm) {
      const claims = codec.verify(token, realm)
      const info: TokenInfo = { login: claims.sub, realm, expires: claims.exp * 1000 + opts.graceMs }
      if (claims.scope !== undefined) info.scopes = claims.scope.split(' ').filter((s) => s !== '')
      if (claims.ver !== undefined) info.version = claims.ver
      if (claims.sid !== undefined) info.session = claims.sid
      if (claims.unq !== undefined) info.uniquifier = claims.unq
      return info
    }
  }
}
