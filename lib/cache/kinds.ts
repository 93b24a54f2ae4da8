/** Cache kinds and per-kind counters, shared by every backend. */

/**
 * What an entry memoizes: `user` getUserPass, `group` userInGroup, `groupCheck` groupCheck,
 * `perm` object permissions, `token` token validation, `credentials` verified credentials (opt-in),
 * `session` whether a session (or a stateless token) is still live: local only, see memo.ts.
 * The name is also the kind's part of a Redis key (`fsa:user:<keyed hash of calvin>`, see seal.ts).
 */
export type CacheKind = 'user' | 'group' | 'groupCheck' | 'perm' | 'token' | 'credentials' | 'session'

/** Every kind, in a fixed order (stats, validation of pub/sub messages). */
export const CACHE_KINDS: readonly CacheKind[] = Object.freeze(['user', 'group', 'groupCheck', 'perm', 'token', 'credentials', 'session'])

/** Whether a string (from Redis) names a kind. */
export function isCacheKind (name: string): name is CacheKind {
  return (CACHE_KINDS as readonly string[]).includes(name)
}

/** One value per kind, built by `make`. */
export function perKind<T> (make: (kind: CacheKind) => T): Record<CacheKind, T> {
  const out = {} as Record<CacheKind, T>
  for (const k of CACHE_KINDS) out[k] = make(k)
  return out
}

/** `kind:key`, how an entry is named across kinds (login index, Redis); kinds hold no ':'. */
export const member = (kind: CacheKind, key: string): string => kind + ':' + key

/** The kind and key of a {@link member}, `undefined` when it names no kind. */
export function parseMember (m: string): { kind: CacheKind, key: string } | undefined {
  const colon = m.indexOf(':')
  const kind = m.slice(0, colon)
  return colon > 0 && isCacheKind(kind) ? { kind, key: m.slice(colon + 1) } : undefined
}

/** Zeroed per-kind counters. */
export function emptyByKind (): Record<CacheKind, { hits: number, misses: number }> {
  return perKind(() => ({ hits: 0, misses: 0 }))
}

/** A copy of per-kind counters, so that stats() snapshots do not move. */
export function copyByKind (b: Record<CacheKind, { hits: number, misses: number }>): Record<CacheKind, { hits: number, misses: number }> {
  return perKind((k) => ({ hits: b[k].hits, misses: b[k].misses }))
}
