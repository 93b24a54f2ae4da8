/**
 * The per-route hooks built from a {@link RoutePlan}, at the lifecycle stage each check belongs to:
 * - `onRequest`: HTTPS policy, header/cookie/query schemes, then groups or scopes (so unauthorized
 *   bodies are never parsed);
 * - `preValidation`: only for routes allowing `param` credentials, which live in the body;
 * - `preHandler`: object permissions, on parameters the schema has converted (or in `onRequest`,
 *   right after groups, when the plan says nothing could fail with a 400 in between).
 * The order of failures is FlaskSimpleAuth's: 401, then 403 (groups), then 400 (parameters, by the
 * validation that follows), then 403/404 (objects).
 * Hooks use the callback form and stay synchronous when answers are cached, so a cached token costs
 * no promise.
 */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { FSA_ERR_AUTH_MISSING, FSA_ERR_AUTHZ_CLOSED, FSA_ERR_AUTHZ_CROSS_SITE, FSA_ERR_AUTHZ_INSECURE, FSA_ERR_AUTHZ_NOT_FOUND } from '../errors/catalogue.js'
import { crossSiteGuard, type CrossSiteSettings } from '../http/cross-site.js'
import { runSchemes } from '../schemes/chain.js'
import { checkGroups } from '../authz/groups.js'
import { checkScopes } from '../authz/scopes.js'
import { checkPermissions } from '../authz/objects.js'
import { isDeliberate, sendFailure } from '../errors/failure.js'
import { sendLoginRedirect, wantsHtml } from '../http/login-redirect.js'
import { hasGetBody, readGetBody } from '../params/get-body.js'
import type { CacheLayer } from '../cache/layer.js'
import type { ErrorFormatter } from '../errors/format.js'
import type { RoutePlan } from './route-compiler.js'
import type { UserSlot } from './user-exposure.js'

type Hook = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void

/** Shared services of the hooks. */
export interface HookServices {
  sendError: ErrorFormatter
  cache: CacheLayer
  /** Deny plain HTTP unless the request is local (lib/http/transport.ts). */
  secure: boolean
  /** The HTTPS policy's check (sets HSTS on HTTPS replies), used when `secure` is on. */
  allowsTransport: (request: FastifyRequest, reply: FastifyReply) => boolean
  /** Cross-site protection; `undefined` when it is off. */
  crossSite: CrossSiteSettings | undefined
  /** Status of an object a permission callback does not find (`notFoundError` option). @default 404 */
  notFoundStatus?: number
}

/**
 * The hook of an OPEN route declared with `config.crossSite: true` (login and registration
 * forms): a foreign request is refused before the body is read.
 */
export function crossSiteHook (services: HookServices): Hook | undefined {
  const isForeign = services.crossSite?.isForeign
  if (isForeign === undefined) return undefined
  const message = new FSA_ERR_AUTHZ_CROSS_SITE().message
  return (request, reply, done) => { if (isForeign(request)) services.sendError(reply, 403, message); else done() }
}

/** The hook of a closed route: 403 for every request, before anything else happens. */
export function closedHook (services: HookServices, undeclared: boolean): Hook {
  const message = undeclared ? 'closed route: no authorization declared' : new FSA_ERR_AUTHZ_CLOSED().message
  return (_request, reply) => { services.sendError(reply, 403, message) }
}

/**
 * The HTTPS policy of an OPEN route when `secure` is on: plain HTTP from another machine is
 * refused like everywhere else (FlaskSimpleAuth checks every request). It wraps the handler
 * rather than adding a hook: a route-level hook makes Fastify run its hook machinery on every
 * request (about 3 % of a trivial route here), a wrapper costs one function call. OPEN routes
 * process no credentials, so refusing at the handler rather than at `onRequest` exposes nothing.
 */
export function secureOpenHandler<H extends (this: any, request: FastifyRequest, reply: FastifyReply) => unknown> (handler: H, services: HookServices): H {
  const message = new FSA_ERR_AUTHZ_INSECURE().message
  const { allowsTransport } = services
  return function (this: unknown, request: FastifyRequest, reply: FastifyReply) {
    if (!allowsTransport(request, reply)) return services.sendError(reply, 403, message)
    return handler.call(this, request, reply)
  } as H
}

type Fail = (request: FastifyRequest, reply: FastifyReply, e: unknown) => void
type Step = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void

/** Object permissions, in preHandler or right after groups when the plan says they can go early. */
function permissionsStep (plan: RoutePlan, cache: CacheLayer, fail: Fail, notFound = 404): Step {
  const { perms } = plan
  if (notFound !== 404) {
    const failWith = fail
    // each failure is a fresh error: its status can be set here
    fail = (request, reply, e) => {
      if (e instanceof FSA_ERR_AUTHZ_NOT_FOUND) (e as { statusCode: number }).statusCode = notFound
      failWith(request, reply, e)
    }
  }
  return (request, reply, done) => {
    let r: void | Promise<void>
    try { r = checkPermissions(request, request.authUser as string, perms, cache) } catch (e) { return fail(request, reply, e) }
    if (r instanceof Promise) r.then(() => done(), (e: unknown) => fail(request, reply, e))
    else done()
  }
}

