/**
 * Text values (query string, form body) turned into what the schema validates: JSON text for
 * object and `JsonData` fields, lists for array fields (JSON text, repeated keys or a single
 * value), booleans from their usual spellings. Other scalars are left to Ajv's coercion. Returns a result, never throws.
 */
import type { FieldKind, FieldPlan } from './field-plan.js'
import { decodeJson, type JsonResult } from './json-text.js'

// the usual spellings, case-insensitive; anything else is refused rather than guessed
const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ['true', true], ['1', true], ['t', true], ['yes', true], ['on', true],
  ['false', false], ['0', false], ['f', false], ['no', false], ['off', false]
])

function decodeBoolean (text: string): JsonResult {
  const value = BOOLEANS.get(text.toLowerCase())
  return value === undefined ? { ok: false, reason: 'must be boolean (true/false, 1/0, t/f, yes/no, on/off)' } : { ok: true, value }
}

function decodeOne (value: unknown, kind: FieldKind, keepString: boolean): JsonResult {
  if (typeof value !== 'string' || kind === 'plain') return { ok: true, value }
  if (kind === 'boolean') return decodeBoolean(value)
  const result = decodeJson(value)
  if (!result.ok && keepString && kind !== 'json' && result.reason === 'invalid JSON') return { ok: true, value }
  return result
}

/**
 * Decode one text parameter. A repeated key (`?a=1&a=2`) arrives as a list; only list fields
 * accept that.
 *
 * @example
 *   decodeText('{"name":"Hobbes"}', { kind: 'object', item: 'plain', string: false })
 *   // { ok: true, value: { name: 'Hobbes' } }
 *   decodeText(['1', '2'], { kind: 'array', item: 'plain', string: false })   // { ok: true, value: ['1', '2'] }
 */
export function decodeText (value: unknown, plan: FieldPlan): JsonResult {
  if (plan.kind === 'plain') return { ok: true, value }
  if (plan.kind !== 'array') {
    if (Array.isArray(value)) return { ok: false, reason: `given ${value.length} times` }
    return decodeOne(value, plan.kind, plan.string)
  }
  if (Array.isArray(value)) {
    const items: unknown[] = []
    for (const v of value) {
      const r = decodeOne(v, plan.item, plan.string)
      if (!r.ok) return r
      items.push(r.value)
    }
    return { ok: true, value: items }
  }
  if (typeof value === 'string' && value.trimStart().startsWith('[')) {
    const r = decodeJson(value)
    if (r.ok && Array.isArray(r.value)) return r
    if (!r.ok && !(plan.string && plan.item === 'plain' && r.reason === 'invalid JSON')) return r
  }
  // a single value is a list of one
  const one = decodeOne(value, plan.item, plan.string)
  return one.ok ? { ok: true, value: [one.value] } : one
}
