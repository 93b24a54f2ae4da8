/**
 * OpenAPI for secured routes. @fastify/swagger documents the route schemas; this module adds what
 * only the plugin knows: `components.securitySchemes` from the configured schemes, each
 * operation's `security` from its `authorize` declaration, an `x-fsa-authorize` extension showing
 * that declaration, and the 400/401/403/404 responses the plugin can send on that route.
 */
import type { RouteOptions } from 'fastify'
import type { ErrorResponseOption } from '../errors/format.js'
import type { RouteSecurityInfo } from '../core/route-info.js'
import { builtinScheme } from '../schemes/index.js'
import { expandList } from '../schemes/expand.js'
import type { TokenDescription } from '../schemes/scheme.js'

export type { TokenDescription } from '../schemes/scheme.js'

/** The name of a route scheme in `components.securitySchemes`, when OpenAPI can describe it. */
const documentedAs = (scheme: string): string | undefined => builtinScheme(scheme)?.openapi?.name

/** Where the plugin's error responses of an operation wait for the swagger transform. */
export const ERROR_RESPONSES: unique symbol = Symbol.for('fastify-simple-auth.openapi.errors')

/**
 * `components.securitySchemes` for the enabled schemes, as each scheme describes itself
 * (lib/schemes/): `basic` is HTTP basic; `token` and `oauth` follow the token carrier (HTTP bearer,
 * with `bearerFormat: JWT` for JWT; an API key in a header, cookie or query parameter otherwise).
 * The `param` scheme (login and password as two parameters) and custom schemes cannot be expressed
 * and are left out: see docs/reference/openapi.md. `password` stands for `basic` and `param`.
 *
 * @example
 *   securitySchemes(['token', 'basic'], { type: 'jwt', carrier: 'bearer', name: 'Bearer' }, { user: 'USER', pass: 'PASS' })
 *   // { token: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', ... }, basic: { type: 'http', scheme: 'basic', ... } }
 */
export function securitySchemes (schemes: string[], token: TokenDescription, param: { user: string, pass: string }): Record<string, unknown> {
  const enabled = expandList(schemes)
  const settings = { enabled, param, token }
  const out: Record<string, unknown> = {}
  for (const name of enabled) {
    const openapi = builtinScheme(name)?.openapi
    if (openapi !== undefined) out[openapi.name] = openapi.scheme(settings)
  }
  return out
}

/**
 * The `errorSchema` matching an `errorResponse` option, for {@link applyRouteOpenApi}: a text
 * body for `plain`, a JSON string for `json`, `{ KEY: string }` for `json:KEY`, any body of any
 * type for a function.
 *
 * @example
 *   errorSchemaFor('json:error') // { content: { 'application/json': { schema: { type: 'object', ... } } } }
 */
export function errorSchemaFor (option: ErrorResponseOption): Record<string, unknown> {
  // the function decides the body and its type: any body, rather than a made-up one
  if (typeof option === 'function') return { content: { '*/*': { schema: {} } } }
  if (option === 'plain') return { content: { 'text/plain': { schema: { type: 'string' } } } }
  if (option === 'json') return { content: { 'application/json': { schema: { type: 'string' } } } }
  const key = option.slice('json:'.length)
  return { content: { 'application/json': { schema: { type: 'object', properties: { [key]: { type: 'string' } }, required: [key] } } } }
}

function jsonSafe (value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value ?? null))
  } catch {
    return String(value)
  }
}

