/**
 * The liveness check of a token, after its signature, expiry and version: a session token's
 * session must be live in the store (not revoked, not expired, the token's user's), and a
 * stateless token must not be on the revocation list (by its SHA-256). The answer is memoized in
 * the cache kind `session`, which stays in the process (never on Redis) for a bounded time and is
 * dropped everywhere by `cache.delete('session', id)` on revocation: on a cached token the check
 * is one in-process lookup, synchronous. Activity is written back at minute resolution.
 */
import { createHash } from 'node:crypto'
import { FSA_ERR_TOKEN_REVOKED } from '../errors/catalogue.js'
import type { CacheLayer } from '../cache/layer.js'
import { keyOf } from '../store/records.js'
import type { SessionStore } from '../store/sessions.js'
import type { TokenInfo } from '../tokens/manager.js'
import type { MaybePromise } from './types.js'

/** What the `session` cache kind holds: whether the session or token is live, and its last recorded minute. */
export interface Liveness {
  ok: boolean
  /** Epoch minute of the last activity written to the store (sessions only). */
  minute: number
}

/** The key a stateless token is revoked under: SHA-256, hex. */
export function tokenHash (raw: string): string {
  return createHash('sha256').update(raw).digest('hex')
}

const minuteOf = (ms: number): number => Math.floor(ms / 60_000)

async function sessionLiveness (sessions: SessionStore, id: string, login: string): Promise<Liveness> {
  const s = await sessions.getSession(id)
  if (s === null) return { ok: false, minute: 0 }
  const ok = s.revokedAt === null && s.expiresAt.getTime() > Date.now() && keyOf(s.login) === keyOf(login)
  return { ok, minute: minuteOf(s.lastSeenAt.getTime()) }
}

async function tokenLiveness (sessions: SessionStore, raw: string): Promise<Liveness> {
  return { ok: !(await sessions.isTokenRevoked(tokenHash(raw))), minute: 0 }
}

/**
 * Build the liveness check over the store's sessions. It returns `info` or throws
 * FSA_ERR_TOKEN_REVOKED (401); synchronous when the answer is cached.
 */
export function makeLivenessCheck (cache: CacheLayer, sessions: SessionStore): (info: TokenInfo, raw: string) => MaybePromise<TokenInfo> {
  const judge = (info: TokenInfo, live: Liveness): TokenInfo => {
    if (!live.ok) throw new FSA_ERR_TOKEN_REVOKED()
    const session = info.session
    if (session !== undefined) {
      const minute = minuteOf(Date.now())
      if (minute > live.minute) {
        live.minute = minute
        // activity is informative: a failed write must not fail the request, the next minute retries
        sessions.touchSession(session, new Date(minute * 60_000)).catch(() => { live.minute = 0 })
      }
    }
    return info
  }
  return (info, raw) => {
    const session = info.session
    const live = session !== undefined
      ? cache.memo<Liveness>('session', session, info.login, () => sessionLiveness(sessions, session, info.login))
      : cache.memo<Liveness>('session', raw, info.login, () => tokenLiveness(sessions, raw))
    return live instanceof Promise ? live.then((l) => judge(info, l)) : judge(info, live)
  }
}
