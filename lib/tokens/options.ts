/**
 * The `token` option: its schema, its defaults, and the start-up checks that refuse an
 * unsafe configuration (short secret, `none` algorithm, asymmetric JWT without a public key)
 * before the first request is served. Everything per request reads {@link ResolvedTokenOptions},
 * computed once here, so no option is parsed or defaulted on the hot path.
 */
import { randomBytes } from 'node:crypto'
import { Type, type Static } from '../options/schema.js'
import { checkOptions } from '../options/check.js'
import { FSA_ERR_OPT_ALGORITHM, FSA_ERR_OPT_INVALID, FSA_ERR_OPT_SECRET } from '../errors/catalogue.js'
import { FSAWRN_TOKEN_RANDOM_SECRET, FSAWRN_TOKEN_VERIFY_ONLY, type Warning } from '../errors/warnings.js'

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

/** The `token` option (unknown keys are refused); docs/reference/tokens.md tells more. */
export const TokenOptionsSchema = Type.Object({
  /** Token format: `'fsa'` (FlaskSimpleAuth's `realm:login:limit:signature`) or `'jwt'`. @default 'fsa' */
  type: Type.Optional(Type.Union([Type.Literal('fsa'), Type.Literal('jwt')])),
  /** Where the token travels. @default 'bearer' */
  carrier: Type.Optional(Type.Union([Type.Literal('bearer'), Type.Literal('header'), Type.Literal('cookie'), Type.Literal('param')])),
  /** Bearer scheme word, or header, cookie or parameter name. @default 'Bearer', 'Auth', 'auth' or 'AUTH' by carrier */
  name: Type.Optional(Type.String({ minLength: 1 })),
  /** Signing secret of fsa and HS* tokens, at least 32 bytes. @default a random secret (single process only) */
  secret: Type.Optional(Type.String()),
  /** Validity in minutes. @default 60 */
  delay: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /** Tolerance after expiry, in minutes. @default 0 */
  grace: Type.Optional(Type.Number({ minimum: 0 })),
  /** fsa signature length in hex characters. @default 32 */
  length: Type.Optional(Type.Integer({ minimum: 16, maximum: 64 })),
  /** JWT algorithm (`none` and unknown names are refused with FSA_ERR_OPT_ALGORITHM). @default 'HS256' */
  algorithm: Type.Optional(Type.String()),
  /** PEM public key of RS*, ES* and PS* algorithms (verifies). */
  publicKey: Type.Optional(Type.String({ minLength: 1 })),
  /** PEM private key of RS*, ES* and PS* algorithms (signs); without it, verification only. */
  privateKey: Type.Optional(Type.String({ minLength: 1 })),
  /** Issuer: the JWT `iss` claim, or `realm/issuer` in fsa tokens. */
  issuer: Type.Optional(Type.String({ minLength: 1 })),
  /** Cookie carrier: re-issue the cookie when less than `renewal × delay` is left. @default 0 (never) */
  renewal: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  /** Attributes of the auth cookie. @default { path: '/', sameSite: 'lax', secure: 'auto' } */
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
  /** `'auto'`: Secure unless the request is local (loopback connection, no forwarding headers). @default 'auto' */
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

// RFC 7230 token characters: a bearer scheme word or a header name must be one
const TCHAR = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

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

function resolveSecret (secret: string | undefined): { secret: string, random: boolean } {
  if (secret === undefined) {
    return { secret: randomBytes(MIN_SECRET_BYTES).toString('base64url'), random: true }
  }
  const bytes = Buffer.byteLength(secret, 'utf8')
  if (bytes === 0) throw new FSA_ERR_OPT_SECRET('empty secret')
  if (bytes < MIN_SECRET_BYTES) throw new FSA_ERR_OPT_SECRET(`shorter than ${MIN_SECRET_BYTES} bytes (${bytes})`)
  return { secret, random: false }
}

/** The signing material: a checked (or random) secret, or the keys of an asymmetric algorithm. */
function resolveKeys (o: TokenOptions, type: 'fsa' | 'jwt', algorithm: TokenAlgorithm): { secret: string, randomSecret: boolean, canSign: boolean } {
  if ((ASYMMETRIC_ALGORITHMS as readonly string[]).includes(algorithm)) {
    if (o.publicKey === undefined) throw new FSA_ERR_OPT_INVALID('token.publicKey', `${algorithm} needs a public key to verify tokens`)
    return { secret: '', randomSecret: false, canSign: o.privateKey !== undefined }
  }
  if (o.publicKey !== undefined || o.privateKey !== undefined) {
    throw new FSA_ERR_OPT_INVALID(o.publicKey !== undefined ? 'token.publicKey' : 'token.privateKey', `keys are for RS*, ES* and PS* algorithms, ${type === 'fsa' ? 'fsa tokens' : algorithm} use the secret`)
  }
  const { secret, random } = resolveSecret(o.secret)
  return { secret, randomSecret: random, canSign: true }
}

function resolveCookie (o: TokenOptions): ResolvedCookieOptions {
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
  return cookie
}

/**
 * Check the `token` option and apply its defaults. Throws `FSA_ERR_OPT_*` at start-up for unknown
 * keys, invalid values, a short or empty secret and a refused algorithm. Pure: what deserves a
 * warning (a random secret, verification only) is in the result, see {@link tokenWarnings}.
 *
 * @param opts the `token` option (`undefined`: every default)
 * @param realm the application realm, default realm of created tokens
 * @example
 *   const resolved = resolveTokenOptions({ type: 'fsa', secret: process.env.ACME_SECRET }, 'acme')
 */
export function resolveTokenOptions (opts: TokenOptions | undefined, realm: string): ResolvedTokenOptions {
  const o: unknown = opts ?? {}
  checkOptions(TokenOptionsSchema, o, 'token')
  const type = o.type ?? 'fsa'
  const carrier = o.carrier ?? 'bearer'
  const name = o.name ?? DEFAULT_TOKEN_NAMES[carrier]
  if ((carrier === 'bearer' || carrier === 'header') && !TCHAR.test(name)) {
    throw new FSA_ERR_OPT_INVALID('token.name', `"${name}" is not an HTTP token (RFC 7230 §3.2.6)`)
  }
  const algorithm = checkAlgorithm(type, o.algorithm)
  const keys = resolveKeys(o, type, algorithm)
  const delay = o.delay ?? 60
  const grace = o.grace ?? 0
  return {
    type,
    carrier,
    name,
    nameLower: name.toLowerCase(),
    ...keys,
    delay,
    grace,
    delayMs: delay * 60_000,
    graceMs: grace * 60_000,
    length: o.length ?? 32,
    algorithm,
    publicKey: o.publicKey,
    privateKey: o.privateKey,
    issuer: o.issuer,
    renewal: o.renewal ?? 0,
    cookie: resolveCookie(o),
    realm
  }
}

/**
 * The start-up warnings a resolved `token` option deserves: a random secret (tokens die with the
 * process and other instances refuse them), an asymmetric algorithm without a private key.
 */
export function tokenWarnings (o: ResolvedTokenOptions): Warning[] {
  const out: Warning[] = []
  if (o.randomSecret) out.push(FSAWRN_TOKEN_RANDOM_SECRET())
  if (!o.canSign) out.push(FSAWRN_TOKEN_VERIFY_ONLY(o.algorithm))
  return out
}