/** Groups or scopes (then early permissions) once the login is known; calls done() or sends the failure. */
function authorizeStep (plan: RoutePlan, permissions: Step, fail: Fail): Step {
  const { info, groupTests, permsEarly } = plan
  const needsAuthz = groupTests.length > 0 || info.scopes.length > 0
  const needsChecks = needsAuthz || permsEarly
  return (request, reply, done) => {
    if (!needsChecks) return done()
    if (!needsAuthz) return permissions(request, reply, done)
    let r: void | Promise<void>
    try {
      if (info.scopes.length > 0) checkScopes(request, info.scopes)
      r = checkGroups(request.authUser as string, info.groups, groupTests)
    } catch (e) { return fail(request, reply, e) }
    const next = permsEarly ? () => permissions(request, reply, done) : done
    if (r instanceof Promise) r.then(() => next(), (e: unknown) => fail(request, reply, e))
    else next()
  }
}

/** Authentication by the schemes of one stage, then `authorize`; `bodyStage` picks the stage. */
function authenticateStep (plan: RoutePlan, authorize: Step, fail: Fail, slot: UserSlot): (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction, bodyStage: boolean) => void {
  const { requestSchemes, bodySchemes } = plan
  const realm = plan.info.realm
  const deferred = bodySchemes.length > 0
  const afterLogin = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction, login: string | null, bodyStage: boolean): void => {
    if (login !== null) {
      if (slot.user) (request as unknown as { user?: string }).user = login
      return authorize(request, reply, done)
    }
    if (!bodyStage && deferred) return done() // the body may hold param credentials
    fail(request, reply, new FSA_ERR_AUTH_MISSING())
  }
  return (request, reply, done, bodyStage) => {
    let r: string | null | Promise<string | null>
    try {
      r = runSchemes(request, bodyStage ? bodySchemes : requestSchemes, realm)
    } catch (e) { return fail(request, reply, e) }
    if (r instanceof Promise) r.then((login) => afterLogin(request, reply, done, login, bodyStage), (e: unknown) => fail(request, reply, e))
    else afterLogin(request, reply, done, r, bodyStage)
  }
}

/**
 * Build the hooks of a protected route. `slot.user` says whether they also set `request.user`
 * (no other plugin claimed it in the route's context, see user-exposure.ts).
 */
export function protectedHooks (plan: RoutePlan, services: HookServices, slot: UserSlot): { onRequest: Hook, preValidation?: Hook, preHandler?: Hook } {
  const { requestSchemes, bodySchemes, challenge, perms, permsEarly } = plan
  const { sendError, secure, allowsTransport } = services
  const login = plan.loginRedirect
  const fail: Fail = (request, reply, e) => {
    if (login !== undefined && isDeliberate(e) && e.statusCode === 401 && wantsHtml(request)) return sendLoginRedirect(reply, login, request)
    sendFailure(request, reply, sendError, e, challenge)
  }
  const permissions = permissionsStep(plan, services.cache, fail, services.notFoundStatus)
  const run = authenticateStep(plan, authorizeStep(plan, permissions, fail), fail, slot)
  const guard = crossSiteGuard({ schemes: plan.info.schemes, realm: plan.info.realm, always: plan.crossSite }, services.crossSite)
  const foreign = guard.request

  const onRequest: Hook = (request, reply, done) => {
    if (secure && !allowsTransport(request, reply)) return fail(request, reply, new FSA_ERR_AUTHZ_INSECURE())
    // before any credential is checked: a forged request costs no password hash
    if (foreign !== undefined && foreign(request)) return fail(request, reply, new FSA_ERR_AUTHZ_CROSS_SITE())
    if (requestSchemes.length === 0) return done()
    run(request, reply, done, false)
  }
  const hooks: { onRequest: Hook, preValidation?: Hook, preHandler?: Hook } = { onRequest }
  if (bodySchemes.length > 0) {
    hooks.preValidation = (request, reply, done) => {
      if (request.authUser !== null) return done() // authenticated (and authorized) in onRequest
      // body credentials would get the auth cookie: not for another site's form (login CSRF)
      if (guard.body && services.crossSite?.isForeign(request) === true) return fail(request, reply, new FSA_ERR_AUTHZ_CROSS_SITE())
      // Fastify does not parse GET bodies; FlaskSimpleAuth clients send credentials in them
      if (!hasGetBody(request)) return run(request, reply, done, true)
      readGetBody(request, (result) => {
        if (!result.ok) return void sendError(reply, result.status, result.message)
        request.body = result.body
        run(request, reply, done, true)
      })
    }
  }
  if (perms.length > 0 && !permsEarly) hooks.preHandler = permissions
  return hooks
}
