/**
 * Application-wide set-up of the parameter layer, called once by the `secure` plugin (inside its
 * fastify-plugin wrapper, so it applies to the whole application).
 */
import type { FastifyInstance } from 'fastify'
import formbody from '@fastify/formbody'
import { schemaErrorFormatter } from './messages.js'
import type { ParamSettings } from './settings.js'
import { createValidatorCompiler } from './validator.js'

const FORM = 'application/x-www-form-urlencoded'

/**
 * Install form parsing (@fastify/formbody, unless a form parser is already registered), the
 * plugin's Ajv validator compiler (all errors, Fastify's coercions, ajv-formats, `JsonData`) and a
 * schema error formatter giving one line per problem (400, or 404 for path parameters).
 * Shared schemas (`fastify.addSchema`) are honoured, in encapsulated contexts too.
 *
 * @example
 *   await installParams(fastify, { rejectUnexpectedParam: true, authParams: ['USER', 'PASS'], sendError })
 */
export async function installParams (fastify: FastifyInstance, _settings: ParamSettings): Promise<void> {
  if (!fastify.hasContentTypeParser(FORM)) await fastify.register(formbody)
  // contexts that add shared schemas rebuild their compiler through this factory
  fastify.setSchemaController({
    compilersFactory: { buildValidator: ((external: Record<string, unknown>) => createValidatorCompiler(() => external)) as never }
  })
  // the current context: install directly, reading shared schemas at each compilation
  fastify.setValidatorCompiler(createValidatorCompiler(() => fastify.getSchemas() as Record<string, unknown>))
  fastify.setSchemaErrorFormatter(schemaErrorFormatter)
}
