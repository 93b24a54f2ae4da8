/**
 * Error bodies in the configured `errorResponse` format. Every error the plugin sends, and
 * Fastify's own 4xx, goes through {@link ErrorFormatter} so that clients see one shape.
 */
import type { FastifyReply } from 'fastify'
import { Fn, Type } from '../options/schema.js'

/**
 * A custom error body builder: receives the message and the status, returns the payload
 * (string, Buffer or object) to send; it may set headers or the content type on `reply`.
 */
export type ErrorResponseFn = (message: string, status: number, reply: FastifyReply) => unknown

/** `errorResponse` option: `'plain'` (text), `'json'` (a JSON string), `'json:KEY'` (`{KEY: message}`) or a function. */
export type ErrorResponseOption = 'plain' | 'json' | `json:${string}` | ErrorResponseFn

/** Sends an error response; compiled once from the option so no per-request parsing happens. */
export type ErrorFormatter = (reply: FastifyReply, status: number, message: string, headers?: Record<string, string>) => FastifyReply

/**
 * Compile the `errorResponse` option into a sender. `serverError` is the status the internal
 * errors the plugin sends get instead of 500 (FlaskSimpleAuth's `FSA_SERVER_ERROR`).
 */
export function compileErrorFormatter (option: ErrorResponseOption, serverError = 500): ErrorFormatter {
  let body: (message: string, status: number, reply: FastifyReply) => unknown
  if (typeof option === 'function') {
    body = option
  } else if (option === 'plain') {
    body = (message, _status, reply) => { reply.type('text/plain; charset=utf-8'); return message }
  } else if (option === 'json') {
    body = (message, _status, reply) => { reply.type('application/json; charset=utf-8'); return JSON.stringify(message) }
  } else {
    const key = option.slice('json:'.length)
    body = (message, _status, reply) => { reply.type('application/json; charset=utf-8'); return JSON.stringify({ [key]: message }) }
  }
  return (reply, status, message, headers) => {
    reply.code(status === 500 ? serverError : status)
    if (headers !== undefined) reply.headers(headers)
    return reply.send(body(message, status, reply))
  }
}

/** The schema of the `errorResponse` option (`json:KEY` needs a key that is a plain name). */
export const ErrorResponseSchema = Type.Unsafe<ErrorResponseOption>(Type.Union([
  Type.String({ pattern: '^(plain|json|json:[A-Za-z_$][\\w$-]*)$' }),
  Fn<ErrorResponseFn>()
], { expected: '"plain", "json", "json:KEY" or a function' }))
