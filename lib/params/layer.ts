/**
 * The parameter layer of the routes the `secure` plugin compiles, set up once at registration and
 * applied route by route in `onRoute`. Nothing here is installed app-wide except a form parser
 * registered under a pattern, which any parser the application registers for forms overrides.
 * Routes the plugin does not compile, and routes or scopes with a validator compiler of their
 * own, keep the application's validation untouched.
 */
import type { FastifyInstance, preValidationHookHandler, RouteOptions } from 'fastify'
import { makeRouteErrorHandler } from '../errors/handlers.js'
import { FSAWRN_PARAM_AJV, warn } from '../errors/warnings.js'
import { ajvConflicts, readAppAjv, type AppAjvSettings } from './app-ajv.js'
import { parseForm } from './get-body.js'
import { validationFailure } from './messages.js'
import { compileRouteParams } from './route-params.js'
import type { ParamSettings } from './settings.js'
import { createAjv, validatorCompilers } from './validator.js'
import { compileCookieParams } from './cookies.js'
import type { Ajv } from 'ajv'

/**
 * Form bodies, as a pattern: Fastify prefers a parser registered for the exact content type over
 * a pattern, so @fastify/formbody (or any urlencoded parser) registered before or after the plugin
 * takes over, and registering it never collides with this one.
 */
export const FORM_PATTERN = /^application\/x-www-form-urlencoded(?:;|$)/


/** The per-route part of the layer. */
export interface ParamLayer {
  /** The application's validator settings the layer starts from. */
  readonly app: AppAjvSettings
  /**
   * Set up one route (from `onRoute`, with the route's instance): give it the plugin's validator
   * compiler unless it or its scope has one, an error handler that sends the plugin's errors in
   * the configured format (unless it has its own), and return its parameter hook, or `null` when
   * the route declares no parameter schema or the plugin does not validate it.
   */
  route (instance: FastifyInstance, route: RouteOptions): preValidationHookHandler | null
}

function hasValidationSchema (route: RouteOptions): boolean {
  const s = route.schema
  return s !== undefined && (s.body !== undefined || s.querystring !== undefined || s.params !== undefined || s.headers !== undefined)
}

/**
 * Build the layer: add the form parser when the application has none, read the application's
 * validator settings and warn about the options the parameter rules override.
 *
 * @example
 *   const params = createParamLayer(fastify, { rejectUnexpectedParam: true, authParams: ['USER', 'PASS'], sendError })
 *   fastify.addHook('onRoute', function (route) {
 *     const hook = params.route(this, route)
 *     if (hook !== null) route.preValidation = [hook, ...[route.preValidation ?? []].flat()]
 *   })
 */
export function createParamLayer (fastify: FastifyInstance, settings: ParamSettings): ParamLayer {
  if (!fastify.hasContentTypeParser('application/x-www-form-urlencoded') && !fastify.hasContentTypeParser(FORM_PATTERN)) {
    fastify.addContentTypeParser(FORM_PATTERN, { parseAs: 'string' }, (_request, body, done) => { done(null, parseForm(body as string)) })
  }
  const app = readAppAjv(fastify)
  const problems = ajvConflicts(app)
  if (!app.found) problems.push('the application\'s ajv options could not be read (Fastify\'s defaults are used)')
  if (problems.length > 0) {
    warn(fastify.log, { ...FSAWRN_PARAM_AJV(problems.join('; ')), details: { problems } })
  }
  const compilers = app.foreign === undefined ? validatorCompilers(app) : undefined
  let cookieAjv: Ajv | undefined
  const ajv = (): Ajv => (cookieAjv ??= createAjv(app))
  const ownErrors = makeRouteErrorHandler(settings.sendError, validationFailure)
  const theirValidation = makeRouteErrorHandler(settings.sendError, undefined)
  return {
    app,
    route (instance, route) {
      // a compiler of the route or of its scope (setValidatorCompiler) is the application's choice
      const owned = compilers !== undefined && route.validatorCompiler === undefined && instance.validatorCompiler === undefined
      if (owned && hasValidationSchema(route)) route.validatorCompiler = compilers(instance) as never
      route.errorHandler ??= owned ? ownErrors : theirValidation
      const params = owned ? compileRouteParams(route, settings) : null
      const cookies = compileCookieParams(route, ajv, settings.sendError)
      if (cookies === null || params === null) return params ?? cookies
      // the parameter step calls `done` only when it sends no error
      return function fsaParamsAndCookies (request, reply, done) { params.call(this, request, reply, () => { cookies(request, reply, done) }) }
    }
  }
}
