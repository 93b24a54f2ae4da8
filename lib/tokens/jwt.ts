/**
 * JWT tokens (RFC 7519) through @fastify/jwt and its fast-jwt signer and verifier, without taking
 * over `request.user` or `fastify.jwt`: @fastify/jwt is registered in a private encapsulated child
 * context, with decorator names of its own, and only its `sign` and `verify` functions are kept.
 *
 * Verification pins the algorithm list to the configured one (no `alg` confusion, no `none`),
 * checks `exp` with `grace` as leeway, `iss` when configured, and `aud` against the route realm.
 * The audience is checked here rather than by fast-jwt because the realm varies per route and a
 * per-call option would build a new verifier on every request.
 */
import { createRequire } from 'node:module'
import Fastify, { type FastifyInstance } from 'fastify'
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
}

/** Signs and verifies JWT with one configuration. */
export interface JwtCodec {
  /** Sign `claims`; throws if the configuration cannot sign (no private key). */
  sign (claims: JwtClaims): string
  /** Verify signature, algorithm, `exp` (with grace), `iss`, and `aud` against `realm`; throws FSA_ERR_TOKEN_* (401). */
  verify (token: string, realm: string): JwtClaims
}

// loaded untyped on purpose: @fastify/jwt's types would declare `request.user` for the whole project
const fastifyJwt = createRequire(import.meta.url)('@fastify/jwt') as (...args: unknown[]) => unknown

interface JwtDecorator {
  sign (payload: object): string
  verify (token: string): unknown
}

/** Map a fast-jwt error code to the catalogue; the token never goes into the message. */
export function jwtError (e: unknown): Error {
  const code = (e as { code?: unknown }).code
  const message = String((e as { message?: unknown }).message ?? '')
  switch (code) {
    case 'FAST_JWT_EXPIRED':
    case 'FAST_JWT_INACTIVE':
      return new FSA_ERR_TOKEN_EXPIRED('jwt')
    case 'FAST_JWT_MISSING_REQUIRED_CLAIM':
      return message.includes(' iss ') ? new FSA_ERR_TOKEN_ISSUER('jwt') : new FSA_ERR_TOKEN_MALFORMED('jwt')
    case 'FAST_JWT_MALFORMED':
    case 'FAST_JWT_INVALID_PAYLOAD':
    case 'FAST_JWT_INVALID_TYPE':
    case 'FAST_JWT_INVALID_CLAIM_TYPE':
    case 'FAST_JWT_INVALID_CRIT_HEADER':
      return new FSA_ERR_TOKEN_MALFORMED('jwt')
    case 'FAST_JWT_INVALID_CLAIM_VALUE':
      if (message.includes(' iss ')) return new FSA_ERR_TOKEN_ISSUER('jwt')
      if (message.includes(' aud ')) return new FSA_ERR_TOKEN_REALM('jwt')
      return new FSA_ERR_TOKEN_MALFORMED('jwt')
    default:
      // invalid signature or algorithm, missing signature (alg none), key mismatch
      return new FSA_ERR_TOKEN_SIGNATURE('jwt')
  }
}

function pluginOptions (opts: ResolvedTokenOptions): Record<string, unknown> {
  const asymmetric = opts.secret === ''
  const secret = asymmetric ? { public: opts.publicKey, private: opts.privateKey } : opts.secret
  return {
    secret,
    // private names: the application's own @fastify/jwt and `request.user` stay untouched
    decoratorName: 'fsaJwtPayload',
    jwtDecode: 'fsaJwtDecode',
    jwtVerify: 'fsaJwtVerify',
    jwtSign: 'fsaJwtSign',
    sign: { algorithm: opts.algorithm },
    verify: {
      algorithms: [opts.algorithm],
      clockTolerance: opts.graceMs,
      // fast-jwt skips the iss check when the claim is absent: require it when an issuer is set
      ...(opts.issuer === undefined
        ? { requiredClaims: ['sub', 'aud', 'exp'] }
        : { requiredClaims: ['sub', 'aud', 'exp', 'iss'], allowedIss: opts.issuer })
    }
  }
}

/**
 * Load @fastify/jwt privately and return its signer and verifier. When the application has
 * already decorated `fastify.jwt` (its own @fastify/jwt registered first), a bare private Fastify
 * instance hosts ours, since a child context cannot shadow an inherited decorator.
 */
async function loadJwt (fastify: FastifyInstance, opts: ResolvedTokenOptions): Promise<JwtDecorator> {
  let decorator: JwtDecorator | undefined
  const host = async (child: FastifyInstance) => {
    await child.register(fastifyJwt as never, pluginOptions(opts))
    decorator = (child as unknown as { jwt: JwtDecorator }).jwt
  }
  if (fastify.hasDecorator('jwt')) {
    const privateHost = Fastify()
    await privateHost.register(host)
    await privateHost.ready()
  } else {
    await fastify.register(host)
  }
  /* c8 ignore next */
  if (decorator === undefined) throw new Error('@fastify/jwt did not load')
  return decorator
}

/**
 * Build a JWT codec from resolved options (`type: 'jwt'`).
 *
 * @example
 *   const codec = await createJwtCodec(fastify, resolveTokenOptions({ type: 'jwt', secret }, 'acme'))
 *   const token = codec.sign({ sub: 'calvin', aud: 'acme', exp: Math.floor(Date.now() / 1000) + 600 })
 */
export async function createJwtCodec (fastify: FastifyInstance, opts: ResolvedTokenOptions): Promise<JwtCodec> {
  const jwt = await loadJwt(fastify, opts)

  function verify (token: string, realm: string): JwtClaims {
    // @fastify/jwt asserts on an empty token: that is a malformed token, not a crash
    if (token === '') throw new FSA_ERR_TOKEN_MALFORMED('jwt')
    let claims: Record<string, unknown>
    try {
      claims = jwt.verify(token) as Record<string, unknown>
    } catch (e) {
      throw jwtError(e)
    }
    const aud = claims.aud
    if (aud !== realm && !(Array.isArray(aud) && aud.includes(realm))) throw new FSA_ERR_TOKEN_REALM('jwt')
    if (typeof claims.sub !== 'string' || claims.sub === '' ||
      (claims.scope !== undefined && typeof claims.scope !== 'string') ||
      (claims.ver !== undefined && !Number.isInteger(claims.ver))) {
      throw new FSA_ERR_TOKEN_MALFORMED('jwt')
    }
    return claims as unknown as JwtClaims
  }

  return { sign: (claims) => jwt.sign(claims), verify }
}
