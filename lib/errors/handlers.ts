/**
 * The root error and not-found handlers, so that Fastify's own 400 (validation), 404, 413 and 415
 * come out in the configured `errorResponse` format like the plugin's errors. 5xx details stay in
 * the log. Disable with `handleErrors: false` and call `fastify.fsa.handleError` from your own.
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
