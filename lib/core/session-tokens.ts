/**
 * `fastify.createToken`: a stateless token by default (what `fastify.createToken` always made),
 * or a session token with `session: true` (a new session recorded in the store, its id signed
 * into the token) or `session: '<id>'` (one more token of a live session of the same user, as the
 * cookie renewal does; the session's expiry follows its latest token, so its revocation outlives
 * every token that names it).
 */
import { FSA_ERR_OPT_INVALID, FSA_ERR_TOKEN_NO_SIGNER, FSA_ERR_TOKEN_REVOKED } from '../errors/catalogue.js'
import type { OpenedStore } from '../store/source.js'
import type { CreateTokenOptions, TokenManager } from '../tokens/manager.js'
import type { UserSecret } from '../passwords/credentials.js'
import type { MaybePromise } from './types.js'

/** Options of `fastify.createToken`. */
export interface AppTokenOptions extends Omit<CreateTokenOptions, 'session'> {
  /**
   * `true`: a new session in the store (needs the `store` option); a session id: another token of
   * that live session of the same user (401 when it is not live). @default false (stateless)
   */
  session?: boolean | string
  /** Recorded with a new session: client address and user agent (cut to 255 characters). */
  client?: { ip?: string | null, userAgent?: string | null }
}

/** What binds a new token to the account (token version, uniquifier); what the caller gives wins. */
export type TokenBinder = (login: string, opts: CreateTokenOptions) => Promise<CreateTokenOptions>

/** Build `fastify.createToken` over the token manager, the store (when there is one) and the binder. */
export function makeCreateToken (tokens: TokenManager | undefined, store: OpenedStore | undefined, bind: TokenBinder): (login: string, opts?: AppTokenOptions) => Promise<string> {
  return async (login, opts = {}) => {
    if (tokens === undefined) throw new FSA_ERR_TOKEN_NO_SIGNER('tokens are not enabled: add "token" to auth or set the token option')
    const { session, client, ...rest } = opts
    const o: CreateTokenOptions = await bind(login, rest)
    if (session === undefined || session === false) return tokens.create(login, o)
    const sessions = store?.store.sessions
    if (sessions === undefined) throw new FSA_ERR_OPT_INVALID('session', 'session tokens need the store option')
    // checked before anything is recorded: a bad delay must not leave a session behind
    tokens.create(login, o)
    const expiresAt = new Date(Date.now() + (o.delay ?? tokens.options.delay) * 60_000 + tokens.options.graceMs)
    if (session === true) {
      o.session = (await sessions.createSession({ login, expiresAt, ip: client?.ip, userAgent: client?.userAgent })).id
    } else {
      if (!(await sessions.extendSession(session, login, expiresAt))) throw new FSA_ERR_TOKEN_REVOKED()
      o.session = session
    }
    return tokens.create(login, o)
  }
}

/**
 * The options of a new token with what binds it to the account: with the store, the user's
 * token version and uniquifier; with `getUserPass` alone, the uniquifier it returns, if any.
 * What the caller gives wins.
 */
export async function bindToken (login: string, opts: CreateTokenOptions | undefined, store: OpenedStore | undefined, lookupUser: (login: string) => MaybePromise<UserSecret | undefined>): Promise<CreateTokenOptions> {
  const out: CreateTokenOptions = { ...opts }
  if (store !== undefined) {
    const binding = await store.tokenBinding(login)
    out.version ??= binding.version
    if (binding.uniquifier !== undefined) out.uniquifier ??= binding.uniquifier
  } else if (opts?.uniquifier === undefined) {
    const uniquifier = (await lookupUser(login))?.uniquifier
    if (uniquifier !== undefined) out.uniquifier = uniquifier
  }
  return out
}
