/**
 * Schema Objects that the OpenAPI version of the document allows. TypeBox and Fastify speak JSON
 * Schema draft-07 in a few places (tuples as `items: [...]` with `additionalItems`, `dependencies`,
 * boolean `exclusiveMinimum`), which neither OpenAPI 3.0 nor 3.1 accepts; @fastify/swagger passes
 * them through. OpenAPI 3.1 Schema Objects are JSON Schema 2020-12: tuples become `prefixItems`
 * (exactly the same constraint). OpenAPI 3.0 has no tuples: they become `items: { anyOf }` with
 * the length bounds, the closest 3.0 can say. docs/reference/openapi.md explains the choice of 3.1.
 */

type Schema = Record<string, unknown>

/** Keywords holding one subschema. */
const ONE = ['additionalProperties', 'contains', 'not', 'if', 'then', 'else', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema']
/** Keywords holding a list of subschemas. */
const LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems']
/** Keywords holding subschemas by name. */
const NAMED = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value)

/** A draft-07 tuple (`items: [...]`, `additionalItems`) as `prefixItems` (3.1) or `items: { anyOf }` (3.0). */
function convertTuple (out: Schema, items: unknown[], is30: boolean): void {
  const additional = out.additionalItems
  delete out.additionalItems
  if (!is30) {
    out.prefixItems = items
    if (additional !== undefined) out.items = additional
    else delete out.items
    return
  }
  const members = additional === undefined || additional === false ? items : [...items, additional === true ? {} : additional]
  out.items = members.length === 1 ? members[0] : { anyOf: members }
  if (additional === false && out.maxItems === undefined) out.maxItems = items.length
}

/** Draft-07 `dependencies` as 2020-12 `dependentRequired` (lists) and `dependentSchemas` (schemas). */
function convertDependencies (out: Schema): void {
  const dependencies = out.dependencies as Record<string, unknown>
  delete out.dependencies
  for (const [name, value] of Object.entries(dependencies)) {
    const key = Array.isArray(value) ? 'dependentRequired' : 'dependentSchemas'
    out[key] = { ...(out[key] as Schema | undefined), [name]: value }
  }
}

/** Draft-04 boolean `exclusiveMinimum`/`exclusiveMaximum` as the numeric form of 3.1. */
function convertExclusive (out: Schema, bound: 'minimum' | 'maximum'): void {
  const key = bound === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum'
  if (typeof out[key] !== 'boolean') return
  if (out[key] === true && typeof out[bound] === 'number') out[key] = out[bound]
  else delete out[key]
  if (out[key] !== undefined) delete out[bound]
}

/**
 * A copy of `schema` in the dialect of OpenAPI `version` (`'3.1.0'`, `'3.0.3'`...), subschemas
 * included; data keywords (`enum`, `const`, `default`, `example(s)`) are left as they are.
 *
 * @example
 *   toOpenApiSchema({ type: 'array', items: [{ type: 'string' }], additionalItems: false }, '3.1.0')
 *   // { type: 'array', prefixItems: [{ type: 'string' }], items: false }
 */
export function toOpenApiSchema (schema: unknown, version: string): unknown {
  if (!isSchema(schema)) return schema
  const is30 = version.startsWith('3.0')
  const out: Schema = { ...schema }
  for (const key of ONE) if (isSchema(out[key])) out[key] = toOpenApiSchema(out[key], version)
  for (const key of LIST) if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map((s) => toOpenApiSchema(s, version))
  for (const key of NAMED) {
    if (!isSchema(out[key])) continue
    out[key] = Object.fromEntries(Object.entries(out[key] as Schema).map(([name, s]) => [name, toOpenApiSchema(s, version)]))
  }
  if (isSchema(out.additionalItems)) out.additionalItems = toOpenApiSchema(out.additionalItems, version)
  if (Array.isArray(out.items)) convertTuple(out, (out.items as unknown[]).map((s) => toOpenApiSchema(s, version)), is30)
  else {
    if (isSchema(out.items)) out.items = toOpenApiSchema(out.items, version)
    delete out.additionalItems // without a tuple it means nothing, and 2020-12 has no such keyword
  }
  if (!is30 && isSchema(out.dependencies)) convertDependencies(out)
  if (!is30) { convertExclusive(out, 'minimum'); convertExclusive(out, 'maximum') }
  return out
}

/** Every `schema` of a map of media types (`content`), converted. */
function convertContent (content: unknown, version: string): void {
  if (!isSchema(content)) return
  for (const media of Object.values(content)) if (isSchema(media) && media.schema !== undefined) media.schema = toOpenApiSchema(media.schema, version)
}

/** The parameters, request body and responses of one operation, converted in place. */
function convertOperation (operation: Schema, version: string): void {
  for (const parameter of (operation.parameters as Schema[] | undefined) ?? []) {
    if (parameter.schema !== undefined) parameter.schema = toOpenApiSchema(parameter.schema, version)
    convertContent(parameter.content, version)
  }
  if (isSchema(operation.requestBody)) convertContent(operation.requestBody.content, version)
  for (const response of Object.values((operation.responses as Schema | undefined) ?? {})) {
    if (!isSchema(response)) continue
    convertContent(response.content, version)
    for (const header of Object.values((response.headers as Schema | undefined) ?? {})) {
      if (isSchema(header) && header.schema !== undefined) header.schema = toOpenApiSchema(header.schema, version)
    }
  }
}

/**
 * Convert every Schema Object of a document built by @fastify/swagger (its own fresh copies: the
 * routes' schemas are never touched) to the dialect of the document's `openapi` version.
 *
 * @example
 *   await app.register(swagger, { transformObject: ({ openapiObject }) => convertDocumentSchemas(openapiObject) })
 */
export function convertDocumentSchemas<T> (doc: T): T {
  const document = doc as Schema
  const version = typeof document.openapi === 'string' ? document.openapi : '3.0.3'
  const components = document.components as Schema | undefined
  if (isSchema(components?.schemas)) {
    for (const [name, s] of Object.entries(components.schemas)) (components.schemas as Schema)[name] = toOpenApiSchema(s, version)
  }
  for (const item of Object.values((document.paths as Schema | undefined) ?? {})) {
    if (!isSchema(item)) continue
    for (const operation of Object.values(item)) if (isSchema(operation) && isSchema(operation.responses)) convertOperation(operation, version)
  }
  return doc
}
