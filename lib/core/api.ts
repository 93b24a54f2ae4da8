/**
 * `fastify.fsa`: the plugin's runtime API (audit, caches, error sending) for applications and
 * for the companion plugins (users, docs).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { CacheStats } from '../cache/layer.js'
import type { PasswordManager } from '../passwords/manager.js'
import type { RouteSecurityInfo } from './route-info.js'
import type { TokenManager } from '../tokens/manager.js'
import type { UserStore } from '../store/store.js'
import type { ErrorResponseOption } from '../errors/format.js'
import type { Throttle } from '../throttle/throttle.js'

export interface FsaApi {
  /** The audit: every route with its declaration, schemes, groups and permissions. */
  routes (): RouteSecurityInfo[]
  /** Enabled schemes, in order. */
  readonly schemes: readonly string[]
  /** The application realm. */
  readonly realm: string
  /** Parameter names of the `param` scheme. */
  readonly param: { user: string, pass: string }
  /** Drop every cached callback result and token validation (everywhere, with Redis). */
  clearCaches (): Promise<void>
  /** Drop every cached entry of one user (everywhere, with Redis). */
  uncacheUser (login: string): Promise<void>
  /**
   * Drop the cached liveness of a session id, or of a stateless token, everywhere (with Redis):
   * call it after revoking either in the store (`store.sessions`), so instances ask the store again.
   */
  uncacheSession (idOrToken: string): Promise<void>
  /** Cache counters. */
  cacheStats (): CacheStats
  /** Send an error in the configured `errorResponse` format. */
  sendError (reply: FastifyReply, status: number, message: string, headers?: Record<string, string>): FastifyReply
  /** The plugin's error handler, to call from an application's own `setErrorHandler`. */
  handleError (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply
  /** Password hashing and verification with the configured parameters. */
  readonly passwords: PasswordManager
  /** Token creation and verification, when tokens are enabled. */
  readonly tokens: TokenManager | undefined
  /** The built-in user store, when the `store` option is set. */
  readonly store: UserStore | undefined
  /** The format of error bodies (the `errorResponse` option, `'plain'` by default), for the docs plugin. */
  readonly errorResponse: ErrorResponseOption
  /** Whether unexpected parameters are a 400 (the `rejectUnexpectedParam` option), for the docs plugin. */
  readonly rejectUnexpectedParam: boolean
  /** Throttling of failed password checks and account mails (docs/reference/throttling.md), when on. */
  readonly throttle: Throttle | undefined
}
