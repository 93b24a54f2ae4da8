/**
 * What the parameter hook needs to know about a part schema (`querystring`, `body`), computed once
 * per route: which names it declares, whether it accepts other names, and how each field is
 * decoded when it arrives as text (query string, form body).
 */
import { JSON_KEYWORD } from './json-data.js'

/** How a text value is turned into the value the schema validates. */
export type FieldKind = 'plain' | 'array' | 'object' | 'json' | 'boolean'

/** Decoding plan of one field. */
export interface FieldPlan {
  /**
   * `plain`: left to Ajv coercion; `object`/`json`: JSON text; `array`: a list (JSON text or
   * repeated keys); `boolean`: one of the usual spellings (`yes`, `off`...).
   */
  kind: FieldKind
  /** Decoding of each list item (array fields only). */
  item: FieldKind
  /** The schema also admits a string, so undecodable text is kept as is rather than reported. */
  string: boolean
}

/** Decoding plan of a whole part. */
export interface PartPlan {
  /** Declared fields by name (a Map: no prototype keys can match). */
  fields: Map<string, FieldPlan>
  /** Names outside `fields` are accepted (`additionalProperties`, `patternProperties`, `$ref`...). */
  open: boolean
}

type Schema = Record<string, unknown>

const isSchema = (s: unknown): s is Schema => s !== null && typeof s === 'object' && !Array.isArray(s)
const COMPOSITES = ['anyOf', 'oneOf', 'allOf'] as const

/** JSON types a schema admits (`undefined` when anything goes, e.g. `{}` or a `$ref`). */
function typesOf (schema: Schema, depth = 0): Set<string> | undefined {
  if (depth > 16 || schema.$ref !== undefined) return undefined
  const types = new Set<string>()
  let constrained = false
  if (typeof schema.type === 'string') { types.add(schema.type); constrained = true }
  if (Array.isArray(schema.type)) { for (const t of schema.type) types.add(String(t)); constrained = true }
  for (const key of COMPOSITES) {
    const members = schema[key]
    if (!Array.isArray(members)) continue
    for (const m of members) {
      if (!isSchema(m)) continue
      const sub = typesOf(m, depth + 1)
      if (sub === undefined) return undefined
      for (const t of sub) types.add(t)
      constrained = true
    }
  }
  return constrained ? types : undefined
}

function itemsOf (schema: Schema): Schema | undefined {
  if (isSchema(schema.items)) return schema.items
  for (const key of COMPOSITES) {
    const members = schema[key]
    if (!Array.isArray(members)) continue
    for (const m of members) if (isSchema(m) && isSchema(m.items)) return m.items
  }
  return undefined
}

function kindOf (schema: Schema): FieldKind {
  if (schema[JSON_KEYWORD] === true) return 'json'
  const types = typesOf(schema)
  if (types === undefined) return 'plain'
  if (types.has('array')) return 'array'
  if (types.has('object')) return 'object'
  // a boolean and nothing else: any other admitted type would make the spellings ambiguous
  if (types.size === 1 && types.has('boolean')) return 'boolean'
  return 'plain'
}

/** The decoding plan of one field schema. */
export function planField (schema: unknown): FieldPlan {
  if (!isSchema(schema)) return { kind: 'plain', item: 'plain', string: true }
  const kind = kindOf(schema)
  const types = typesOf(schema)
  const items = itemsOf(schema)
  const item = kind === 'array' && items !== undefined ? kindOf(items) : 'plain'
  const string = kind === 'array'
    ? items === undefined || (typesOf(items)?.has('string') ?? true)
    : types === undefined || types.has('string')
  return { kind, item: item === 'array' ? 'json' : item, string }
}

function collect (schema: Schema, plan: PartPlan, depth: number): void {
  if (depth > 16) { plan.open = true; return }
  if (schema.$ref !== undefined || schema.patternProperties !== undefined) plan.open = true
  const extra = schema.additionalProperties
  if (extra !== undefined && extra !== false) plan.open = true
  const props = schema.properties
  let declared = isSchema(props)
  if (isSchema(props)) {
    for (const name of Object.keys(props)) {
      if (!plan.fields.has(name)) plan.fields.set(name, planField(props[name]))
    }
  }
  for (const key of COMPOSITES) {
    const members = schema[key]
    if (!Array.isArray(members)) continue
    for (const m of members) if (isSchema(m)) { collect(m, plan, depth + 1); declared = true }
  }
  // an object schema without properties (Type.Any, Type.Record...) says nothing about names
  if (!declared) plan.open = true
}

/**
 * The plan of a part schema, `undefined` when the route declares none.
 *
 * @example
 *   planPart(Type.Object({ n: Type.Integer(), who: Type.Object({ name: Type.String() }) }))
 *   // { fields: Map { n → plain, who → object }, open: false }
 */
export function planPart (schema: unknown): PartPlan | undefined {
  if (schema === undefined || schema === null) return undefined
  const plan: PartPlan = { fields: new Map(), open: false }
  if (!isSchema(schema)) { plan.open = true; return plan }
  collect(schema, plan, 0)
  return plan
}
