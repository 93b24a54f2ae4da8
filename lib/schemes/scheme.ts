/**
 * The contract every authentication scheme follows. A scheme is one file in lib/schemes/ that
 * exports a {@link SchemeDefinition}: its name, the stage where its credentials are read, the
 * option it reads (with its schema), what it needs, its factory, the request parameters that carry
 * its credentials and its OpenAPI security scheme; lib/schemes/index.ts lists them. The factory
 * returns the login, `null` for "no credentials of mine, try the next scheme", or throws a 401 for
 * credentials that are present but bad.
 */
import type { FastifyRequest } from 'fastify'
import type { MaybePromise, CustomSchemeFn } from '../core/types.js'
import type { TokenInfo, TokenManager } from '../tokens/manager.js'
import type { ResolvedTokenOptions } from '../tokens/options.js'
import type { TSchema } from '../options/schema.js'

/**
 * `request`: credentials are in headers, cookies or the query string, checked in `onRequest`
 * before the body is read. `body`: credentials may be in the parsed body, checked in `preValidation`.
 */
export type SchemeStage = 'request' | 'body'

/** The token settings a scheme describes itself from (the resolved token options fit). */
export interface TokenDescription {
  type: 'fsa' | 'jwt'
  carrier: 'bearer' | 'header' | 'cookie' | 'param'
  /** Bearer scheme word, or header, cookie or parameter name. */
  name: string
}

/** Resolved settings, enough for a scheme to describe itself (stage, parameters, OpenAPI). */
export interface SchemeSettings {
  /** Every enabled scheme, in order. */
  enabled: readonly string[]
  /** Parameter names of the `param` scheme. */
  param: { user: string, pass: string }
  /** Token settings, when tokens are enabled. */
  token?: TokenDescription | undefined
}

/** What a scheme factory receives: the resolved settings and the shared services. */
export interface SchemeContext extends SchemeSettings {
  /** Name under which the scheme is enabled (custom schemes use theirs). */
  name: string
  /**
   * Check a login and password: the (canonical) login, or a 401 thrown or rejected; with the
   * request, failures are throttled per client address (a 429 once refused).
   */
  checkCredentials: (login: string, password: string, request?: FastifyRequest) => MaybePromise<string>
  /** Validate a token (cached); throws 401 errors. Present when tokens are enabled. */
  checkToken?: (token: string, realm: string) => MaybePromise<TokenInfo>
  /** Token settings (carrier and name). Present when tokens are enabled. */
  token?: ResolvedTokenOptions | undefined
  /** Token manager (creation and verification). Present when tokens are enabled. */
  tokens?: TokenManager | undefined
  /** The function of a custom scheme. */
  custom?: CustomSchemeFn | undefined
}

/** An authentication scheme, created once at registration. */
export interface AuthScheme {
  readonly name: string
  readonly stage: SchemeStage
  /** The `WWW-Authenticate` challenge of this scheme for a realm, if it has one. */
  challenge (realm: string): string | undefined
  /** The login, `null` when the request carries no credentials of this scheme, or a thrown 401. */
  authenticate (request: FastifyRequest, realm: string): MaybePromise<string | null>
}

/** What a factory builds: the scheme's behaviour (its name and stage come from its definition). */
export type SchemeBehaviour = Pick<AuthScheme, 'challenge' | 'authenticate'>

/** The one factory signature of all schemes. */
export type SchemeFactory = (ctx: SchemeContext) => SchemeBehaviour

/** A scheme in OpenAPI: its name in `components.securitySchemes` and its security scheme object. */
export interface OpenApiScheme {
  readonly name: string
  scheme (settings: SchemeSettings): Record<string, unknown>
}

/** Everything a scheme says about itself. */
export interface SchemeDefinition {
  /** Its name in `auth`. */
  readonly name: string
  /** Where its credentials are read; a function when the settings decide (a token carried as a parameter). */
  readonly stage: SchemeStage | ((settings: SchemeSettings) => SchemeStage)
  /** The option it reads, part of the plugin's option schema (test/schemes-registry.test.ts checks it). */
  readonly option?: { readonly key: string, readonly schema: TSchema }
  /**
   * What it needs: `passwords` a password source (`getUserPass`, `store` or `password.check`),
   * `tokens` the token manager, `jwt` JWT tokens.
   */
  readonly needs?: { readonly passwords?: boolean, readonly tokens?: boolean, readonly jwt?: boolean }
  /** Routes only get it when they ask (`config.auth`), unless no other scheme is enabled. */
  readonly optIn?: boolean
  /** Builds the scheme once per registration. */
  readonly create: SchemeFactory
  /** Request parameters that carry its credentials: never "unexpected parameters". */
  credentialParams? (settings: SchemeSettings): string[]
  /** Its OpenAPI security scheme, when OpenAPI can describe it. */
  readonly openapi?: OpenApiScheme
}

/** The stage of a scheme under these settings. */
export function stageOf (def: SchemeDefinition, settings: SchemeSettings): SchemeStage {
  return typeof def.stage === 'function' ? def.stage(settings) : def.stage
}

/** Build the scheme `ctx.name` from its definition. */
export function buildScheme (def: SchemeDefinition, ctx: SchemeContext): AuthScheme {
  const behaviour = def.create(ctx)
  // one object shape for every scheme: the request loop over a route's schemes stays monomorphic
  return { name: ctx.name, stage: stageOf(def, ctx), challenge: behaviour.challenge, authenticate: behaviour.authenticate }
}
