/**
 * What the route compiler knows about one route, once, at start-up. The audit
 * (`fastify.fsa.routes()`), the OpenAPI security of each operation and the request hooks all
 * read this record; nothing re-parses declarations per request.
 */

/** One object permission requirement `[domain, param, mode]` after parsing. */
export interface ObjectPermission {
  /** Registered domain in `objectPerms`. */
  domain: string
  /** Parameter names whose converted values are passed to the checker (`'a:b'` gives two). */
  params: string[]
  /** Free-form mode string passed last to the checker (`undefined` when not declared). */
  mode: string | undefined
}

/** The compiled security of a route. */
export interface RouteSecurityInfo {
  method: string
  url: string
  /** `config.authorize` exactly as declared (`undefined` when the route declared nothing). */
  authorize: unknown
  /** No authentication at all. */
  open: boolean
  /** Every request is refused with 403 (`'CLOSE'` declared, or nothing declared). */
  closed: boolean
  /** The route declared no `authorize`. */
  undeclared: boolean
  /**
   * The route was declared before the plugin (or right after an un-awaited `register`): the plugin
   * never saw its declaration, so it is closed (403), "closed (registered before the plugin)".
   */
  early: boolean
  /** Authentication schemes tried on this route, in order (`none` excluded). */
  schemes: string[]
  /** The realm of this route (per-route `config.realm` or the global one). */
  realm: string
  /** Groups that must all hold (empty for oauth routes). */
  groups: string[]
  /** JWT scopes that must all be granted (oauth routes only). */
  scopes: string[]
  /** Object permissions that must all hold. */
  perms: ObjectPermission[]
}