/** Which plugin errors a route can answer with, and why. */
function errorCases (schema: Record<string, unknown>, info: RouteSecurityInfo, rejectsUnexpected: boolean): Record<string, string> {
  const cases: Record<string, string> = {}
  if (rejectsUnexpected || schema.querystring !== undefined || schema.body !== undefined || schema.params !== undefined || schema.headers !== undefined) {
    cases['400'] = 'Invalid or unexpected parameters (every problem, one per line).'
  }
  if (!info.open && !info.closed) cases['401'] = 'Missing or invalid authentication.'
  const forbidden: string[] = []
  if (info.closed) forbidden.push('the route is closed')
  if (info.groups.length > 0) forbidden.push(`not in group ${info.groups.join(', ')}`)
  if (info.scopes.length > 0) forbidden.push(`missing scope ${info.scopes.join(', ')}`)
  if (info.perms.length > 0) forbidden.push(`permission denied on ${info.perms.map((p) => p.domain).join(', ')}`)
  if (forbidden.length > 0) cases['403'] = `Forbidden: ${forbidden.join('; ')}.`
  const missing: string[] = []
  if (schema.params !== undefined) missing.push('a path parameter does not convert')
  if (info.perms.length > 0) missing.push('the object does not exist')
  if (missing.length > 0) cases['404'] = `Not found: ${missing.join('; ')}.`
  return cases
}

/**
 * Document the security of one route, from `onRoute`. Sets `schema.security` (none for `OPEN`
 * routes, one alternative per documented scheme otherwise), `x-fsa-authorize` (the declaration,
 * `null` when undeclared) and `x-fsa-auth` (the schemes tried), and records the 400/401/403/404
 * responses the route can produce; {@link withErrorResponses} adds those to the document (they are
 * not put in `schema.response`, which would change how Fastify serialises replies).
 * The route's schema object is copied, never mutated: it may be shared by several routes.
 *
 * @example
 *   fastify.addHook('onRoute', (routeOptions) => {
 *     applyRouteOpenApi(routeOptions, compiled.info, { errorSchema: errorSchemaFor('json:error') })
 *   })
 */
export function applyRouteOpenApi (routeOptions: RouteOptions, info: RouteSecurityInfo, settings: { errorSchema: unknown, rejectUnexpectedParam?: boolean }): void {
  const schema: Record<string | symbol, unknown> = { ...(routeOptions.schema as Record<string, unknown> | undefined) }
  if (schema.security === undefined) {
    schema.security = info.open || info.closed
      ? []
      : [...new Set(info.schemes.map(documentedAs).filter((s) => s !== undefined))].map((s) => ({ [s]: [] }))
  }
  schema['x-fsa-authorize'] = jsonSafe(info.undeclared ? null : info.authorize)
  schema['x-fsa-auth'] = info.open ? [] : [...info.schemes]
  const errorSchema = (settings.errorSchema ?? {}) as Record<string, unknown>
  const responses: Record<string, unknown> = {}
  // a route without a parameter schema still answers 400 to unexpected parameters, unless it accepts them
  const accepts = (routeOptions.config as { unexpectedParams?: unknown } | undefined)?.unexpectedParams === 'accept'
  const rejectsUnexpected = settings.rejectUnexpectedParam === true && !accepts && !info.closed
  for (const [status, description] of Object.entries(errorCases(schema as Record<string, unknown>, info, rejectsUnexpected))) {
    responses[status] = { ...errorSchema, description }
  }
  schema[ERROR_RESPONSES] = responses
  routeOptions.schema = schema as RouteOptions['schema']
}

/**
 * A route schema with the plugin's error responses added (those the route does not declare
 * itself), for a @fastify/swagger `transform`. A route without declared responses keeps its
 * default 200.
 *
 * @example
 *   await app.register(swagger, { openapi: {...}, transform: ({ schema, url }) => ({ schema: withErrorResponses(schema), url }) })
 */
export function withErrorResponses<T> (schema: T): T {
  if (schema === null || typeof schema !== 'object') return schema
  const errors = (schema as Record<symbol, unknown>)[ERROR_RESPONSES] as Record<string, unknown> | undefined
  if (errors === undefined || Object.keys(errors).length === 0) return schema
  const declared = (schema as { response?: Record<string, unknown> }).response
  const response: Record<string, unknown> = declared === undefined ? { 200: { description: 'Default Response' } } : { ...declared }
  for (const [status, value] of Object.entries(errors)) if (response[status] === undefined) response[status] = value
  return { ...schema, response }
}
