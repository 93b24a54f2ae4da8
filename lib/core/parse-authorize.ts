/**
 * Parsing `config.authorize` into requirements, once per route at start-up. A declaration is one
 * requirement or a list of requirements that must all hold:
 * - `'OPEN'` (nobody needs to authenticate; cannot be combined with anything),
 * - `'AUTH'` (any authenticated user), `'CLOSE'` (nobody; wins over everything),
 *   also spelt as in FlaskSimpleAuth: `'NOAUTH'` (OPEN), `'AUTHENTICATED'` (AUTH), `'NOBODY'` (CLOSE),
 * - a group name (or a scope on `oauth` routes),
 * - an object permission `[domain, param?, mode?]`, written `perm(domain, param, mode)`.
 * Because a list is always a list of requirements, `['a', 'b']` means groups a and b; a lone object
 * permission is `[['stuff', 'sid', 'owner']]`, which is what `perm()` returns.
 */
import type { Authorize, PermissionTuple } from './types.js'

/** The parsed declaration. */
export interface ParsedAuthorize {
  open: boolean
  closed: boolean
  /** Group (or scope) names. */
  names: string[]
  perms: Array<{ domain: string, params: string[] | undefined, mode: string | undefined }>
}

const RESERVED = new Set(['OPEN', 'AUTH', 'CLOSE'])
/** FlaskSimpleAuth's other spellings of the three special requirements. */
const ALIASES: ReadonlyMap<string, string> = new Map([['NOAUTH', 'OPEN'], ['AUTHENTICATED', 'AUTH'], ['NOBODY', 'CLOSE']])
const IDENT = /^[A-Za-z_$][\w$]*$/

/**
 * An object permission requirement, ready to use alone or in a list:
 * `authorize: perm('stuff', 'sid', 'owner')` or `authorize: ['admin', perm('stuff', 'sid')]`.
 *
 * @param domain a key of the `objectPerms` option
 * @param param the route parameter(s) holding the object id (`'a:b'` for several); default: the first path parameter
 * @param mode a free string passed last to the checker
 * @example app.patch('/stuff/:sid', { config: { authorize: perm('stuff', 'sid', 'owner') } }, handler)
 */
export function perm (domain: string, param?: string, mode?: string): [PermissionTuple] {
  const tuple: string[] = [domain]
  if (param !== undefined || mode !== undefined) tuple.push(param ?? '')
  if (mode !== undefined) tuple.push(mode)
  return [Object.freeze(tuple) as unknown as PermissionTuple]
}

/** Parse a declaration; returns an error message instead of throwing so the caller can name the route. */
export function parseAuthorize (value: Authorize | unknown): ParsedAuthorize | string {
  const out: ParsedAuthorize = { open: false, closed: false, names: [], perms: [] }
  if (value === null || (typeof value !== 'string' && !Array.isArray(value))) {
    return `authorize must be a string or a list, got ${value === null ? 'null' : typeof value}`
  }
  const items: unknown[] = typeof value === 'string' ? [value] : value
  if (items.length === 0) return 'authorize is an empty list: declare \'CLOSE\' to close a route'
  // perm() used inside a list: ['admin', perm('stuff', 'sid')] nests one level more
  const flat = items.flatMap((x) => Array.isArray(x) && x.length > 0 && x.every((y) => Array.isArray(y)) ? x : [x])
  for (const given of flat) {
    // an alias is the same requirement, never a group of that name
    const item = typeof given === 'string' ? ALIASES.get(given) ?? given : given
    if (typeof item === 'string') {
      if (item === '') return 'an empty string is not a requirement'
      if (item === 'OPEN') out.open = true
      else if (item === 'CLOSE') out.closed = true
      else if (item !== 'AUTH') out.names.push(item)
      continue
    }
    if (Array.isArray(item)) {
      if (item.length < 1 || item.length > 3) return `an object permission is [domain, param, mode], got ${item.length} values`
      const [domain, param, mode] = item as unknown[]
      if (typeof domain !== 'string' || domain === '') return 'an object permission needs a domain name first'
      if (param !== undefined && typeof param !== 'string') return `the parameter of permission "${domain}" must be a string`
      if (mode !== undefined && typeof mode !== 'string') return `the mode of permission "${domain}" must be a string`
      let params: string[] | undefined
      if (param !== undefined && param !== '') {
        params = param.split(':')
        const bad = params.find((p) => !IDENT.test(p))
        if (bad !== undefined) return `permission "${domain}": "${bad}" is not a parameter name`
      }
      out.perms.push({ domain, params, mode })
      continue
    }
    return `unexpected requirement of type ${item === null ? 'null' : typeof item}`
  }
  if (out.open && flat.length > 1) return '\'OPEN\' cannot be combined with other requirements'
  if (out.names.some((n) => RESERVED.has(n))) return 'reserved word used as a group'
  return out
}
