/**
 * API documentation for a secured application: @fastify/swagger builds the OpenAPI document from
 * the route schemas, @fastify/swagger-ui serves it at `/docs` (document at `/docs/json`). The
 * plugin adds the security the `secure` plugin compiled (security schemes, per-operation
 * `security`, `x-fsa-authorize`, who may call each route in its description, the `param`
 * scheme's fields, error responses as `errorResponse` writes them), writes the document as
 * OpenAPI 3.1 with its Schema Objects in that dialect, and declares its own routes OPEN.
 *
 * @fastify/swagger and @fastify/swagger-ui are optional peer dependencies, loaded when the plugin
 * is registered (FSA_ERR_OPT_PEER_MISSING when one is not installed); the options below are
 * typed here, not with their types, so that the public types do not need them installed.
 */
import fp from 'fastify-plugin'
import type { FastifyInstance, RouteOptions } from 'fastify'
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger'
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui'
import { loadPeer } from '../lib/core/peers.js'
import { applyRouteOpenApi, ERROR_RESPONSES, errorSchemaFor, securitySchemes, withErrorResponses, type TokenDescription } from '../lib/openapi/security.js'
import { describeOperation } from '../lib/openapi/describe.js'
import { convertDocumentSchemas } from '../lib/openapi/schemas.js'
import type { ErrorResponseOption } from '../lib/errors/format.js'
import type { RouteSecurityInfo } from '../lib/core/route-info.js'
import { checkOptions } from '../lib/options/check.js'
import { DocsOptionsSchema, type DocsOptions, type Transform } from '../lib/openapi/options.js'

type Bag = Record<string, unknown>

/** What the docs read from `fastify.fsa`, when the secure plugin is registered. */
interface FsaView {
  schemes?: readonly string[]
  param?: { user: string, pass: string }
  tokens?: { options: TokenDescription }
  routes?: () => RouteSecurityInfo[]
  errorResponse?: ErrorResponseOption
  rejectUnexpectedParam?: boolean
}

const fsaOf = (fastify: FastifyInstance): FsaView | undefined => (fastify as unknown as { fsa?: FsaView }).fsa

/** The version of the document: OpenAPI 3.1, whose Schema Objects are JSON Schema 2020-12 (docs/reference/openapi.md). */
export const OPENAPI_VERSION = '3.1.0'

/** The `secure` plugin's security schemes (empty without it). */
function fsaSchemes (fsa: FsaView | undefined): Bag {
  if (fsa?.schemes === undefined) return {}
  const token = fsa.tokens?.options ?? { type: 'fsa', carrier: 'bearer', name: 'Bearer' }
  return securitySchemes([...fsa.schemes], { type: token.type, carrier: token.carrier, name: token.name }, fsa.param ?? { user: 'USER', pass: 'PASS' })
}

/** The compiled security of every route, by `METHOD url`. */
function auditOf (fsa: FsaView | undefined): Map<string, RouteSecurityInfo> {
  const map = new Map<string, RouteSecurityInfo>()
  for (const info of fsa?.routes?.() ?? []) map.set(`${info.method} ${info.url}`, info)
  return map
}

/** Keep the security alternatives whose schemes the document defines (@fastify/swagger throws on others). */
function knownSecurity (security: unknown, defined: Bag): unknown {
  if (!Array.isArray(security) || security.length === 0) return security
  const kept = security.filter((alt: Bag) => Object.keys(alt).every((name) => Object.hasOwn(defined, name)))
  return kept.length > 0 ? kept : undefined
}

/** What the transform reads once, when the document is first built (the audit is complete then). */
interface DocumentContext { audit: Map<string, RouteSecurityInfo>, errorSchema: unknown, param: { user: string, pass: string }, rejectUnexpectedParam: boolean }

function documentContext (fastify: FastifyInstance, options: DocsOptions): DocumentContext {
  const fsa = fsaOf(fastify)
  // the error bodies the app really sends: the secure plugin's errorResponse (its default 'plain')
  const errorResponse = options.errorResponse ?? fsa?.errorResponse
  return {
    audit: auditOf(fsa),
    errorSchema: errorResponse !== undefined ? errorSchemaFor(errorResponse) : {},
    param: fsa?.param ?? { user: 'USER', pass: 'PASS' },
    rejectUnexpectedParam: fsa?.rejectUnexpectedParam ?? false
  }
}

/** One route's schema for the document: its security, error responses and what it requires. */
function documentRoute (schema: Bag | undefined, route: RouteOptions, context: DocumentContext): Bag | undefined {
  const method = Array.isArray(route.method) ? route.method[0] : route.method
  const info = context.audit.get(`${method} ${route.url}`)
  if (info === undefined) return withErrorResponses(schema)
  // routes the secure plugin compiled but nobody documented yet: document them from the audit
  if (schema?.[ERROR_RESPONSES as never] === undefined) {
    const holder = { schema, config: route.config } as RouteOptions
    applyRouteOpenApi(holder, info, { errorSchema: context.errorSchema, rejectUnexpectedParam: context.rejectUnexpectedParam })
    schema = holder.schema as Bag
  }
  // a spread copy keeps the ERROR_RESPONSES symbol
  return withErrorResponses(describeOperation(schema as Bag, info, context.param))
}

