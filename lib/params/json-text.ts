/**
 * Decoding JSON text carried in query strings and form values. Returns a result instead of
 * throwing, and refuses what could pollute prototypes once merged into other objects: a
 * `__proto__` key, or a `constructor` key holding a `prototype` (the rules of secure-json-parse,
 * which Fastify applies to JSON bodies).
 */

/** The outcome of {@link decodeJson}. */
export type JsonResult = { ok: true, value: unknown } | { ok: false, reason: string }

const INVALID: JsonResult = { ok: false, reason: 'invalid JSON' }
const FORBIDDEN: JsonResult = { ok: false, reason: 'forbidden "__proto__" or "constructor.prototype" key in JSON' }

function reviver (this: unknown, key: string, value: unknown): unknown {
  if (key === '__proto__') throw FORBIDDEN
  if (key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype')) throw FORBIDDEN
  return value
}

/**
 * Parse JSON text. The reviver (slow) only runs when the text mentions a dangerous key, so common
 * values cost one `JSON.parse` (text with `\u` escapes is checked too). Deeply nested text that
 * exhausts the stack is reported as invalid.
 *
 * @example
 *   decodeJson('{"a":1}')          // { ok: true, value: { a: 1 } }
 *   decodeJson('{"__proto__":{}}') // { ok: false, reason: 'forbidden ...' }
 */
export function decodeJson (text: string): JsonResult {
  try {
    // `\u` escapes could spell a dangerous key, so they take the slow path too
    const suspicious = text.includes('__proto__') || text.includes('constructor') || text.includes('\\u')
    return { ok: true, value: suspicious ? JSON.parse(text, reviver) : JSON.parse(text) }
  } catch (e) {
    return e === FORBIDDEN ? FORBIDDEN : INVALID
  }
}
