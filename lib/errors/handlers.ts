/**
 * Error handlers. On the routes it compiles, the plugin puts a route-level handler that sends its
 * own errors (catalogue errors, `err()`, parameter validation) in the configured `errorResponse`
 * format and passes every other error on to the application's handler, untouched. The root error
 * and not-found handlers, which also format Fastify's own 400, 404, 413 and 415, are installed
 * only with `handleErrors: true`; `fastify.fsa.handleError` is the same handler, for an
 * application's own.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { isDeliberate, sendFailure } from './failure.js'
import type { ErrorFormatter } from './format.js'

/** Build the error handler. */
export function makeErrorHandler (sendError: ErrorFormatter, formatValidationError: (e: FastifyError) => string = (e) => e.message) {
  return function fsaErrorHandler (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const e = error as FastifyError
    if (Array.isArray(e.validation)) {
      // a path parameter that does not convert means "no such resource", as in FlaskSimpleAuth
      const status = e.validationContext === 'params' ? 404 : 400
      return sendError(reply, status, formatValidationError(e))
    }
    if (isDeliberate(e)) return sendFailure(request, reply, sendError, e)
    const status = typeof e.statusCode === 'number' ? e.statusCode : 500
    if (status >= 400 && status < 500) return sendError(reply, status, e.message)
    request.log.error({ err: e }, 'unhandled error')
    return sendError(reply, status >= 500 && status < 600 ? status : 500, 'internal error')
  }
}

/** Build the not-found handler (the query string is not echoed: it may hold credentials). */
export function makeNotFoundHandler (sendError: ErrorFormatter) {
  return function fsaNotFound (request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const path = request.url.split('?', 1)[0] as string
    return sendError(reply, 404, `not found: ${request.method} ${path}`)
  }
}

/**
 * The route-level error handler of a route the plugin compiles: validation errors (when the
 * plugin's parameter layer compiled the route's schemas) and the plugin's own errors are sent in
 * the configured format; anything else is thrown on, which makes Fastify call the handler the
 * route would have had without it (the application's, or Fastify's default).
 */
export function makeRouteErrorHandler (sendError: ErrorFormatter, validationFailure: ((e: FastifyError) => Error) | undefined) {
  return function fsaRouteErrors (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const e = error as FastifyError
    if (validationFailure !== undefined && Array.isArray(e.validation)) return sendFailure(request, reply, sendError, validationFailure(e))
    if (isDeliberate(e)) return sendFailure(request, reply, sendError, e)
    throw error
  }
}
