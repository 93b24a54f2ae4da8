/**
 * JWT tokens (RFC 7519) with fast-jwt's signer and verifier (the library @fastify/jwt wraps),
 * used directly: nothing is registered on the application, so its own @fastify/jwt, `fastify.jwt`
 * and `request.user` stay untouched. fast-jwt is loaded on the first JWT configuration only.
 *
 * Verification pins the algorithm list to the configured one (no `alg` confusion, no `none`),
 * checks `exp` and `nbf` with `grace` as leeway, then `iss` when configured and `aud` against the
 * route realm here rather than in fast-jwt: the realm varies per route (a per-call option would
 * build a new verifier on every request), and checking them here gives each its own error without
 * reading fast-jwt's messages.
 */
import type * as FastJwtModule from 'fast-jwt'
import type { TokenError } from 'fast-jwt'
import {
  FSA_ERR_TOKEN_EXPIRED, FSA_ERR_TOKEN_ISSUER, FSA_ERR_TOKEN_MALFORMED, FSA_ERR_TOKEN_REALM,
  FSA_ERR_TOKEN_SIGNATURE
} from '../errors/catalogue.js'
import type { ResolvedTokenOptions } from './options.js'

/** The claims this plugin writes and reads. */
export interface JwtClaims {
  /** Login. */
  sub: string
  /** Realm (audience). */
  aud: string | string[]
  iss?: string
  /** Expiry, epoch seconds. */
  exp: number
  /** Issued at, epoch seconds. */
  iat?: number
  /** Space-separated scopes (RFC 8693 §4.2). */
  scope?: string
  /** Token version, to revoke every token of a user by bumping it. */
  ver?: number
  /** Session id (22 base64url characters) of a session token. */
  sid?: string
  /** The user's uniquifier: a re-created login (new uniquifier) does not inherit the tokens. */
  unq?: string
}

/** Signs and verifies JWT with one configuration. */
export interface JwtCodec {
  /** Sign `claims`; throws if the configuration cannot sign (no private key). */
  sign (claims: JwtClaims): string
  /** Verify signature, algorithm, `exp` (with grace), `iss`, and `aud` against `realm`; throws FSA_ERR_TOKEN_* (401). */
  verify (token: string, realm: string): JwtClaims
}

/**
 * Map a fast-jwt `TokenError` code to the catalogue; the token never goes into the message.
 * The issuer and the audience are checked by {@link createJwtCodec} itself, so no code here
 * needs the error's text to tell which claim failed.
 */
export function jwtError (e: unknown): Error {
  switch ((e as Partial<TokenError> | null)?.code) {
    case 'FAST_JWT_EXPIRED':
    case 'FAST_JWT_INACTIVE':
      return new FSA_ERR_TOKEN_EXPIRED('jwt')
    case 'FAST_JWT_MISSING_REQUIRED_CLAIM':
    case 'FAST_JWT_MALFORMED':
    case 'FAST_JWT_INVALID_PAYLOAD':
    case 'FAST_JWT_INVALID_TYPE':
    case 'FAST_JWT_INVALID_CLAIM_TYPE':
    case 'FAST_JWT_INVALID_CLAIM_VALUE':
    case 'FAST_JWT_INVALID_CRIT_HEADER':
      return new FSA_ERR_TOKEN_MALFORMED('jwt')
    default:
      // invalid signature or algorithm, missing signature (alg none), key mismatch
      return new FSA_ERR_TOKEN_SIGNATURE('jwt')
  }
}

/** Whether `aud` (a string or a list) names `realm`. */
function hasAudience (aud: unknown, realm: string): boolean {
  return aud === realm || (Array.isArray(aud) && aud.includes(realm))
}

/** Check the claims fast-jwt does not: issuer, audience, and the types of ours; throws FSA_ERR_TOKEN_*. */
function checkClaims (claims: Record<string, unknown>, realm: string, issuer: string | undefined): JwtClaims {
  // fast-jwt would skip an absent iss: with an issuer configured it is required
  if (issuer !== undefined && claims.iss !== issuer) throw new FSA_ERR_TOKEN_ISSUER('jwt')
  if (!hasAudience(claims.aud, realm)) throw new FSA_ERR_TOKEN_REALM('jwt')
  if (typeof claims.sub !== 'string' || claims.sub === '' ||
    (claims.scope !== undefined && typeof claims.scope !== 'string') ||
    (claims.ver !== undefined && !Number.isInteger(claims.ver)) ||
    (claims.sid !== undefined && (typeof claims.sid !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(claims.sid))) ||
    (claims.unq !== undefined && typeof claims.unq !== 'string')) {
    throw new FSA_ERR_TOKEN_MALFORMED('jwt')
  }
  return claims as unknown as JwtClaims
}

/**
 * Build a JWT codec from resolved options (`type: 'jwt'`).
 *
 * @example
 *   const codec = await createJwtCodec(resolveTokenOptions({ type: 'jwt', secret }, 'acme'))
 *   const token = codec.sign({ sub: 'calvin', aud: 'acme', exp: Math.floor(Date.now() / 1000) + 600 })
 *   codec.verify(token, 'acme').sub // 'calvin'
 */
export async function createJwtCodec (opts: ResolvedTokenOptions): Promise<JwtCodec> {
  const { createSigner, createVerifier } = await import('fast-jwt') as typeof FastJwtModule
  const asymmetric = opts.secret === ''
  const signingKey = asymmetric ? opts.privateKey : opts.secret
  const signer = signingKey !== undefined ? createSigner({ key: signingKey, algorithm: opts.algorithm }) : undefined
  const verifier = createVerifier({
    key: asymmetric ? opts.publicKey : opts.secret,
    algorithms: [opts.algorithm],
    clockTolerance: opts.graceMs,
    requiredClaims: ['sub', 'aud', 'exp']
  })

  function verify (token: string, realm: string): JwtClaims {
    if (token === '') throw new FSA_ERR_TOKEN_MALFORMED('jwt')
    let claims: Record<string, unknown>
    try {
      claims = verifier(token) as Record<string, unknown>
    } catch (e) {
      throw jwtError(e)
    }
    return checkClaims(claims, realm, opts.issuer)
  }

  function sign (claims: JwtClaims): string {
    /* c8 ignore next: the token manager refuses to sign without a key first */
    if (signer === undefined) throw new Error('no signing key')
    return signer({ ...claims })
  }

  return { sign, verify }
}
