/**
 * The per-route parameter step, compiled once in `onRoute` and run in `preValidation` after
 * authentication: merges parameter sources, decodes JSON carried in text, rejects unexpected
 * names, and reports every problem of the request in one 400.
 */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, preValidationHookHandler, RouteOptions } from 'fastify'
import type { ErrorObject } from 'ajv'
import { FSA_ERR_PARAM_INVALID, FSA_ERR_PARAM_PATH } from '../errors/catalogue.js'
import { decodeText } from './decode.js'
import { hasGetBody, readGetBody } from './get-body.js'
import type { FieldPlan } from './field-plan.js'
import { planRouteParams, type ParamsPlan } from './route-plan.js'
import { isBag, isFormType, setOwn, type Bag } from './merge.js'
import { ajvLines, joinLines, quote, type HttpPart } from './messages.js'
import type { ParamSettings } from './settings.js'
import { isMultipartType, multipartParams } from './uploads.js'

const NO_NAMES: ReadonlySet<string> = new Set()

type Validator = ((data: unknown, ctx?: unknown) => unknown) & { errors?: ErrorObject[] | null, schemaEnv?: unknown }

/** Run the route's compiled validator of one part, as Fastify would, and return its problem lines. */
function check (request: FastifyRequest, part: HttpPart, skip: ReadonlySet<string>): string[] {
  let fn = request.getValidationFunction(part) as unknown
  // a body schema given per content type (`body.content`) compiles to one validator per media type
  if (fn !== null && typeof fn === 'object') fn = (fn as Record<string, unknown>)[request.mediaType ?? '']
  if (typeof fn !== 'function') return []
  const validate = fn as Validator
  const key = part === 'querystring' ? 'query' : part
  const req = request as unknown as Bag
  const data = req[key] ?? null
  const ok = validate.schemaEnv !== undefined ? validate(data, { parentData: req, parentDataProperty: key }) : validate(data)
  if (ok === false) return ajvLines(validate.errors ?? [], part, skip)
  const error = (ok as { error?: unknown } | null)?.error
  return error instanceof Error ? [`${part}: ${error.message}`] : []
}

/**
 * Per-request state of the parameter hook. The sets of names whose text could not be decoded
 * (their validation errors would only repeat that) are created on the first failure only, so a
 * request without problems allocates nothing beyond this record.
 */
interface RunState {
  problems: string[]
  failedQuery: Set<string> | undefined
  failedBody: Set<string> | undefined
}

function decodeField (st: RunState, value: unknown, plan: FieldPlan, name: string, where: 'query' | 'body'): { ok: boolean, value: unknown } {
  const r = decodeText(value, plan)
  if (r.ok) return r
  st.problems.push(`parameter ${quote(name)} (${where}): ${r.reason}`)
  if (where === 'query') (st.failedQuery ??= new Set()).add(name)
  else (st.failedBody ??= new Set()).add(name)
  return { ok: false, value }
}

/** Step 2, per request: body names: decode own fields, move query fields to the query, drop credentials, report the unexpected. */
function mergeBody (plan: ParamsPlan, st: RunState, q: Bag, b: Bag, bKeys: readonly string[], form: boolean): void {
  const { bodyFields, queryFields, auth, bodyOpen } = plan
  for (const key of bKeys) {
    const own = bodyFields.get(key)
    if (own !== undefined) {
      if (form && own.kind !== 'plain') {
        const r = decodeField(st, b[key], own, key, 'body')
        if (r.ok) setOwn(b, key, r.value)
      }
      continue
    }
    const other = queryFields.get(key)
    if (other !== undefined) {
      const r = form ? decodeField(st, b[key], other, key, 'body') : { ok: true, value: b[key] }
      if (!r.ok) (st.failedQuery ??= new Set()).add(key) // a query field sent in the body: do not also report it missing
      if (Object.hasOwn(q, key)) st.problems.push(`parameter ${quote(key)} given both in query and body`)
      else if (r.ok) setOwn(q, key, r.value)
      delete b[key]
    } else if (auth.has(key)) {
      delete b[key]
    } else if (!bodyOpen) {
      st.problems.push(`unexpected parameter ${quote(key)} (body)`)
    }
  }
}

/** Step 3, per request: query names, the same way; body fields sent in the query move to the body. */
function mergeQuery (plan: ParamsPlan, st: RunState, request: FastifyRequest, q: Bag, qKeys: readonly string[], b: Bag | undefined): void {
  const { bodyFields, queryFields, auth, queryOpen } = plan
  const rawBody = request.body
  // body fields sent in the query go to the body when it is an object or absent
  const movable = b !== undefined || rawBody === undefined || rawBody === null
  let target = b
  for (const key of qKeys) {
    const own = queryFields.get(key)
    if (own !== undefined) {
      if (own.kind !== 'plain') {
        const r = decodeField(st, q[key], own, key, 'query')
        if (r.ok) setOwn(q, key, r.value)
      }
      continue
    }
    const other = bodyFields.get(key)
    if (other !== undefined && movable) {
      const r = decodeField(st, q[key], other, key, 'query')
      if (!r.ok) (st.failedBody ??= new Set()).add(key) // a body field sent in the query: do not also report it missing
      if (target === undefined) { target = {}; (request as unknown as Bag).body = target }
      if (b !== undefined && Object.hasOwn(b, key)) st.problems.push(`parameter ${quote(key)} given both in query and body`)
      else if (r.ok) setOwn(target, key, r.value)
      delete q[key]
    } else if (other !== undefined) {
      // the body is not an object: its own validation reports that
    } else if (auth.has(key)) {
      delete q[key]
    } else if (!queryOpen) {
      st.problems.push(`unexpected parameter ${quote(key)} (query)`)
    }
  }
}

