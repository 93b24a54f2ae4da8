/**
 * The one option checker of the plugins (secure, users, docs): it walks an option schema (the
 * JSON Schema subset of lib/options/schema.ts) beside the value and turns the first problem into
 * the one error mapping of every plugin: `FSA_ERR_OPT_UNKNOWN` naming the dotted key of an
 * unknown option and the keys allowed there, or `FSA_ERR_OPT_INVALID` naming the dotted key of a
 * bad value and what is allowed there. Messages never show the value (it may be a secret).
 *
 * Why not TypeBox's `Value` or a compiled validator: they cost 200 ms or more of module loading at
 * start-up, and their errors still need mapping to words; this walk is what the options need,
 * measured in docs/architecture.md.
 */
import { FSA_ERR_OPT_INVALID, FSA_ERR_OPT_UNKNOWN } from '../errors/catalogue.js'
import { describeSchema, type SchemaNode } from './describe.js'
import type { Static, TSchema } from './schema.js'

/** One thing wrong with an options object. */
export type OptionProblem =
  | { kind: 'unknown', path: string[], allowed: string[] }
  | { kind: 'invalid', path: string[], schema: SchemaNode }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function typeMatches (type: string | undefined, v: unknown): boolean {
  switch (type) {
    case undefined: return true
    case 'object': return isObject(v)
    case 'array': return Array.isArray(v)
    case 'integer': return Number.isInteger(v)
    case 'number': return typeof v === 'number' && Number.isFinite(v)
    case 'null': return v === null
    default: return typeof v === type
  }
}

function compiles (source: string): boolean {
  try { new RegExp(source, 'u'); return true } catch { return false }
}

/** Whether a value of the right type meets the schema's own keywords (not those of its children). */
function scalarFits (s: SchemaNode, v: unknown): boolean {
  if ('const' in s && v !== s.const) return false
  if (s.instanceOf !== undefined && !(v instanceof (globalThis as unknown as Record<string, new () => unknown>)[s.instanceOf]!)) return false
  if (typeof v === 'string') {
    const length = [...v].length
    if ((s.minLength !== undefined && length < s.minLength) || (s.maxLength !== undefined && length > s.maxLength)) return false
    if (s.pattern !== undefined && !new RegExp(s.pattern).test(v)) return false
    if (s.format === 'regex' && !compiles(v)) return false
  }
  if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum) return false
    if (s.maximum !== undefined && v > s.maximum) return false
    if (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum) return false
    if (s.exclusiveMaximum !== undefined && v >= s.exclusiveMaximum) return false
  }
  return true
}

function visitObject (s: SchemaNode, v: Record<string, unknown>, path: string[], out: OptionProblem[]): void {
  const props = s.properties ?? {}
  if (s.additionalProperties === false) {
    for (const key of Object.keys(v)) {
      if (!Object.hasOwn(props, key)) out.push({ kind: 'unknown', path: [...path, key], allowed: Object.keys(props) })
    }
  }
  // a missing required member (the method of an instance) makes the whole value wrong
  if (s.required?.some((key) => v[key] === undefined) === true) out.push({ kind: 'invalid', path, schema: s })
  for (const [key, sub] of Object.entries(props)) {
    if (v[key] !== undefined) visit(sub, v[key], [...path, key], out)
  }
  const each = s.patternProperties !== undefined ? Object.values(s.patternProperties)[0] : undefined
  if (each !== undefined) for (const key of Object.keys(v)) visit(each, v[key], [...path, key], out)
}

/**
 * A value none of the alternatives accepts: when exactly one alternative is a list or an object
 * and the value is one too, the problems inside it are more telling (`auth.1`, an unknown key of
 * `store`) than the list of alternatives; otherwise the alternatives are named together.
 */
function visitAnyOf (s: SchemaNode, anyOf: SchemaNode[], v: unknown, path: string[], out: OptionProblem[]): void {
  const results = anyOf.map((alt) => { const found: OptionProblem[] = []; visit(alt, v, path, found); return found })
  if (results.some((r) => r.length === 0)) return
  const structural = isObject(v) || Array.isArray(v)
  const shaped = anyOf.flatMap((alt, i) => structural && (alt.type === 'object' || alt.type === 'array') && typeMatches(alt.type, v) ? [i] : [])
  const inside = shaped.length === 1 ? results[shaped[0] as number] : undefined
  if (inside !== undefined && inside.every((p) => p.path.length > path.length)) out.push(...inside)
  else out.push({ kind: 'invalid', path, schema: s })
}

function visit (s: SchemaNode, v: unknown, path: string[], out: OptionProblem[]): void {
  if (Array.isArray(s.anyOf)) return visitAnyOf(s, s.anyOf, v, path, out)
  if (!typeMatches(s.type, v) || !scalarFits(s, v)) {
    out.push({ kind: 'invalid', path, schema: s })
    return
  }
  if (Array.isArray(v) && s.items !== undefined) v.forEach((item, i) => visit(s.items as SchemaNode, item, [...path, String(i)], out))
  else if (isObject(v) && s.type === 'object') visitObject(s, v, path, out)
}

/** Every problem of `value` against `schema`, in the order of the schema. */
export function optionProblems (schema: TSchema, value: unknown): OptionProblem[] {
  const out: OptionProblem[] = []
  visit(schema as SchemaNode, value, [], out)
  return out
}

/**
 * The error of a problem: the key is `prefix` and the path, dotted (`token.cookie.sameSite`);
 * `(options)` for the options object itself.
 */
export function optionError (problem: OptionProblem, prefix = ''): Error {
  const key = [prefix, ...problem.path].filter((p) => p !== '').join('.') || '(options)'
  if (problem.kind === 'unknown') return new FSA_ERR_OPT_UNKNOWN(key, problem.allowed.join(', '))
  return new FSA_ERR_OPT_INVALID(key, `expected ${describeSchema(problem.schema)}`)
}

/**
 * Check `options` against `schema`; throw the first problem (an unknown key first: a typo is
 * the likeliest mistake and the clearest message). `prefix` names the enclosing option.
 *
 * @example
 *   checkOptions(CacheOptionsSchema, { ttl: 0 }, 'cache')
 *   // throws FSA_ERR_OPT_INVALID: invalid option "cache.ttl": expected a number > 0
 */
export function checkOptions<S extends TSchema> (schema: S, options: unknown, prefix = ''): asserts options is Static<S> {
  const problems = optionProblems(schema, options)
  const first = problems.find((p) => p.kind === 'unknown') ?? problems[0]
  if (first !== undefined) throw optionError(first, prefix)
}

export { describeSchema }
