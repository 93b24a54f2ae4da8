/** Cache kinds and per-kind counters, shared by every backend. */

/**
 * What an entry memoizes: `u` getUserPass, `g` userInGroup, `c` groupCheck, `p` object
 * permissions, `t` token validation, `v` verified credentials (opt-in).
 */
export type CacheKind = 'u' | 'g' | 'c' | 'p' | 't' | 'v'

/** Every kind, in a fixed order (stats, validation of pub/sub messages). */
export const CACHE_KINDS: readonly CacheKind[] = Object.freeze(['u', 'g', 'c', 'p', 't', 'v'])

/** Zeroed per-kind counters. */
export function emptyByKind (): Record<CacheKind, { hits: number, misses: number }> {
  const out = {} as Record<CacheKind, { hits: number, misses: number }>
  for (const k of CACHE_KINDS) out[k] = { hits: 0, misses: 0 }
  return out
}

/** A copy of per-kind counters, so that stats() snapshots do not move. */
export function copyByKind (b: Record<CacheKind, { hits: number, misses: number }>): Record<CacheKind, { hits: number, misses: number }> {
  const out = {} as Record<CacheKind, { hits: number, misses: number }>
  for (const k of CACHE_KINDS) out[k] = { hits: b[k].hits, misses: b[k].misses }
  return out
}
