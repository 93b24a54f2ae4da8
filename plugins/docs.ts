/**
 * API documentation for a secured application: @fastify/swagger builds the OpenAPI document from
 * the route schemas, @fastify/swagger-ui serves it at `/docs` (document at `/docs/json`). The
 * plugin adds the security the `secure` plugin compiled (security schemes, per-operation
 * `security`, `x-fsa-authorize`, error responses) and declares its own routes OPEN.
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
import type { ErrorResponseOption } from '../lib/errors/format.js'
import type { RouteSecurityInfo } from '../lib/core/route-info.js'

/** Options of the docs plugin. */
export interface DocsOptions {
  /** Where Swagger UI is served; the document is at `${routePrefix}/json`. @default '/docs' */
  routePrefix?: string
  /** Top-level OpenAPI fields: `info`, `servers`, `tags`, `components`... @default { info: { title: 'API', version: '1.0.0' } } */
  openapi?: Record<string, unknown>
  /**
   * Security schemes of the document. @default those of the `secure` plugin, built with
   * `securitySchemes()` from `fastify.fsa` (schemes, token options, param names) when the
   * document is first built
   */
  securitySchemes?: Record<string, unknown>
  /**
   * The application's `errorResponse`, to document the error bodies. @default unspecified bodies
   */
  errorResponse?: ErrorResponseOption
  /**
   * Further @fastify/swagger options (its `FastifyDynamicSwaggerOptions`), passed as they are; a
   * `transform` runs before the plugin's own. @default {}
   */
  swagger?: { transform?: Transform, [option: string]: unknown }
  /** Further @fastify/swagger-ui options (its `FastifySwaggerUiOptions`), passed as they are. @default {} */
  ui?: Record<string, unknown>
}

type Bag = Record<string, unknown>
/** What @fastify/swagger gives a `transform`. */
export interface TransformArgs { schema: Bag | undefined, url: string, route: RouteOptions, openapiObject?: Bag }
/** What a `transform` returns to @fastify/swagger. */
export interface TransformResult { schema?: Bag | undefined, url?: string }
/** A @fastify/swagger `transform` (the part of its signature the plugin relies on). */
export type Transform = (args: TransformArgs) => TransformResult

/** What the docs read from `fastify.fsa`, when the secure plugin is registered. */
interface FsaView {
  schemes?: readonly string[]
  param?: { user: string, pass: string }
  tokens?: { options: TokenDescription }
  routes?: () => RouteSecurityInfo[]
}

const fsaOf = (fastify: FastifyInstance): FsaView | undefined => (fastify as unknown as { fsa?: FsaView }).fsa

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

async function docsPlugin (fastify: FastifyInstance, options: DocsOptions): Promise<void> {
  const why = 'the docs plugin, fastify-simple-auth/docs'
  const { default: swagger } = await loadPeer('@fastify/swagger', why, () => import('@fastify/swagger'))
  const { default: swaggerUi } = await loadPeer('@fastify/swagger-ui', why, () => import('@fastify/swagger-ui'))
  const prefix = options.routePrefix ?? '/docs'
  const userTransform = options.swagger?.transform
  const errorSchema = options.errorResponse !== undefined ? errorSchemaFor(options.errorResponse) : {}
  const ready = new WeakSet<object>()
  let audit = new Map<string, RouteSecurityInfo>()

  const transform: Transform = (args) => {
    const base = userTransform !== undefined ? userTransform(args) : { schema: args.schema, url: args.url }
    const doc = (args.openapiObject ?? {}) as Bag
    const components = (doc.components ??= {}) as Bag
    // security schemes are resolved lazily: the secure plugin may be registered after this one
    if (!ready.has(doc)) {
      ready.add(doc)
      components.securitySchemes = { ...(options.securitySchemes ?? fsaSchemes(fsaOf(fastify))), ...(components.securitySchemes as Bag | undefined) }
      audit = auditOf(fsaOf(fastify))
    }
    let schema = base.schema ?? args.schema
    // routes the secure plugin compiled but did not document yet: document them from the audit
    if (schema?.[ERROR_RESPONSES as never] === undefined) {
      const method = Array.isArray(args.route.method) ? args.route.method[0] : args.route.method
      const info = audit.get(`${method} ${args.route.url}`)
      if (info !== undefined) {
        const holder = { schema } as RouteOptions
        applyRouteOpenApi(holder, info, { errorSchema })
        schema = holder.schema as Bag
      }
    }
    schema = withErrorResponses(schema)
    if (schema === undefined) return base
    const security = knownSecurity(schema.security, components.securitySchemes as Bag)
    return { ...base, schema: { ...schema, security } }
  }

  await fastify.register(swagger, {
    openapi: { info: { title: 'API', version: '1.0.0' }, ...options.openapi },
    ...options.swagger,
    transform: transform as unknown as FastifyDynamicSwaggerOptions['transform']
  } as FastifyDynamicSwaggerOptions)

  // Swagger UI's routes are declared OPEN before any onRoute hook sees them (the secure plugin's
  // may run first), by giving its context a `route` that adds the declaration: its child contexts
  // inherit it. A hook also covers routes added another way under the prefix.
  await fastify.register(async (ui) => {
    const route = ui.route
    const open = (opts: RouteOptions): RouteOptions => ({ ...opts, config: { ...(opts.config as Bag | undefined), authorize: 'OPEN' } as RouteOptions['config'] })
    // called on swagger-ui's own (prefixed) child contexts: keep their `this`
    ui.route = function (this: FastifyInstance, opts: RouteOptions) { return route.call(this, open(opts)) } as typeof ui.route
    ui.addHook('onRoute', (routeOptions) => {
      const config = (routeOptions.config ?? {}) as Bag
      if (config.authorize === undefined) routeOptions.config = { ...config, authorize: 'OPEN' } as RouteOptions['config']
    })
    await ui.register(swaggerUi, { ...options.ui, routePrefix: prefix } as FastifySwaggerUiOptions)
  })
}

/**
 * Swagger UI at `/docs` and the OpenAPI document at `/docs/json`, with the security of every
 * route. Register it before declaring routes (so @fastify/swagger sees them), before or after
 * the `secure` plugin.
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
