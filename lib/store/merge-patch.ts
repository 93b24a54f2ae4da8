/**
 * Custom data: RFC 7396 JSON merge patch, a depth limit, and serialization under a size cap.
 *
 * - Safe against prototype pollution: keys `__proto__`, `constructor` and `prototype` are dropped
 *   at every depth, and results are fresh plain objects built from own keys only.
 * - Safe against deep nesting: documents deeper than {@link MAX_DATA_DEPTH} are refused (400)
 *   before anything else walks them, and every walk here is iterative (an explicit stack), so
 *   no input can overflow the call stack (`{"a":` × 5000 used to be a 500).
 */
import { FSA_ERR_STORE_INVALID, FSA_ERR_STORE_TOO_LARGE } from '../errors/catalogue.js'

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])

/** Deepest custom data accepted: objects and arrays nested at most this many levels. */
export const MAX_DATA_DEPTH = 32

type Container = Record<string, unknown> | unknown[]

/** A JSON object (not null, not an array). */
export function isJsonObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null

/**
 * Throw FSA_ERR_STORE_INVALID (400) when `v` nests objects or arrays deeper than `max` levels
 * (`{}` is 1, `{"a":{}}` is 2). Iterative: any depth is measured without recursion.
 */
export function checkDepth (v: unknown, max = MAX_DATA_DEPTH): void {
  const stack: Array<[unknown, number]> = [[v, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number]
    if (!isContainer(node)) continue
    if (depth > max) throw new FSA_ERR_STORE_INVALID(`custom data is nested deeper than ${max} levels`)
    for (const child of Object.values(node)) if (isContainer(child)) stack.push([child, depth + 1])
  }
}

/** A deep copy of a JSON value without the forbidden keys (iterative). */
export function sanitizeJson (v: unknown): unknown {
  if (!isContainer(v)) return v
  const stack: Array<[Container, Container]> = []
  const copy = (x: unknown): unknown => {
    if (!isContainer(x)) return x
    const fresh: Container = Array.isArray(x) ? new Array(x.length) : {}
    stack.push([x, fresh])
    return fresh
  }
  const root = copy(v)
  while (stack.length > 0) {
    const [src, dst] = stack.pop() as [Container, Container]
    if (Array.isArray(src)) {
      for (let i = 0; i < src.length; i++) (dst as unknown[])[i] = copy(src[i])
      continue
    }
    for (const key of Object.keys(src)) {
      if (!FORBIDDEN.has(key)) (dst as Record<string, unknown>)[key] = copy(src[key])
    }
  }
  return root
}

/**
 * Apply `patch` to `target` (RFC 7396 section 2): objects merge, `null` deletes a key, anything
 * else replaces. Neither argument is modified. Iterative: the result is a sanitized copy of the
 * target, patched in place level by level from an explicit stack.
 *
 * @example
 *   mergePatch({ a: 1, b: { c: 2 } }, { b: { c: null, d: 3 } })   // { a: 1, b: { d: 3 } }
 */
export function mergePatch (target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return sanitizeJson(patch)
  const root = (isJsonObject(target) ? sanitizeJson(target) : {}) as Record<string, unknown>
  const stack: Array<[Record<string, unknown>, Record<string, unknown>]> = [[root, patch]]
  while (stack.length > 0) {
    const [out, level] = stack.pop() as [Record<string, unknown>, Record<string, unknown>]
    for (const key of Object.keys(level)) {
      if (FORBIDDEN.has(key)) continue
      const value = level[key]
      if (value === null) {
        delete out[key]
      } else if (isJsonObject(value)) {
        // `out` and everything under it is our own fresh copy: patching it in place is safe
        const current = Object.hasOwn(out, key) ? out[key] : undefined
        const next = isJsonObject(current) ? current : {}
        out[key] = next
        stack.push([next, value])
      } else {
        out[key] = sanitizeJson(value)
      }
    }
  }
  return root
}

/** Serialize custom data, refusing non-objects and too deep documents (400) and more than `maxBytes` of UTF-8 (413). */
export function encodeData (data: unknown, maxBytes: number): string {
  if (!isJsonObject(data)) throw new FSA_ERR_STORE_INVALID('custom data must be a JSON object')
  checkDepth(data)
  const text = JSON.stringify(sanitizeJson(data))
  const size = Buffer.byteLength(text)
  if (size > maxBytes) throw new FSA_ERR_STORE_TOO_LARGE(size, maxBytes)
  return text
}
