/**
 * Options of the docs plugin (plugins/docs.ts): the schema checked at registration by the one
 * option checker (unknown keys are an error) and the type derived from it. @fastify/swagger and
 * @fastify/swagger-ui are optional peers: their options are typed here by what the plugin relies
 * on, so the public types do not need them installed.
 */
import type { RouteOptions } from 'fastify'
import { Type, type Static } from '../options/schema.js'
import { ErrorResponseSchema } from '../errors/format.js'

const Bag = Type.Record(Type.Unsafe<unknown>({}))

type Fields = Record<string, unknown>
/** What @fastify/swagger gives a `transform`. */
export interface TransformArgs { schema: Fields | undefined, url: string, route: RouteOptions, openapiObject?: Fields }
/** What a `transform` returns to @fastify/swagger. */
export interface TransformResult { schema?: Fields | undefined, url?: string }
/** A @fastify/swagger `transform` (the part of its signature the plugin relies on). */
export type Transform = (args: TransformArgs) => TransformResult

/** The schema of {@link DocsOptions}. */
export const DocsOptionsSchema = Type.Object({
  /** Where Swagger UI is served; the document is at `${routePrefix}/json`. @default '/docs' */
  routePrefix: Type.Optional(Type.String({ pattern: '^/', expected: 'a path such as "/docs"' })),
  /**
   * Top-level OpenAPI fields: `info`, `servers`, `tags`, `components`..., and `openapi` for the
   * version (`'3.0.3'` to get 3.0). @default { openapi: '3.1.0', info: { title: 'API', version: '1.0.0' } }
   */
  openapi: Type.Optional(Bag),
  /**
   * Security schemes of the document. @default those of the `secure` plugin, built with
   * `securitySchemes()` from `fastify.fsa` (schemes, token options, param names) when the
   * document is first built
   */
  securitySchemes: Type.Optional(Bag),
  /**
   * How error bodies are documented. @default the `secure` plugin's `errorResponse`
   * (`fastify.fsa.errorResponse`): what the application really sends
   */
  errorResponse: Type.Optional(ErrorResponseSchema),
  /**
   * Further @fastify/swagger options (its `FastifyDynamicSwaggerOptions`), passed as they are; a
   * `transform` runs before the plugin's own. @default {}
   */
  swagger: Type.Optional(Type.Unsafe<{ transform?: Transform, [option: string]: unknown }>({ type: 'object' })),
  /** Further @fastify/swagger-ui options (its `FastifySwaggerUiOptions`), passed as they are. @default {} */
  ui: Type.Optional(Type.Unsafe<Record<string, unknown>>({ type: 'object' }))
}, { additionalProperties: false })

/** Options of the docs plugin. */
export type DocsOptions = Static<typeof DocsOptionsSchema>
