/**
 * Options of the docs plugin (plugins/docs.ts): the schema checked at registration by the one
 * option checker (unknown keys are an error) and the type derived from it.
 */
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger'
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui'
import { Type, type Static } from '../options/schema.js'
import { ErrorResponseSchema } from '../errors/format.js'

const Bag = Type.Record(Type.Unsafe<unknown>({}))

/** The schema of {@link DocsOptions}. */
export const DocsOptionsSchema = Type.Object({
  /** Where Swagger UI is served; the document is at `${routePrefix}/json`. @default '/docs' */
  routePrefix: Type.Optional(Type.String({ pattern: '^/', expected: 'a path such as "/docs"' })),
  /** Top-level OpenAPI fields: `info`, `servers`, `tags`, `components`... @default { info: { title: 'API', version: '1.0.0' } } */
  openapi: Type.Optional(Bag),
  /**
   * Security schemes of the document. @default those of the `secure` plugin, built with
   * `securitySchemes()` from `fastify.fsa` (schemes, token options, param names) when the
   * document is first built
   */
  securitySchemes: Type.Optional(Bag),
  /** The application's `errorResponse`, to document the error bodies. @default unspecified bodies */
  errorResponse: Type.Optional(ErrorResponseSchema),
  /** Further @fastify/swagger options; a `transform` runs before the plugin's own. @default {} */
  swagger: Type.Optional(Type.Unsafe<Partial<FastifyDynamicSwaggerOptions>>({ type: 'object' })),
  /** Further @fastify/swagger-ui options. @default {} */
  ui: Type.Optional(Type.Unsafe<Partial<FastifySwaggerUiOptions>>({ type: 'object' }))
}, { additionalProperties: false })

/** Options of the docs plugin. */
export type DocsOptions = Static<typeof DocsOptionsSchema>
