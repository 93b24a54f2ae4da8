/**
 * The `token` option: its TypeBox schema, its defaults, and the start-up checks that refuse an
 * unsafe configuration (short secret, `none` algorithm, asymmetric JWT without a public key)
 * before the first request is served. Everything per request reads {@link ResolvedTokenOptions},
 * computed once here, so no option is parsed or defaulted on the hot path.
 */
import { randomBytes } from 'node:crypto'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { FSA_ERR_OPT_ALGORITHM, FSA_ERR_OPT_INVALID, FSA_ERR_OPT_SECRET, FSA_ERR_OPT_UNKNOWN } from '../errors/catalogue.js'

/** HMAC algorithms: the secret signs and verifies. */
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const
/** Public-key algorithms: `privateKey` signs, `publicKey` verifies. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512'] as const

/** A JWT algorithm accepted by the plugin (`none` never is). */
export type TokenAlgorithm = typeof HMAC_ALGORITHMS[number] | typeof ASYMMETRIC_ALGORITHMS[number]

/** Where the token travels in the request. */
export type TokenCarrier = 'bearer' | 'header' | 'cookie' | 'param'

/** Default `name` per carrier, as in FlaskSimpleAuth. */
export const DEFAULT_TOKEN_NAMES: Readonly<Record<TokenCarrier, string>> = { bearer: 'Bearer', header: 'Auth', cookie: 'auth', param: 'AUTH' }

/** Shortest accepted secret for fsa and HS* tokens, in bytes (RFC 7518 §3.2 asks for at least the hash size). */
export const MIN_SECRET_BYTES = 32

/** JSON schema (TypeBox) of the `token` option; unknown keys are refused. */
export const TokenOptionsSchema = Type.Object({
  type: Type.Optional(Type.Union([Type.Literal('fsa'), Type.Literal('jwt')])),
  carrier: Type.Optional(Type.Union([Type.Literal('bearer'), Type.Literal('header'), Type.Literal('cookie'), Type.Literal('param')])),
  name: Type.Optional(Type.String({ minLength: 1 })),
  secret: Type.Optional(Type.String()),
  delay: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  grace: Type.Optional(Type.Number({ minimum: 0 })),
  length: Type.Optional(Type.Integer({ minimum: 16, maximum: 64 })),
  // `none` and unknown names are checked by hand to give FSA_ERR_OPT_ALGORITHM
  algorithm: Type.Optional(Type.String()),
  publicKey: Type.Optional(Type.String({ minLength: 1 })),
  privateKey: Type.Optional(Type.String({ minLength: 1 })),
  issuer: Type.Optional(Type.String({ minLength: 1 })),
  renewal: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  cookie: Type.Optional(Type.Object({
    path: Type.Optional(Type.String({ minLength: 1 })),
    sameSite: Type.Optional(Type.Union([Type.Literal('lax'), Type.Literal('strict'), Type.Literal('none')])),
    secure: Type.Optional(Type.Union([Type.Literal('auto'), Type.Boolean()])),
    domain: Type.Optional(Type.String({ minLength: 1 }))
  }, { additionalProperties: false }))
}, { additionalProperties: false })

/**
 * The `token` option as the application writes it.
 *
 * @example
 *   const token: TokenOptions = { type: 'jwt', secret: process.env.ACME_SECRET, delay: 10, issuer: 'acme' }
 */
export type TokenOptions = Static<typeof TokenOptionsSchema>

/** Cookie attributes after defaults. */
export interface ResolvedCookieOptions {
  /** @default '/' */
  path: string
  /** @default 'lax' */
  sameSite: 'lax' | 'strict' | 'none'
  /** `'auto'`: Secure unless the request came on loopback. @default 'auto' */
  secure: 'auto' | boolean
  domain: string | undefined
}

/** The `token` option after defaults and start-up checks; read per request, never mutated. */
export interface ResolvedTokenOptions {
  type: 'fsa' | 'jwt'
  carrier: TokenCarrier
  /** Bearer scheme word, or header, cookie or parameter name. */
  name: string
  /** `name` in lower case (bearer scheme and header lookups are case-insensitive). */
  nameLower: string
  /** Signing secret for fsa and HS* (random when none was given); `''` for asymmetric JWT. */
  secret: string
  /** Whether `secret` was generated at start-up (tokens die with the process). */
  randomSecret: boolean
  /** Validity in minutes. */
  delay: number
  /** Tolerance after expiry in minutes. */
  grace: number
  delayMs: number
  graceMs: number
  /** fsa signature length in hex characters. */
  length: number
  /** JWT algorithm (`HS256` for fsa, which always uses HMAC-SHA256). */
  algorithm: TokenAlgorithm
  publicKey: string | undefined
  privateKey: string | undefined
  /** Whether `createToken` can sign (false for asymmetric JWT without `privateKey`). */
  canSign: boolean
  issuer: string | undefined
  /** Re-issue the cookie when less than `renewal × delay` is left; 0 never does. */
  renewal: number
  cookie: ResolvedCookieOptions
  /** Default realm for created tokens (the application realm). */
  realm: string
}

/** Minimal logger: resolution only warns. */
export interface TokenLog { warn (msg: string): void }

// RFC 7230 token characters: a bearer scheme word or a header name must be one
const TCHAR = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