/**
 * The @fastify/swagger `transform` that adds what the secure plugin compiled: its security
 * schemes (read when the document is first built, since the secure plugin may be registered
 * after this one), each operation's security and requirements and the plugin's error responses.
 */
function securityTransform (fastify: FastifyInstance, options: DocsOptions): Transform {
  const userTransform = options.swagger?.transform as Transform | undefined
  const ready = new WeakSet<object>()
  let context: DocumentContext = { audit: new Map(), errorSchema: {}, param: { user: 'USER', pass: 'PASS' }, rejectUnexpectedParam: false }
  return (args) => {
    const base = userTransform !== undefined ? userTransform(args) : { schema: args.schema, url: args.url }
    const doc = (args.openapiObject ?? {}) as Bag
    const components = (doc.components ??= {}) as Bag
    if (!ready.has(doc)) {
      ready.add(doc)
      components.securitySchemes = { ...(options.securitySchemes ?? fsaSchemes(fsaOf(fastify))), ...(components.securitySchemes as Bag | undefined) }
      context = documentContext(fastify, options)
    }
    const schema = documentRoute(base.schema ?? args.schema, args.route, context)
    if (schema === undefined) return base
    const security = knownSecurity(schema.security, components.securitySchemes as Bag)
    return { ...base, schema: { ...schema, security } }
  }
}

/** The @fastify/swagger `transformObject`: the application's, then Schema Objects in the document's dialect. */
function schemaTransform (options: DocsOptions): (args: { openapiObject: Bag }) => Bag {
  const userTransform = options.swagger?.transformObject as ((args: { openapiObject: Bag }) => Bag) | undefined
  return (args) => convertDocumentSchemas(userTransform !== undefined ? userTransform(args) : args.openapiObject)
}

async function docsPlugin (fastify: FastifyInstance, options: DocsOptions): Promise<void> {
  checkOptions(DocsOptionsSchema, options)
  const why = 'the docs plugin, fastify-simple-auth/docs'
  const { default: swagger } = await loadPeer('@fastify/swagger', why, () => import('@fastify/swagger'))
  const { default: swaggerUi } = await loadPeer('@fastify/swagger-ui', why, () => import('@fastify/swagger-ui'))
  const prefix = options.routePrefix ?? '/docs'
  const transform = securityTransform(fastify, options)

  await fastify.register(swagger, {
    openapi: { openapi: OPENAPI_VERSION, info: { title: 'API', version: '1.0.0' }, ...options.openapi },
    ...options.swagger,
    transform: transform as unknown as FastifyDynamicSwaggerOptions['transform'],
    transformObject: schemaTransform(options) as unknown as FastifyDynamicSwaggerOptions['transformObject']
  } as FastifyDynamicSwaggerOptions)

  // Swagger UI's routes are declared OPEN before any onRoute hook sees them (the secure plugin's
  // may run first), by giving its context a `route` that adds the declaration: its child contexts
  // inherit it. A hook also covers routes added another way under the prefix.
  await fastify.register(async (ui) => {
    const route = ui.route
    const open = (opts: RouteOptions): RouteOptions => ({ ...opts, config: { unexpectedParams: 'accept', ...(opts.config as Bag | undefined), authorize: 'OPEN' } as RouteOptions['config'] })
    // called on swagger-ui's own (prefixed) child contexts: keep their `this`
    ui.route = function (this: FastifyInstance, opts: RouteOptions) { return route.call(this, open(opts)) } as typeof ui.route
    ui.addHook('onRoute', (routeOptions) => {
      const config = (routeOptions.config ?? {}) as Bag
      // Swagger UI's routes read their own query (`?url=`) and static files get cache busters
      if (config.authorize === undefined) routeOptions.config = { unexpectedParams: 'accept', ...config, authorize: 'OPEN' } as RouteOptions['config']
    })
    await ui.register(swaggerUi, { ...options.ui, routePrefix: prefix } as FastifySwaggerUiOptions)
  })
}

/**
 * Swagger UI at `/docs` and the OpenAPI document at `/docs/json`, with the security of every
 * route. Register it after the `secure` plugin (which then compiles its routes: OPEN, under the
 * HTTPS policy; registered before, they are closed like every route `secure` never saw) and
 * before declaring routes (so @fastify/swagger sees them).
 *
 * @example
 *   import secure from 'fastify-simple-auth'
 *   import docs from 'fastify-simple-auth/docs'
 *
 *   await app.register(secure, { auth: ['token', 'basic', 'none'], ... })
 *   await app.register(docs, { openapi: { info: { title: 'Acme', version: '1.0.0' } } })
 */
export const docs = fp(docsPlugin, { fastify: '5.x', name: 'fastify-simple-auth-docs' })
export default docs
export type { DocsOptions, Transform, TransformArgs, TransformResult } from '../lib/openapi/options.js'