/**
 * Step 4, per request: run the route's validators when there are problems already or several
 * parts, so that one 400 lists everything. Returns `false` when it sent a 404 (a path parameter
 * that does not convert means no such resource).
 */
function validateParts (plan: ParamsPlan, st: RunState, request: FastifyRequest, reply: FastifyReply): boolean {
  try {
    const path = plan.parts.includes('params') ? check(request, 'params', NO_NAMES) : []
    if (path.length > 0) {
      const e = new FSA_ERR_PARAM_PATH(joinLines(path))
      plan.sendError(reply, e.statusCode, e.message)
      return false
    }
    for (const part of plan.parts) {
      if (part === 'body') st.problems.push(...check(request, part, st.failedBody ?? NO_NAMES))
      else if (part === 'querystring') st.problems.push(...check(request, part, st.failedQuery ?? NO_NAMES))
      else if (part === 'headers') st.problems.push(...check(request, part, NO_NAMES))
    }
  } catch {
    // an async validator or a foreign compiler: Fastify's own validation step handles it
  }
  return true
}

/** The parameter step of one request: merge, decode, validate, then `done()` or one error response. */
function runParams (plan: ParamsPlan, request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const st: RunState = { problems: [], failedQuery: undefined, failedBody: undefined }
  const q: Bag = isBag(request.query) ? request.query : {}
  // no body at all is an empty set of parameters: the validation names every missing one
  if (request.body === undefined && plan.bodyObject) request.body = {}
  const type = request.headers['content-type']
  const multipart = isMultipartType(type)
  if (multipart && isBag(request.body)) request.body = multipartParams(request.body)
  const rawBody = request.body
  const b: Bag | undefined = isBag(rawBody) ? rawBody : undefined
  // snapshot names first: moved values must not be decoded twice
  const qKeys = Object.keys(q)
  if (b !== undefined) mergeBody(plan, st, q, b, Object.keys(b), multipart || isFormType(type))
  mergeQuery(plan, st, request, q, qKeys, b)
  if (b === undefined && !plan.hasBodySchema && !plan.bodyOpen && rawBody !== undefined && rawBody !== null && rawBody !== '') {
    st.problems.push('unexpected request body')
  }
  if ((st.problems.length > 0 || plan.validateAll) && !validateParts(plan, st, request, reply)) return
  if (st.problems.length > 0) {
    const e = new FSA_ERR_PARAM_INVALID(joinLines(st.problems))
    plan.sendError(reply, e.statusCode, e.message)
    return
  }
  done()
}

/** Whether a parsed query string holds no name (a loop that stops at once: no allocation). */
function isEmpty (query: unknown): boolean {
  for (const _ in query as Bag) return false
  return true
}

/**
 * Compile the parameter step of a route, or return `null` when the route has nothing to check: no
 * `querystring`, `body` or `params` schema and unexpected names accepted. A route without any of
 * these schemas takes no parameter but credentials: its hook costs a look at the query and body
 * when there are none. The returned hook either calls `done()` or sends the error response: 400
 * with one line per problem, or 404 when a path parameter does not convert. It is synchronous
 * except for a GET request with a JSON or form body, which Fastify leaves unread and the hook
 * reads first (so call it as a callback hook).
 *
 * @example
 *   fastify.addHook('onRoute', (routeOptions) => {
 *     const hook = compileRouteParams(routeOptions, settings)
 *     if (hook !== null) routeOptions.preValidation = [...toArray(routeOptions.preValidation), hook]
 *   })
 */
export function compileRouteParams (routeOptions: RouteOptions, settings: ParamSettings): preValidationHookHandler | null {
  const plan = planRouteParams(routeOptions, settings)
  if (plan === null) return null
  function fsaParams (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    // hasGetBody is false once a hook has read the body (param credentials of a GET): see get-body.ts
    if (!hasGetBody(request)) { runParams(plan as ParamsPlan, request, reply, done); return }
    readGetBody(request, (result) => {
      if (!result.ok) { settings.sendError(reply, result.status, result.message); return }
      request.body = result.body
      runParams(plan as ParamsPlan, request, reply, done)
    })
  }
  if (!plan.none) return fsaParams
  return function fsaNoParams (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
    if (request.body === undefined && isEmpty(request.query) && !hasGetBody(request)) { done(); return }
    fsaParams(request, reply, done)
  }
}
