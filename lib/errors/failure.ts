/**
 * Turning a thrown value into a response. Errors of the catalogue (`FSA_ERR_*`) and `err()` keep
 * their status and message; anything else is a bug in a callback or a handler: the client gets
 * a generic 500 and the detail goes to the log, never to the client.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ErrorResponse } from './catalogue.js'
import type { ErrorFormatter } from './format.js'

/** Whether the error was raised on purpose (catalogue or `err()`), so its message is safe to show. */
export function isDeliberate (e: unknown): e is Error & { statusCode: number, headers?: Record<string, string> } {
  if (e instanceof ErrorResponse) return true
  if (!(e instanceof Error)) return false
  const code = (e as { code?: unknown }).code
  return typeof code === 'string' && code.startsWith('FSA_ERR_') && typeof (e as { statusCode?: unknown }).statusCode === 'number'
}

/**
 * Send `e` as an error response. `challenge` is the `WWW-Authenticate` value of the route, added to
 * 401 responses that do not carry their own.
 */
export function sendFailure (request: FastifyRequest, reply: FastifyReply, sendError: ErrorFormatter, e: unknown, challenge?: string): FastifyReply {
  if (isDeliberate(e)) {
    const status = e.statusCode
    let headers = e.headers
    if (status === 401 && challenge !== undefined && headers?.['WWW-Authenticate'] === undefined) {
      headers = { ...headers, 'WWW-Authenticate': challenge }
    }
    if (status >= 500) request.log.error({ err: e }, 'fastify-simple-auth: ' + e.message)
    return sendError(reply, status, e.message, headers)
  }
  request.log.error({ err: e }, 'fastify-simple-auth: unexpected error in an authentication or authorization callback')
  return sendError(reply, 500, 'internal error')
}
