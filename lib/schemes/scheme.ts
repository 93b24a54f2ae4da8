/**
 * The contract every authentication scheme follows (one file per scheme in lib/schemes/, all
 * built by a factory of the same signature): return the login, `null` for "no credentials of
 * mine, try the next scheme", or throw a 401 error for credentials that are present but bad.
 */
import type { FastifyRequest } from 'fastify'
import type { MaybePromise, CustomSchemeFn } from '../core/types.js'
import type { TokenInfo, TokenManager } from '../tokens/manager.js'
import type { ResolvedTokenOptions } from '../tokens/options.js'

/** What a scheme factory receives: the resolved settings and the shared services. */
export interface SchemeContext {
  /** Name under which the scheme is enabled (custom schemes use theirs). */
  name: string
  /** Parameter names of the `param` scheme. */
  param: { user: string, pass: string }
  /** Check a login and password: the (canonical) login, or a 401 thrown or rejected. */
  checkCredentials: (login: string, password: string) => MaybePromise<string>
  /** Validate a token (cached); throws 401 errors. Present when tokens are enabled. */
  checkToken?: (token: string, realm: string) => MaybePromise<TokenInfo>
  /** Token settings (carrier and name). Present when tokens are enabled. */
  token?: ResolvedTokenOptions
  /** Token manager (creation and verification). Present when tokens are enabled. */
  tokens?: TokenManager
  /** The function of a custom scheme. */
  custom?: CustomSchemeFn
}

/** An authentication scheme, created once at registration. */
export interface AuthScheme {
  readonly name: string
  /**
   * `request`: credentials are in headers, cookies or the query string, checked in `onRequest`
   * before the body is read. `body`: credentials may be in the parsed body, checked in `preValidation`.
   */
  readonly stage: 'request' | 'body'
  /** The `WWW-Authenticate` challenge of this scheme for a realm, if it has one. */
  challenge (realm: string): string | undefined
  /** The login, `null` when the request carries no credentials of this scheme, or a thrown 401. */
  authenticate (request: FastifyRequest, realm: string): MaybePromise<string | null>
}

/** The one factory signature of all schemes. */
export type SchemeFactory = (ctx: SchemeContext) => AuthScheme
