/**
 * `JsonData`: a parameter that may hold any JSON value. In a JSON body it is taken as is; in a
 * query string or a form body it is JSON text, decoded before validation
 * (`?who={"name":"Hobbes"}`). The `x-fsa-json` marker is how the parameter compiler finds it; the
 * plugin's Ajv declares the keyword so strict mode accepts it, and @fastify/swagger copies it into
 * the document as an extension.
 */
import type { TUnsafe } from 'typebox'

/** The schema keyword that marks a JSON-text parameter. */
export const JSON_KEYWORD = 'x-fsa-json'

/** Any JSON value: null, a boolean, a number, a string, a list or an object of JSON values. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/**
 * Any JSON value, including `null`, decoded from JSON text when it comes from a query string or a
 * form body. Always combine with `Type.Optional` when the parameter may be absent.
 *
 * @example
 *   import type { TUnsafe } from 'typebox'
 *   import { JsonData } from 'fastify-simple-auth'
 *
 *   app.get('/echo', {
 *     config: { authorize: 'OPEN' },
 *     schema: { querystring: Type.Object({ j: JsonData }) }
 *   }, async (req) => ({ got: req.query.j }))   // GET /echo?j={"a":[1,2]} → {"got":{"a":[1,2]}}
 */
export const JsonData: TUnsafe<JsonValue> = unsafe({ [JSON_KEYWORD]: true })

/**
 * What TypeBox's `Type.Unsafe` builds (the schema with a hidden `~unsafe` marker), written out so
 * that the main entry does not load TypeBox's builder at import (it is a few hundred modules).
 */
function unsafe<T> (schema: Record<string, unknown>): TUnsafe<T> {
  return Object.defineProperty(schema, '~unsafe', { value: null, writable: true, enumerable: false, configurable: true }) as unknown as TUnsafe<T>
}
