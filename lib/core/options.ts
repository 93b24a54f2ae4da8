/**
 * The option schema of the `secure` plugin and its resolution into defaults. Options are checked
 * once at registration: an unknown key or a bad value fails `ready()` with an `FSA_ERR_OPT_*` error
 * that names the key and what is allowed. The caller's object is never mutated.
 */
import { Type, type TSchema } from 'typebox'
import { Value } from 'typebox/value'
import { FSA_ERR_OPT_INVALID, FSA_ERR_OPT_UNKNOWN } from '../errors/catalogue.js'
import { PasswordOptionsSchema } from '../passwords/options.js'
import { TokenOptionsSchema } from '../tokens/options.js'
import { CacheOptionsSchema } from '../cache/options.js'
import { isErrorResponseString } from '../errors/format.js'
import type { SecureOptions } from './types.js'

const Fn = Type.Unsafe<(...args: any[]) => unknown>({ type: 'function' })
const StringOrList = Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }))])

/** The TypeBox schema of {@link SecureOptions}. */
export const SecureOptionsSchema = Type.Object({
  auth: Type.Optional(StringOrList),
  authDefault: Type.Optional(StringOrList),
  realm: Type.Optional(Type.String({ minLength: 1 })),
  param: Type.Optional(Type.Object({
    user: Type.Optional(Type.String({ minLength: 1 })),
    pass: Type.Optional(Type.String({ minLength: 1 }))
  }, { additionalProperties: false })),
  schemes: Type.Optional(Type.Record(Type.String(), Fn)),
  token: Type.Optional(TokenOptionsSchema),
  password: Type.Optional(PasswordOptionsSchema),
  getUserPass: Type.Optional(Fn),
  userInGroup: Type.Optional(Fn),
  groupCheck: Type.Optional(Type.Record(Type.String(), Fn)),
  objectPerms: Type.Optional(Type.Record(Type.String(), Fn)),
  groups: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  scopes: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  cache: Type.Optional(CacheOptionsSchema),
  errorResponse: Type.Optional(Type.Union([Type.String(), Fn])),
  handleErrors: Type.Optional(Type.Boolean()),
  addHeaders: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Fn]))),
  mode: Type.Optional(Type.Union([Type.Literal('prod'), Type.Literal('dev'), Type.Literal('debug')])),
  secure: Type.Optional(Type.Boolean()),
  rejectUnexpectedParam: Type.Optional(Type.Boolean()),
  strict: Type.Optional(Type.Boolean()),
  store: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Object({})]))
}, { additionalProperties: false })

/** Describe what a schema allows, for error messages (`one of "a", "b"`, `a boolean`...). */
export function describeSchema (schema: TSchema | undefined): string {
  if (schema === undefined) return 'nothing'
  const s = schema as Record<string, any>
  if (Array.isArray(s.anyOf)) return s.anyOf.map((x: TSchema) => describeSchema(x)).join(' or ')
  if ('const' in s) return JSON.stringify(s.const)
  if (s.type === 'object' && s.properties !== undefined) return `an object with keys ${Object.keys(s.properties).join(', ')}`
  if (s.type === 'object') return 'an object'
  if (s.type === 'array') return `a list of ${describeSchema(s.items)}`
  if (s.type === 'function') return 'a function'
  if (s.type === 'string') return s.minLength !== undefined ? 'a non-empty string' : 'a string'
  if (s.type === 'integer' || s.type === 'number') {
    const range = [
      s.minimum !== undefined ? `>= ${s.minimum}` : '', s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : '',
      s.maximum !== undefined ? `<= ${s.maximum}` : '', s.exclusiveMaximum !== undefined ? `< ${s.exclusiveMaximum}` : ''
    ].filter(Boolean).join(' and ')
    return `${s.type === 'integer' ? 'an integer' : 'a number'}${range ? ' ' + range : ''}`
  }
  return `a ${String(s.type)}`
}

function schemaAt (root: TSchema, path: string[]): TSchema | undefined {
  let s: any = root
  for (const key of path) {
    if (s === undefined) return undefined
    if (s.properties?.[key] !== undefined) s = s.properties[key]
    else if (s.patternProperties !== undefined) s = Object.values(s.patternProperties)[0]
    else if (s.items !== undefined && /^\d+$/.test(key)) s = s.items
    else if (Array.isArray(s.anyOf)) s = s.anyOf.find((x: any) => x.properties?.[key] !== undefined)?.properties[key]
    else return undefined
  }
  return s
}

/**
 * Check `options` against `schema` and throw the first problem as an `FSA_ERR_OPT_*` error naming
 * the dotted key (`token.carrier`) and what is allowed there. `prefix` names the enclosing key.
 */
export function checkOptions (schema: TSchema, options: unknown, prefix = ''): void {
  if (Value.Check(schema, options)) return
  const errors = [...Value.Errors(schema, options)]
  // Report unknown keys first: they are the most common mistake (a typo) and the clearest message.
  for (const e of errors) {
    if (e.keyword === 'additionalProperties') {
      const path = e.instancePath.split('/').filter(Boolean)
      const parent = schemaAt(schema, path) as any
      const allowed = Object.keys(parent?.properties ?? {}).join(', ')
      const extra = (e.params as { additionalProperties?: string[] }).additionalProperties ?? []
      const key = [prefix, ...path, extra[0]].filter(Boolean).join('.')
      throw new FSA_ERR_OPT_UNKNOWN(key, allowed)
    }
  }
  // Then the deepest value error, described with what the schema allows at that place.
  const first = errors.filter(e => e.keyword !== 'boolean').sort((a, b) => b.instancePath.length - a.instancePath.length)[0]
  const path = (first?.instancePath ?? '').split('/').filter(Boolean)
  const key = [prefix, ...path].filter(Boolean).join('.') || '(options)'
  throw new FSA_ERR_OPT_INVALID(key, `expected ${describeSchema(schemaAt(schema, path))}`)
}

/**
 * Validate the plugin options. Checks the schema, then the rules a schema cannot express
 * (`errorResponse` strings).
 */
export function validateOptions (options: SecureOptions): void {
  if (options === null || typeof options !== 'object') throw new FSA_ERR_OPT_INVALID('(options)', 'expected an object')
  checkOptions(SecureOptionsSchema, options)
  const er = options.errorResponse
  if (typeof er === 'string' && !isErrorResponseString(er)) {
    throw new FSA_ERR_OPT_INVALID('errorResponse', 'expected "plain", "json", "json:KEY" or a function')
  }
}
