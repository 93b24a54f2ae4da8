/**
 * Object permissions `[domain, param, mode]`: `objectPerms[domain](login, ...ids, mode)` decides
 * whether the caller may act on the object identified by the route's (converted) parameters.
 * `true` allows, `false` is a 403, `null`/`undefined` a 404. They run in `preHandler`, after
 * validation, so ids arrive converted by the route schema. Allowed and denied answers are cached
 * (kind `perm`); "not found" is not, since the object may be created a moment later.
 */
import type { FastifyRequest } from 'fastify'
import { FSA_ERR_AUTHZ_NOT_FOUND, FSA_ERR_AUTHZ_PERM } from '../errors/catalogue.js'
import type { CacheLayer } from '../cache/layer.js'
import type { ObjectPermission } from '../core/route-info.js'
import type { MaybePromise, ObjectPermFn } from '../core/types.js'
import { callbackFailure, describe } from './check-result.js'
import { FSA_ERR_CALLBACK_RESULT } from '../errors/catalogue.js'

/** Where a permission parameter is read from, decided once per route. */
export type ParamSource = 'params' | 'query' | 'body'

/** A compiled object permission of one route. */
export interface CompiledPermission {
  perm: ObjectPermission
  sources: ParamSource[]
  check: ObjectPermFn
  /** `object permission "<domain>"`, for errors. */
  what: string
  /** The result check, see {@link permissionValidator}. */
  validate: (v: unknown) => boolean | undefined
}

function read (request: FastifyRequest, source: ParamSource, name: string): unknown {
  const from = request[source] as Record<string, unknown> | undefined | null
  return from !== null && typeof from === 'object' && Object.prototype.hasOwnProperty.call(from, name) ? from[name] : undefined
}

function label (p: ObjectPermission, ids: unknown[]): string {
  return `${p.domain}:${ids.map((v) => String(v)).join(':')}${p.mode !== undefined ? ' (' + p.mode + ')' : ''}`
}

function verdict (p: ObjectPermission, ids: unknown[], v: boolean | null | undefined): void {
  if (v === true) return
  if (v === false) throw new FSA_ERR_AUTHZ_PERM(label(p, ids))
  throw new FSA_ERR_AUTHZ_NOT_FOUND(label(p, ids))
}

// Login and ids come from the request and may hold any character (a path parameter can hold a NUL
// as %00): each is written with its length, so no two (login, ids) tuples share a key.
function keyOf (c: CompiledPermission, login: string, ids: unknown[]): string {
  const mode = c.perm.mode ?? ''
  let key = `${c.perm.domain}\0${mode.length}:${mode}${login.length}:${login}`
  for (const v of ids) {
    const text = typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)
    key += `${typeof v}:${text.length}:${text}`
  }
  return key
}

function run (login: string, c: CompiledPermission, ids: unknown[], cache: CacheLayer): MaybePromise<boolean | null | undefined> {
  const key = keyOf(c, login, ids)
  return cache.memo('perm', key, login, () => {
    let r: unknown
    try { r = c.check(login, ...ids, c.perm.mode) } catch (e) { throw callbackFailure(c.what, e) }
    if (r instanceof Promise) return r.then(c.validate, (e) => { throw callbackFailure(c.what, e) })
    return c.validate(r)
  })
}

/**
 * The result check of a permission callback, built once per route: true and false are answers,
 * null/undefined "not found" (returned as undefined, which the cache does not keep), anything
 * else a bug reported as a 500.
 */
export function permissionValidator (what: string): (v: unknown) => boolean | undefined {
  return (v) => {
    if (v === true || v === false) return v
    if (v === null || v === undefined) return undefined // not cached: see the module comment
    throw new FSA_ERR_CALLBACK_RESULT(what, describe(v), 'true, false or null')
  }
}

/** Check every permission of the route in order; sync when answers are cached locally. */
export function checkPermissions (request: FastifyRequest, login: string, perms: readonly CompiledPermission[], cache: CacheLayer, i = 0): void | Promise<void> {
  for (; i < perms.length; i++) {
    const c = perms[i] as CompiledPermission
    const ids = c.perm.params.map((name, k) => read(request, c.sources[k] as ParamSource, name))
    if (ids.some((v) => v === undefined)) throw new FSA_ERR_AUTHZ_NOT_FOUND(label(c.perm, ids))
    const r = run(login, c, ids, cache)
    if (r instanceof Promise) {
      const at = i
      return r.then((v) => { verdict(c.perm, ids, v); return checkPermissions(request, login, perms, cache, at + 1) })
    }
    verdict(c.perm, ids, r)
  }
}