function checkSchema (opts: unknown): asserts opts is TokenOptions {
  if (Value.Check(TokenOptionsSchema, opts)) return
  const errors = Value.Errors(TokenOptionsSchema, opts)
  const extra = errors.find((e) => e.keyword === 'additionalProperties')
  if (extra !== undefined) {
    const names = (extra.params as { additionalProperties?: string[] }).additionalProperties ?? []
    const where = extra.instancePath === '' ? 'token' : 'token.cookie'
    const allowed = Object.keys(where === 'token' ? TokenOptionsSchema.properties : TokenOptionsSchema.properties.cookie.properties)
    throw new FSA_ERR_OPT_UNKNOWN(`${where}.${names[0] ?? '?'}`, allowed.join(', '))
  }
  // messages name the constraint, never the value (the value may be a secret)
  const first = errors.find((e) => e.keyword !== 'anyOf') ?? errors[0]
  const path = (first?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.')
  throw new FSA_ERR_OPT_INVALID(path === '' ? 'token' : `token.${path}`, first?.message ?? 'invalid value')
}

function checkAlgorithm (type: 'fsa' | 'jwt', algorithm: string | undefined): TokenAlgorithm {
  if (algorithm === undefined) return 'HS256'
  if (algorithm.toLowerCase() === 'none') {
    throw new FSA_ERR_OPT_ALGORITHM('"none" means unsigned tokens: anyone could forge any login')
  }
  if (type === 'fsa' && algorithm !== 'HS256') {
    throw new FSA_ERR_OPT_ALGORITHM(`fsa tokens are signed with HMAC-SHA256 (HS256), got "${algorithm}"`)
  }
  const all: readonly string[] = [...HMAC_ALGORITHMS, ...ASYMMETRIC_ALGORITHMS]
  if (!all.includes(algorithm)) {
    throw new FSA_ERR_OPT_ALGORITHM(`"${algorithm}" is not one of ${all.join(', ')}`)
  }
  return algorithm as TokenAlgorithm
}

function resolveSecret (secret: string | undefined, log: TokenLog): { secret: string, random: boolean } {
  if (secret === undefined) {
    log.warn('random token secret: only suits a single process')
    return { secret: randomBytes(MIN_SECRET_BYTES).toString('base64url'), random: true }
  }
  const bytes = Buffer.byteLength(secret, 'utf8')
  if (bytes === 0) throw new FSA_ERR_OPT_SECRET('empty secret')
  if (bytes < MIN_SECRET_BYTES) throw new FSA_ERR_OPT_SECRET(`shorter than ${MIN_SECRET_BYTES} bytes (${bytes})`)
  return { secret, random: false }
}

/**
 * Check the `token` option and apply its defaults. Throws `FSA_ERR_OPT_*` at start-up for unknown
 * keys, invalid values, a short or empty secret and a refused algorithm; warns through `log` when
 * the secret is random or when asymmetric JWT tokens can only be verified.
 *
 * @param opts the `token` option (`undefined`: every default)
 * @param realm the application realm, default realm of created tokens
 * @param log where warnings go (a Fastify logger fits)
 * @example
 *   const resolved = resolveTokenOptions({ type: 'fsa', secret: process.env.ACME_SECRET }, 'acme', fastify.log)
 */
export function resolveTokenOptions (opts: TokenOptions | undefined, realm: string, log: TokenLog): ResolvedTokenOptions {
  const o: unknown = opts ?? {}
  checkSchema(o)
  const type = o.type ?? 'fsa'
  const carrier = o.carrier ?? 'bearer'
  const name = o.name ?? DEFAULT_TOKEN_NAMES[carrier]
  if ((carrier === 'bearer' || carrier === 'header') && !TCHAR.test(name)) {
    throw new FSA_ERR_OPT_INVALID('token.name', `"${name}" is not an HTTP token (RFC 7230 §3.2.6)`)
  }
  const algorithm = checkAlgorithm(type, o.algorithm)
  const asymmetric = (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(algorithm)
  let secret = ''
  let randomSecret = false
  let canSign = true
  if (asymmetric) {
    if (o.publicKey === undefined) throw new FSA_ERR_OPT_INVALID('token.publicKey', `${algorithm} needs a public key to verify tokens`)
    if (o.privateKey === undefined) {
      canSign = false
      log.warn(`token ${algorithm} without privateKey: verification only, tokens come from a third party`)
    }
  } else {
    if (o.publicKey !== undefined || o.privateKey !== undefined) {
      throw new FSA_ERR_OPT_INVALID(o.publicKey !== undefined ? 'token.publicKey' : 'token.privateKey', `keys are for RS*, ES* and PS* algorithms, ${type === 'fsa' ? 'fsa tokens' : algorithm} use the secret`)
    }
    ({ secret, random: randomSecret } = resolveSecret(o.secret, log))
  }
  const cookie: ResolvedCookieOptions = {
    path: o.cookie?.path ?? '/',
    sameSite: o.cookie?.sameSite ?? 'lax',
    secure: o.cookie?.secure ?? 'auto',
    domain: o.cookie?.domain
  }
  if (cookie.sameSite === 'none' && cookie.secure === false) {
    // browsers drop SameSite=None cookies without Secure (RFC 6265bis §5.4.7)
    throw new FSA_ERR_OPT_INVALID('token.cookie.sameSite', '"none" requires secure cookies')
  }
  const delay = o.delay ?? 60
  const grace = o.grace ?? 0
  return {
    type,
    carrier,
    name,
    nameLower: name.toLowerCase(),
    secret,
    randomSecret,
    delay,
    grace,
    delayMs: delay * 60_000,
    graceMs: grace * 60_000,
    length: o.length ?? 32,
    algorithm,
    publicKey: o.publicKey,
    privateKey: o.privateKey,
    canSign,
    issuer: o.issuer,
    renewal: o.renewal ?? 0,
    cookie,
    realm
  }
}
