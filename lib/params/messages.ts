/**
 * One message for every parameter problem of a request, one line per problem, naming the
 * parameter and where it came from. Values are never echoed: they may be secrets (a password in a
 * form), and they could be huge.
 */
import type { ErrorObject } from 'ajv'
import type { FastifyError } from 'fastify'
import { FSA_ERR_PARAM_INVALID, FSA_ERR_PARAM_PATH } from '../errors/catalogue.js'

/** At most this many lines in a message; the rest are counted. */
export const MAX_LINES = 20

/** Request parts as Fastify names them in `error.validationContext`. */
export type HttpPart = 'params' | 'body' | 'querystring' | 'headers'

const DIGITS = /^\d+$/

const SOURCE: Record<string, string> = { params: 'path', body: 'body', querystring: 'query', query: 'query', headers: 'header', cookies: 'cookie' }

/** `where` of a parameter in messages: `path`, `body`, `query`, `header` or `cookie`. */
export function sourceName (part: string): string {
  return SOURCE[part] ?? part
}

/** `/who/born` → `who.born`, `/tags/1` → `tags[1]` (JSON pointer escapes undone). */
function dotted (pointer: string): string {
  let name = ''
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (DIGITS.test(seg) && name !== '') name += `[${seg}]`
    else name += name === '' ? seg : `.${seg}`
  }
  return name
}

/**
 * A parameter name as it appears in messages: JSON-quoted (a newline in a name cannot forge a
 * line) and cut at 64 characters (a name can be as long as the request).
 */
export function quote (name: string): string {
  return JSON.stringify(name.length > 64 ? name.slice(0, 64) + '…' : name)
}

/** The top-level parameter an Ajv error is about. */
function topName (pointer: string, params: Record<string, unknown>): string {
  if (pointer === '') return String(params.missingProperty ?? params.additionalProperty ?? '')
  const end = pointer.indexOf('/', 1)
  return pointer.slice(1, end === -1 ? undefined : end).replaceAll('~1', '/').replaceAll('~0', '~')
}

function join (base: string, child: string): string {
  return base === '' ? child : `${base}.${child}`
}

/**
 * Turn Ajv errors of one part into message lines. Errors of the branches of a failed
 * `anyOf`/`oneOf` are dropped: the composite's own error says it better, and so are errors of
 * the top-level names in `skip` (already reported, e.g. as invalid JSON).
 *
 * @example
 *   ajvLines([{ instancePath: '/n', keyword: 'type', message: 'must be integer', ... }], 'querystring')
 *   // ['parameter "n" (query): must be integer']
 */
export function ajvLines (errors: readonly ErrorObject[], part: string, skip?: ReadonlySet<string>): string[] {
  const where = sourceName(part)
  const composites: string[] = []
  for (const e of errors) if (e.keyword === 'anyOf' || e.keyword === 'oneOf') composites.push(e.schemaPath + '/')
  const lines = new Set<string>()
  for (const e of errors) {
    if (composites.some((c) => e.schemaPath.startsWith(c))) continue
    const name = dotted(e.instancePath)
    const params = e.params as Record<string, unknown>
    if (skip !== undefined && skip.has(topName(e.instancePath, params))) continue
    if (e.keyword === 'required') {
      lines.add(`missing parameter ${quote(join(name, String(params.missingProperty)))} (${where})`)
    } else if (e.keyword === 'additionalProperties') {
      lines.add(`unexpected parameter ${quote(join(name, String(params.additionalProperty)))} (${where})`)
    } else if (name === '') {
      lines.add(`${where}: ${e.message ?? 'is invalid'}`)
    } else {
      lines.add(`parameter ${quote(name)} (${where}): ${e.message ?? 'is invalid'}`)
    }
  }
  return [...lines]
}

/** Join problem lines into one message, keeping at most {@link MAX_LINES}. */
export function joinLines (lines: readonly string[]): string {
  if (lines.length <= MAX_LINES) return lines.join('\n')
  return [...lines.slice(0, MAX_LINES), `... and ${lines.length - MAX_LINES} more problems`].join('\n')
}

/**
 * The message of a Fastify validation error (`error.validation`, `error.validationContext`):
 * every problem of the part, one per line. Other errors keep their message.
 *
 * @example
 *   app.setErrorHandler((error, req, reply) => {
 *     if (error.validation) return sendError(reply, error.statusCode ?? 400, formatValidationError(error))
 *   })
 */
export function formatValidationError (error: FastifyError): string {
  if (!Array.isArray(error.validation)) return error.message
  const lines = ajvLines(error.validation as ErrorObject[], error.validationContext ?? 'body')
  return lines.length > 0 ? joinLines(lines) : error.message
}

/**
 * Fastify `schemaErrorFormatter`: validation errors become `FSA_ERR_PARAM_INVALID` (400), or
 * `FSA_ERR_PARAM_PATH` (404) for path parameters, as a path that does not convert names no
 * resource. The message is {@link formatValidationError}'s.
 */
export function schemaErrorFormatter (errors: FastifyError['validation'], dataVar: string): Error {
  const message = joinLines(ajvLines((errors ?? []) as ErrorObject[], dataVar))
  return dataVar === 'params' ? new FSA_ERR_PARAM_PATH(message) : new FSA_ERR_PARAM_INVALID(message)
}

/**
 * The catalogue error of a Fastify validation error: what the route error handler sends for a
 * route whose schemas the plugin compiled.
 */
export function validationFailure (error: FastifyError): Error {
  return schemaErrorFormatter(error.validation, error.validationContext ?? 'body')
}
