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
import { planPart, type FieldPlan, type PartPlan } from './field-plan.js'
import { isBag, isFormType, setOwn, type Bag } from './merge.js'
import { ajvLines, joinLines, quote, type HttpPart } from './messages.js'
import type { ParamSettings } from './settings.js'

const PARTS: readonly HttpPart[] = ['params', 'body', 'querystring', 'headers']
const NO_FIELDS: ReadonlyMap<string, FieldPlan> = new Map()
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

function planBody (schema: unknown): PartPlan | undefined {
  // per-content-type body schemas: names cannot be known for every type, accept them all
  if (isBag(schema) && schema.content !== undefined) return { fields: new Map(), open: true }
  return planPart(schema)
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

/**
 * Compile the parameter step of a route, or return `null` when the route declares no
 * `querystring`, `body` or `params` schema (such routes are not checked). The returned hook
 * either calls `done()` or sends the error response: 400 with one line per problem, or 404 when a
 * path parameter does not convert. It is synchronous except for a GET request with a JSON or form
 * body, which Fastify leaves unread and the hook reads first (so call it as a callback hook).
 *
 * @example
 *   fastify.addHook('onRoute', (routeOptions) => {
 *     const hook = compileRouteParams(routeOptions, settings)
 *     if (hook !== null) routeOptions.preValidation = [...toArray(routeOptions.preValidation), hook]
 *   })
 */
export function compileRouteParams (routeOptions: RouteOptions, settings: ParamSettings): preValidationHookHandler | null {
  const schema = routeOptions.schema as Bag | undefined
  if (!isBag(schema)) return null
  const query = planPart(schema.querystring)
  const body = planBody(schema.body)
  if (query === undefined && body === undefined && schema.params === undefined) return null

  const reject = settings.rejectUnexpectedParam
  const auth = new Set(settings.authParams)
  const queryFields = query?.fields ?? NO_FIELDS
  const bodyFields = body?.fields ?? NO_FIELDS
  const queryOpen = !reject || query?.open === true
  const bodyOpen = !reject || body?.open === true
  const hasBodySchema = body !== undefined
  const parts = PARTS.filter((p) => schema[p] !== undefined)
  // with one part Fastify's own validation already reports all its errors
  const validateAll = parts.length > 1

  const run = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const st: RunState = { problems: [], failedQuery: undefined, failedBody: undefined }
    const problems = st.problems
    const req = request as unknown as Bag
    const q: Bag = isBag(request.query) ? request.query : {}
    const form = isFormType(request.headers['content-type'])
    const rawBody = request.body
    const bag = isBag(rawBody)
    const b: Bag | undefined = bag ? rawBody : undefined
    // snapshot names first: moved values must not be decoded twice
    const qKeys = Object.keys(q)
    const bKeys = b !== undefined ? Object.keys(b) : []

    for (const key of bKeys) {
      const own = bodyFields.get(key)
      if (own !== undefined) {
        if (form && own.kind !== 'plain') {
          const r = decodeField(st, b![key], own, key, 'body')
          if (r.ok) setOwn(b!, key, r.value)
        }
        continue
      }
      const other = queryFields.get(key)
      if (other !== undefined) {
        const r = form ? decodeField(st, b![key], other, key, 'body') : { ok: true, value: b![key] }
        if (!r.ok) (st.failedQuery ??= new Set()).add(key) // a query field sent in the body: do not also report it missing
        if (Object.hasOwn(q, key)) problems.push(`parameter ${quote(key)} given both in query and body`)
        else if (r.ok) setOwn(q, key, r.value)
        delete b![key]
      } else if (auth.has(key)) {
        delete b![key]
      } else if (!bodyOpen) {
        problems.push(`unexpected parameter ${quote(key)} (body)`)
      }
    }

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
      if (other !== undefined && (bag || rawBody === undefined || rawBody === null)) {
        const r = decodeField(st, q[key], other, key, 'query')
        if (!r.ok) (st.failedBody ??= new Set()).add(key) // a body field sent in the query: do not also report it missing
        if (target === undefined) { target = {}; req.body = target }
        if (b !== undefined && Object.hasOwn(b, key)) problems.push(`parameter ${quote(key)} given both in query and body`)
        else if (r.ok) setOwn(target, key, r.value)
        delete q[key]
      } else if (other !== undefined) {
        // the body is not an object: its own validation reports that
      } else if (auth.has(key)) {
        delete q[key]
      } else if (!queryOpen) {
        problems.push(`unexpected parameter ${quote(key)} (query)`)
      }
    }

    if (!bag && !hasBodySchema && !bodyOpen && rawBody !== undefined && rawBody !== null && rawBody !== '') {
      problems.push('unexpected request body')
    }

    if (problems.length > 0 || validateAll) {
      try {
        const path = parts.includes('params') ? check(request, 'params', NO_NAMES) : []
        if (path.length > 0) {
          const e = new FSA_ERR_PARAM_PATH(joinLines(path))
          settings.sendError(reply, e.statusCode, e.message)
          return
        }
        for (const part of parts) {
          if (part === 'body') problems.push(...check(request, part, st.failedBody ?? NO_NAMES))
          else if (part === 'querystring') problems.push(...check(request, part, st.failedQuery ?? NO_NAMES))
          else if (part === 'headers') problems.push(...check(request, part, NO_NAMES))
        }
      } catch {
        // an async validator or a foreign compiler: Fastify's own validation step handles it
      }
    }
    if (problems.length > 0) {
      const e = new FSA_ERR_PARAM_INVALID(joinLines(problems))
      settings.sendError(reply, e.statusCode, e.message)
      return
    }
    done()
  }

  return function fsaParams (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
    // hasGetBody is false once a hook has read the body (param credentials of a GET): see get-body.ts
    if (!hasGetBody(request)) { run(request, reply, done); return }
    readGetBody(request, (result) => {
      if (!result.ok) { settings.sendError(reply, result.status, result.message); return }
      request.body = result.body
      run(request, reply, done)
    })
  }
}
