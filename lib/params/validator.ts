/**
 * The plugin's Ajv validator compiler. Fastify's default stops at the first error
 * (`allErrors: false`); FlaskSimpleAuth users expect every problem of a request in one 400, so the
 * plugin compiles with `allErrors` and otherwise Fastify's own options (`coerceTypes: 'array'`,
 * `useDefaults`, `removeAdditional`), plus ajv-formats and the `x-fsa-json` keyword.
 *
 * Every compiled validator is wrapped so that a validator which throws (a recursive schema fed a
 * hostile, deeply nested value overflows the stack) reports a validation error instead: Fastify
 * would otherwise answer 500.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'
import { JSON_KEYWORD } from './json-data.js'

// ajv-formats is CommonJS (module.exports is the plugin), typed as an ES module under NodeNext
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

/** The Ajv options the plugin validates with: Fastify's defaults plus `allErrors`. */
export const AJV_OPTIONS = Object.freeze({
  coerceTypes: 'array' as const,
  useDefaults: true,
  removeAdditional: true,
  addUsedSchema: false,
  allErrors: true
})

const THROWN: ErrorObject = {
  keyword: 'fsa',
  instancePath: '',
  schemaPath: '#',
  params: {},
  message: 'cannot be validated (too large or too deeply nested)'
}

type Validator = ((data: unknown, ctx?: unknown) => boolean) & { errors?: ErrorObject[] | null, schemaEnv?: unknown }

/** Wrap an Ajv validator so that it never throws. Fastify reads `errors` and `schemaEnv` from it. */
export function neverThrow (validate: ValidateFunction): Validator {
  const wrapped: Validator = (data, ctx) => {
    try {
      const ok = validate(data, ctx as never) as boolean
      wrapped.errors = validate.errors ?? null
      return ok
    } catch {
      wrapped.errors = [THROWN]
      return false
    }
  }
  wrapped.errors = null
  // with schemaEnv Fastify passes the request as parent, so coercion can replace a root value
  wrapped.schemaEnv = validate.schemaEnv
  return wrapped
}

/** A fresh Ajv instance with the plugin's options, formats and keywords. */
export function createAjv (): Ajv {
  const ajv = new Ajv({ ...AJV_OPTIONS })
  addFormats(ajv)
  ajv.addKeyword({ keyword: JSON_KEYWORD, schemaType: 'boolean' })
  return ajv
}

/**
 * A Fastify validator compiler over one Ajv instance. `schemas` gives the shared schemas
 * (`fastify.addSchema`); it is read at each compilation so schemas added after registration are
 * found too.
 *
 * @example
 *   fastify.setValidatorCompiler(createValidatorCompiler(() => fastify.getSchemas()))
 */
export function createValidatorCompiler (schemas: () => Record<string, unknown>): FastifySchemaCompiler<unknown> {
  const ajv = createAjv()
  const added = new Set<string>()
  return ({ schema }) => {
    for (const [id, shared] of Object.entries(schemas())) {
      if (added.has(id) || ajv.getSchema(id) !== undefined) continue
      ajv.addSchema(shared as object)
      added.add(id)
    }
    const id = (schema as { $id?: unknown }).$id
    const stored = typeof id === 'string' ? ajv.getSchema(id) : undefined
    return neverThrow(stored ?? ajv.compile(schema as object)) as never
  }
}
