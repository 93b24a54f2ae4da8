/**
 * `JsonData`: a parameter that may hold any JSON value. In a JSON body it is taken as is; in a
 * query string or a form body it is JSON text, decoded before validation
 * (`?who={"name":"Hobbes"}`). The `x-fsa-json` marker is how the parameter compiler finds it; the
 * plugin's Ajv declares the keyword so strict mode accepts it, and @fastify/swagger copies it into
 * the document as an extension.
 */
import { Type } from '../options/schema.js'

/** The schema keyword that marks a JSON-text parameter. */
export const JSON_KEYWORD = 'x-fsa-json'

/** Any JSON value: null, a boolean, a number, a string, a list or an object of JSON values. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/**
 * Any JSON value, including `null`, decoded from JSON text when it comes from a query string or a
 * form body. Always combine with `Type.Optional` when the parameter may be absent.
 *
 * @example
 *   import { Type } from 'typebox'
 *   import { JsonData } from 'fastify-simple-auth'
 *
 *   app.get('/echo', {
 *     config: { authorize: 'OPEN' },
 *     schema: { querystring: Type.Object({ j: JsonData }) }
 *   }, async (req) => ({ got: req.query.j }))   // GET /echo?j={"a":[1,2]} → {"got":{"a":[1,2]}}
 */
export const JsonData = Type.Unsafe<JsonValue>({ [JSON_KEYWORD]: true })
