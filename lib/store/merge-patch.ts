/**
 * RFC 7396 JSON merge patch, safe against prototype pollution: keys `__proto__`, `constructor`
 * and `prototype` are dropped at every depth, and results are fresh plain objects built from
 * own keys only, so nothing a client sends can reach `Object.prototype`.
 */

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])

/** A JSON object (not null, not an array). */
export function isJsonObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A deep copy of a JSON value without the forbidden keys. */
export function sanitizeJson (v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sanitizeJson)
  if (!isJsonObject(v)) return v
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(v)) {
    if (!FORBIDDEN.has(key)) out[key] = sanitizeJson(v[key])
  }
  return out
}

/**
 * Apply `patch` to `target` (RFC 7396 section 2): objects merge recursively, `null` deletes a
 * key, anything else replaces. Neither argument is modified.
 *
 * @example
 *   mergePatch({ a: 1, b: { c: 2 } }, { b: { c: null, d: 3 } })   // { a: 1, b: { d: 3 } }
 */
export function mergePatch (target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return sanitizeJson(patch)
  const out = isJsonObject(target) ? sanitizeJson(target) as Record<string, unknown> : {}
  for (const key of Object.keys(patch)) {
    if (FORBIDDEN.has(key)) continue
    const value = patch[key]
    if (value === null) delete out[key]
    else out[key] = mergePatch(Object.hasOwn(out, key) ? out[key] : undefined, value)
  }
  return out
}
