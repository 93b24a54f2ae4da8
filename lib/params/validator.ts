/**
 * The plugin's Ajv validator compiler, given to the routes the plugin compiles (never installed
 * app-wide). Fastify's default stops at the first error (`allErrors: false`); FlaskSimpleAuth
 * users expect every problem of a request in one 400, so the plugin compiles with Fastify's own
 * options (`coerceTypes: 'array'`, `useDefaults`, `removeAdditional`), then the application's
 * `ajv.customOptions`, then what the parameter rules need (`allErrors`, array coercion); the
 * application's `ajv.plugins` and `ajv.onCreate` are applied as Fastify applies them, plus
 * ajv-formats (unless a plugin already is) and the `x-fsa-json` keyword.
 *
 * Every compiled validator is wrapped so that a validator which throws (a recursive schema fed a
 * hostile, deeply nested value overflows the stack) reports a validation error instead: Fastify
 * would otherwise answer 500.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify'
import { JSON_KEYWORD } from './json-data.js'
import { nullFirst } from './null-first.js'
import { FILE_KEYWORD, fileKeyword } from './uploads.js'
import { DEFAULT_APP_AJV, PARAM_NEEDS, type AppAjvSettings } from './app-ajv.js'

// ajv-formats is CommonJS (module.exports is the plugin), typed as an ES module under NodeNext
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

/** Fastify's default Ajv options (@fastify/ajv-compiler), the starting point. */
export const FASTIFY_AJV_DEFAULTS = Object.freeze({
  coerceTypes: 'array' as const,
  useDefaults: true,
  removeAdditional: true,
  addUsedSchema: false,
  allErrors: false
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

/**
 * A fresh Ajv instance: Fastify's defaults, the application's options and plugins, the parameter
 * rules' needs, ajv-formats and the `x-fsa-json` keyword.
 */
export function createAjv (app: AppAjvSettings = DEFAULT_APP_AJV): Ajv {
  const ajv = new Ajv({ ...FASTIFY_AJV_DEFAULTS, ...app.customOptions, ...PARAM_NEEDS })
  // as @fastify/ajv-compiler does: the application's own ajv-formats (with its options) replaces the default one
  let formats = true
  for (const plugin of app.plugins) {
    const [fn, opts] = Array.isArray(plugin) ? plugin : [plugin, undefined]
    if (fn.name === 'formatsPlugin') formats = false
    if (Array.isArray(plugin)) fn(ajv as never, opts)
    else fn(ajv as never)
  }
  if (formats) addFormats(ajv)
  app.onCreate?.(ajv as never)
  if (ajv.getKeyword(JSON_KEYWORD) === false) ajv.addKeyword({ keyword: JSON_KEYWORD, schemaType: 'boolean' })
  if (ajv.getKeyword(FILE_KEYWORD) === false) ajv.addKeyword(fileKeyword() as never)
  return ajv
}

/**
 * A Fastify validator compiler over one Ajv instance. `schemas` gives the shared schemas
 * (`fastify.addSchema`); it is read at each compilation so schemas added after registration are
 * found too.
 *
 * @example
 *   route.validatorCompiler = createValidatorCompiler(() => instance.getSchemas(), readAppAjv(instance))
 */
export function createValidatorCompiler (schemas: () => Record<string, unknown>, app: AppAjvSettings = DEFAULT_APP_AJV): FastifySchemaCompiler<unknown> {
  const ajv = createAjv(app)
  const added = new Set<string>()
  return ({ schema }) => {
    for (const [id, shared] of Object.entries(schemas())) {
      if (added.has(id) || ajv.getSchema(id) !== undefined) continue
      ajv.addSchema(nullFirst(shared) as object)
      added.add(id)
    }
    const id = (schema as { $id?: unknown }).$id
    const stored = typeof id === 'string' ? ajv.getSchema(id) : undefined
    return neverThrow(stored ?? ajv.compile(nullFirst(schema) as object)) as never
  }
}

/**
 * One validator compiler per set of shared schemas, built on first use (Fastify compiles route
 * schemas when the application becomes ready, once every `addSchema` has run). Encapsulated
 * contexts that add no schema of their own share their parent's Ajv.
 *
 * @example
 *   const compilers = validatorCompilers(readAppAjv(fastify))
 *   fastify.addHook('onRoute', function (route) { route.validatorCompiler = compilers(this) })
 */
export function validatorCompilers (app: AppAjvSettings): (instance: FastifyInstance) => FastifySchemaCompiler<unknown> {
  const byInstance = new WeakMap<FastifyInstance, FastifySchemaCompiler<unknown>>()
  const bySchemas = new Map<string, FastifySchemaCompiler<unknown>>()
  const compilerOf = (instance: FastifyInstance): FastifySchemaCompiler<unknown> => {
    let compiler = byInstance.get(instance)
    if (compiler !== undefined) return compiler
    const schemas = instance.getSchemas() as Record<string, unknown>
    const key = JSON.stringify(schemas)
    compiler = bySchemas.get(key)
    if (compiler === undefined) bySchemas.set(key, compiler = createValidatorCompiler(() => instance.getSchemas() as Record<string, unknown>, app))
    byInstance.set(instance, compiler)
    return compiler
  }
  return (instance) => (route) => compilerOf(instance)(route)
}
