/**
 * What a schema allows, in words, for the error messages of the option checker
 * (`expected a non-empty string or a list of non-empty strings`). A schema's own `expected`
 * wins over the description built from its keywords.
 */

/** The JSON Schema subset of the option schemas (see lib/options/schema.ts). */
export interface SchemaNode {
  type?: string
  const?: unknown
  anyOf?: SchemaNode[]
  properties?: Record<string, SchemaNode>
  patternProperties?: Record<string, SchemaNode>
  required?: string[]
  additionalProperties?: boolean
  items?: SchemaNode
  minLength?: number
  maxLength?: number
  pattern?: string
  format?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  instanceOf?: string
  expected?: string
}

function range (s: SchemaNode): string {
  const parts = [
    s.minimum !== undefined ? `>= ${s.minimum}` : '',
    s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : '',
    s.maximum !== undefined ? `<= ${s.maximum}` : '',
    s.exclusiveMaximum !== undefined ? `< ${s.exclusiveMaximum}` : ''
  ].filter(Boolean)
  return parts.length > 0 ? ' ' + parts.join(' and ') : ''
}

function describeString (s: SchemaNode, plural: boolean): string {
  if (s.format === 'regex') return plural ? 'valid regular expressions' : 'a valid regular expression'
  const noun = plural ? 'strings' : 'a string'
  if (s.pattern !== undefined) return `${noun} matching /${s.pattern}/`
  if (s.maxLength !== undefined) return `${noun} of ${s.minLength ?? 0} to ${s.maxLength} characters`
  if (s.minLength !== undefined && s.minLength > 0) return plural ? 'non-empty strings' : 'a non-empty string'
  return noun
}

function describeObject (s: SchemaNode, plural: boolean): string {
  if (s.instanceOf !== undefined) return plural ? `${s.instanceOf} objects` : `a ${s.instanceOf}`
  const noun = plural ? 'objects' : 'an object'
  const keys = Object.keys(s.properties ?? {})
  return keys.length > 0 ? `${noun} with keys ${keys.join(', ')}` : noun
}

const ARTICLE: Record<string, [string, string]> = {
  boolean: ['a boolean', 'booleans'],
  function: ['a function', 'functions'],
  integer: ['an integer', 'integers'],
  number: ['a number', 'numbers']
}

/**
 * Describe what `schema` allows: `a boolean`, `an integer >= 1 and <= 9`, `"prod" or "dev"`,
 * `a list of non-empty strings`... (`plural` for the items of a list).
 *
 * @example
 *   describeSchema({ anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 } }] })
 *   // 'a non-empty string or a list of non-empty strings'
 */
export function describeSchema (schema: SchemaNode | undefined, plural = false): string {
  if (schema === undefined) return 'nothing'
  if (schema.expected !== undefined) return schema.expected
  if (Array.isArray(schema.anyOf)) return schema.anyOf.map((s) => describeSchema(s, plural)).join(' or ')
  if ('const' in schema) return JSON.stringify(schema.const)
  switch (schema.type) {
    case undefined: return 'anything'
    case 'string': return describeString(schema, plural)
    case 'object': return describeObject(schema, plural)
    case 'array': return `${plural ? 'lists' : 'a list'} of ${describeSchema(schema.items, true)}`
  }
  const words = ARTICLE[schema.type]
  if (words === undefined) return plural ? `${schema.type} values` : `a ${schema.type}`
  return words[plural ? 1 : 0] + (schema.type === 'integer' || schema.type === 'number' ? range(schema) : '')
}
