/**
 * Checks an OpenAPI 3.1 document three ways: @seriousme/openapi-schema-validator,
 * @apidevtools/swagger-parser, and every Schema Object compiled by Ajv2020 in strict mode (3.1
 * Schema Objects are JSON Schema 2020-12: a draft-07 form such as a tuple's `additionalItems` is
 * an unknown keyword there, and `items: [...]` is not a schema).
 *
 * @example
 *   await assertValidOpenApi((await app.inject('/docs/json')).json())
 */
import assert from 'node:assert/strict'
import { Validator } from '@seriousme/openapi-schema-validator'
import SwaggerParser from '@apidevtools/swagger-parser'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'

type Bag = Record<string, unknown>
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020

const isBag = (v: unknown): v is Bag => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Every Schema Object of the operations and components, by a JSON-pointer-like label. */
export function documentSchemas (doc: Bag): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = []
  const content = (where: string, c: unknown): void => {
    if (isBag(c)) for (const [type, media] of Object.entries(c)) if (isBag(media) && media.schema !== undefined) out.push([`${where} ${type}`, media.schema])
  }
  for (const [name, s] of Object.entries((doc.components as Bag | undefined)?.schemas as Bag | undefined ?? {})) out.push([`components.schemas.${name}`, s])
  for (const [path, item] of Object.entries(doc.paths as Bag)) {
    for (const [method, op] of Object.entries(item as Bag)) {
      if (!isBag(op)) continue
      const at = `${method.toUpperCase()} ${path}`
      for (const p of (op.parameters as Bag[] | undefined) ?? []) out.push([`${at} ${String(p.in)} ${String(p.name)}`, p.schema])
      if (isBag(op.requestBody)) content(`${at} body`, op.requestBody.content)
      for (const [status, r] of Object.entries((op.responses as Bag | undefined) ?? {})) if (isBag(r)) content(`${at} ${status}`, r.content)
    }
  }
  return out
}

/** A strict Ajv2020 that knows OpenAPI 3.1's own keywords and formats. */
export function openApiAjv (): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, strictTypes: false, allowUnionTypes: true })
  addFormats(ajv)
  // OpenAPI's own annotations, and the plugin's JSON-parameter marker (lib/params/validator.ts)
  for (const keyword of ['example', 'discriminator', 'xml', 'externalDocs', 'x-fsa-json']) ajv.addKeyword(keyword)
  for (const format of ['password', 'binary', 'byte', 'int32', 'int64', 'float', 'double']) ajv.addFormat(format, true)
  return ajv
}

/** Compile one schema of `doc` with Ajv2020, its `#/components/schemas/` references resolved. */
export function compileWithAjv2020 (ajv: Ajv2020, doc: Bag, schema: unknown): void {
  const defs = (doc.components as Bag | undefined)?.schemas ?? {}
  const text = JSON.stringify({ ...(schema as Bag), $defs: defs }).replaceAll('"#/components/schemas/', '"#/$defs/')
  ajv.compile(JSON.parse(text) as Bag)
}

/** The document passes both validators and every schema compiles with Ajv2020. */
export async function assertValidOpenApi (doc: Bag): Promise<number> {
  assert.match(String(doc.openapi), /^3\.1\./)
  assert.deepEqual(await new Validator().validate(structuredClone(doc) as never), { valid: true })
  await SwaggerParser.validate(structuredClone(doc) as never)
  const ajv = openApiAjv()
  const schemas = documentSchemas(doc)
  for (const [where, schema] of schemas) {
    try {
      compileWithAjv2020(ajv, doc, schema)
    } catch (e) {
      assert.fail(`${where}: ${(e as Error).message}`)
    }
  }
  return schemas.length
}
