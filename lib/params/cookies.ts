/**
 * Cookie parameters (FlaskSimpleAuth's `Cookie` parameters): a route declares them as a TypeBox
 * object in `config.cookies` (Fastify has no cookie part in `schema`); the plugin's Ajv validates
 * and converts them in the parameter step (their own 400), and the handler finds the values in
 * `request.cookieParams`. Cookies a route does not declare are ignored, never refused: a browser
 * sends every cookie of the site.
 */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify'
import type { Ajv } from 'ajv'
import { FSA_ERR_PARAM_INVALID } from '../errors/catalogue.js'
import type { ErrorFormatter } from '../errors/format.js'
import { isBag, setOwn, type Bag } from './merge.js'
import { ajvLines, joinLines } from './messages.js'
import { nullFirst } from './null-first.js'
import { neverThrow } from './validator.js'

type Hook = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void

/** The cookies of a `Cookie` header as own properties (RFC 6265 pairs; undecodable values kept as sent). */
export function parseCookies (header: string | undefined): Bag {
  const out: Bag = Object.create(null)
  if (header === undefined) return out
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq < 0) continue
    const name = pair.slice(0, eq).trim()
    let value = pair.slice(eq + 1).trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length > 1) value = value.slice(1, -1)
    try { value = decodeURIComponent(value) } catch { /* kept as sent */ }
    // the first of two cookies of one name is the most specific one (RFC 6265, 5.4)
    if (name !== '' && !Object.hasOwn(out, name)) setOwn(out, name, value)
  }
  return out
}

/**
 * The cookie step of a route declaring `config.cookies`, or `null`. `ajv` gives the plugin's Ajv
 * (created on first use).
 */
export function compileCookieParams (route: RouteOptions, ajv: () => Ajv, sendError: ErrorFormatter): Hook | null {
  const schema = (route.config as { cookies?: unknown } | undefined)?.cookies
  // the route compiler refuses anything but an object schema
  if (!isBag(schema)) return null
  const validate = neverThrow(ajv().compile({ ...nullFirst(schema), additionalProperties: true }))
  return function fsaCookies (request, reply, done) {
    const cookies = parseCookies(request.headers.cookie)
    if (validate(cookies)) {
      request.cookieParams = cookies
      done()
      return
    }
    const e = new FSA_ERR_PARAM_INVALID(joinLines(ajvLines(validate.errors ?? [], 'cookies')))
    sendError(reply, e.statusCode, e.message)
  }
}
