/**
 * Routes the plugin never compiled are never served. Fastify runs `onRoute` hooks only for routes
 * declared after them, so a route declared before the plugin (or right after an un-awaited
 * `register`) would keep Fastify's behaviour: served open. Fastify binds an instance's hooks to
 * its routes at `preReady`, including those of routes declared earlier, of child contexts
 * registered before the hook and of the not-found handler; so one root `onRequest` hook that
 * lets through only compiled routes (and 404s) closes every route of the plugin's scope.
 *
 * The compiler marks a route by a symbol in its `config`: Fastify copies `config` (own enumerable
 * keys, symbols included) into the route's context after `onRoute`, so the mark is in the context
 * of compiled routes and of nothing else. Reading it is one property read on
 * `request.routeOptions.config`; docs/performance.md has the measured cost.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify'
import type { RouteSecurityInfo } from './route-info.js'
import type { ErrorFormatter } from '../errors/format.js'
import { redactUrl } from '../http/redact.js'

const kCompiled = Symbol('fsa.compiled')

/** The message of a route the plugin did not compile. */
export const EARLY_ROUTE_MESSAGE = 'closed route: registered before the plugin'

/** Mark `route` as compiled by the plugin (a fresh `config`: the application's object stays as it was). */
export function markCompiled (route: RouteOptions): void {
  route.config = { ...(route.config as object | undefined), [kCompiled]: true } as RouteOptions['config']
}

/**
 * The root `onRequest` hook: a compiled route goes on; a 404 (Fastify's not-found contexts have no
 * `url` in their config) goes on to the not-found handler; any other route answers 403 before
 * anything else runs. Fastify's default not-found handler (`basic404`) logs the URL inside its
 * message, where no serializer reaches: for it, secret query values are redacted from the URL
 * first. An application's own not-found handler sees the URL as it came.
 */
export function guardHook (sendError: ErrorFormatter, secretNames: ReadonlySet<string>): (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void {
  return (request, reply, done) => {
    const config = request.routeOptions.config as { [kCompiled]?: true, url?: string } | undefined
    if (config?.[kCompiled] === true) return done()
    if (config?.url === undefined) {
      const url = request.raw.url
      if (url?.includes('?') === true && request.routeOptions.handler?.name === 'basic404') request.raw.url = redactUrl(url, secretNames)
      return done()
    }
    sendError(reply, 403, EARLY_ROUTE_MESSAGE)
  }
}

/** A route read from `printRoutes`: its path, and the parent path and own segment it was built from. */
export interface KnownRoute { method: string, url: string, parent: string, segment: string }

/**
 * `METHOD url` of every route of the server, from `printRoutes()`: the radix tree, one line per
 * node, `├── me (GET, HEAD)`, four columns of indentation per level, where a node shows only what
 * it adds to its parent's path (nodes without methods are shared parts): a route's path is the
 * parts of its ancestors joined. (`commonPrefix: false` is no flat list: children still show only
 * their own part, and a wildcard loses its prefix.)
 */
export function knownRoutes (fastify: FastifyInstance): Array<{ method: string, url: string }> {
  const routes: Array<{ method: string, url: string }> = []
  const parts: string[] = []
  for (const line of fastify.printRoutes().split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (\S.*?)(?: \(([A-Z]+(?:, [A-Z]+)*)\))?$/u.exec(line)
    if (m === null) continue
    const depth = (m[1] as string).length / 4
    parts.length = depth
    // routes of several top-level prefixes (`/x` and `*`) hang under a root node without a part
    parts.push(m[2] === '(empty root node)' ? '' : m[2] as string)
    if (m[3] === undefined) continue
    const url = parts.join('')
    for (const method of m[3].split(', ')) routes.push({ method, url })
  }
  return routes
}

/**
 * Whether `fastify` is the root instance: Fastify makes each encapsulated context with
 * `Object.create(parent)`, the root is a plain object.
 */
function isRoot (fastify: FastifyInstance): boolean {
  return Object.getPrototypeOf(fastify) === Object.prototype
}

/**
 * The routes of the server the plugin did not compile, as audit records: closed, declaring
 * nothing the plugin saw, `early: true`. Only for a registration at the root: `printRoutes` lists
 * the routes of the whole server, and those outside an encapsulated registration are not its own.
 */
export function earlyRoutes (fastify: FastifyInstance, audit: readonly RouteSecurityInfo[], realm: string): RouteSecurityInfo[] {
  if (!isRoot(fastify)) return []
  const compiled = new Set<string>()
  for (const r of audit) for (const m of r.method.split(',')) compiled.add(`${m} ${r.url}`)
  // a prefixed plugin's '/' route is also served at '/prefix/' with the same options (the mark
  // included), but Fastify runs no onRoute hook for that twin: compiled when '/prefix' is
  const isCompiled = (r: { method: string, url: string }): boolean =>
    compiled.has(`${r.method} ${r.url}`) || (r.url.length > 1 && r.url.endsWith('/') && compiled.has(`${r.method} ${r.url.slice(0, -1)}`))
  return knownRoutes(fastify).filter((r) => !isCompiled(r)).map((r) => ({
    method: r.method, url: r.url, authorize: undefined, open: false, closed: true, undeclared: false, early: true,
    schemes: [], realm, groups: [], scopes: [], perms: []
  }))
}
