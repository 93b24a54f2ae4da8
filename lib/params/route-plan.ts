/**
 * What the parameter step knows of a route at start-up (route-params.ts runs it per request): the
 * fields of each part, which parts accept names they do not declare, which parts to validate.
 */
import type { RouteOptions } from 'fastify'
import { planPart, type FieldPlan, type PartPlan } from './field-plan.js'
import { isBag, type Bag } from './merge.js'
import type { HttpPart } from './messages.js'
import type { ParamSettings } from './settings.js'

const PARTS: readonly HttpPart[] = ['params', 'body', 'querystring', 'headers']
const NO_FIELDS: ReadonlyMap<string, FieldPlan> = new Map()

function planBody (schema: unknown): PartPlan | undefined {
  // per-content-type body schemas: names cannot be known for every type, accept them all
  if (isBag(schema) && schema.content !== undefined) return { fields: new Map(), open: true }
  return planPart(schema)
}

/** Whether a body schema is an object of named fields: then a request without a body has none of them. */
function isObjectSchema (schema: unknown): boolean {
  return isBag(schema) && schema.content === undefined && (schema.type === 'object' || isBag(schema.properties))
}

/** Whether the route refuses names it does not declare: `config.unexpectedParams`, else the option. */
function rejectsUnexpected (routeOptions: RouteOptions, settings: ParamSettings): boolean {
  const choice = (routeOptions.config as { unexpectedParams?: unknown } | undefined)?.unexpectedParams
  return choice === undefined ? settings.rejectUnexpectedParam : choice === 'reject'
}

/**
 * What is known of a route's parameters at start-up: the fields of each part, which parts accept
 * unexpected names, which parts have a schema to validate.
 */
export interface ParamsPlan {
  queryFields: ReadonlyMap<string, FieldPlan>
  bodyFields: ReadonlyMap<string, FieldPlan>
  queryOpen: boolean
  bodyOpen: boolean
  hasBodySchema: boolean
  /** The body schema is an object: a request without a body is an empty set of parameters. */
  bodyObject: boolean
  /** The route declares no parameter schema at all (it takes none but credentials). */
  none: boolean
  parts: readonly HttpPart[]
  /** Validate every part here, to report all problems at once (one part: Fastify's own validation does). */
  validateAll: boolean
  /** Credential names (exempt and removed once read). */
  auth: ReadonlySet<string>
  sendError: ParamSettings['sendError']
}

/**
 * Step 1, at start-up: the plan of a route, or `null` when it has no querystring, body or params
 * schema and accepts unexpected names (nothing to check).
 */
export function planRouteParams (routeOptions: RouteOptions, settings: ParamSettings): ParamsPlan | null {
  const schema: Bag = isBag(routeOptions.schema) ? routeOptions.schema : {}
  const query = planPart(schema.querystring)
  const body = planBody(schema.body)
  const reject = rejectsUnexpected(routeOptions, settings)
  const none = query === undefined && body === undefined && schema.params === undefined
  if (none && !reject) return null
  const parts = none ? [] : PARTS.filter((p) => schema[p] !== undefined)
  return {
    queryFields: query?.fields ?? NO_FIELDS,
    bodyFields: body?.fields ?? NO_FIELDS,
    queryOpen: !reject || query?.open === true,
    bodyOpen: !reject || body?.open === true,
    hasBodySchema: body !== undefined,
    bodyObject: isObjectSchema(schema.body),
    none,
    parts,
    validateAll: parts.length > 1,
    auth: new Set(settings.authParams),
    sendError: settings.sendError
  }
}
