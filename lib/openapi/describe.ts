/**
 * What an operation requires, said where a reader of the document looks: its description names
 * the schemes, groups, scopes and object permissions (not only `x-fsa-authorize`), closed routes
 * say so, and the `param` scheme's login and password appear as the request fields they are
 * (query fields for GET, body fields otherwise): an OpenAPI security scheme cannot describe a
 * login and a password sent as two parameters.
 */
import type { ObjectPermission, RouteSecurityInfo } from '../core/route-info.js'

type Schema = Record<string, unknown>

/** Methods whose `param` credentials travel in the query string. */
const QUERY_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS'])

const quoted = (names: readonly string[]): string => names.map((n) => `\`${n}\``).join(', ')

function permissionText (perm: ObjectPermission): string {
  const mode = perm.mode === undefined ? 'permission' : `permission \`${perm.mode}\``
  return `${mode} on \`${perm.domain}\` ${quoted(perm.params)}`
}

/**
 * One paragraph saying who may call the route.
 *
 * @example
 *   authorizationText({ ...info, groups: ['admin'], schemes: ['token', 'basic'] })
 *   // 'Authorization: authenticated (token, basic) and in group `admin`.'
 */
export function authorizationText (info: RouteSecurityInfo): string {
  if (info.early) return 'Closed: registered before fastify-simple-auth, every request is refused (403).'
  if (info.undeclared) return 'Closed: the route declares no `authorize`, every request is refused (403).'
  if (info.closed) return 'Closed: every request is refused (403).'
  if (info.open) return 'Open: no authentication.'
  const needs: string[] = []
  if (info.groups.length > 0) needs.push(`in group ${quoted(info.groups)}`)
  if (info.scopes.length > 0) needs.push(`granted scope ${quoted(info.scopes)}`)
  for (const perm of info.perms) needs.push(permissionText(perm))
  const how = info.schemes.length > 0 ? ` (${info.schemes.join(', ')})` : ''
  return `Authorization: authenticated${how}${needs.map((n) => ` and ${n}`).join('')}.`
}

/** The login and password fields of the `param` scheme, added to an object schema. */
function withFields (target: Schema | undefined, param: { user: string, pass: string }, required: boolean): Schema | undefined {
  if (target !== undefined && (target.type !== 'object' || typeof target.properties !== 'object')) return undefined
  const properties = {
    ...(target?.properties as Schema | undefined),
    [param.user]: { type: 'string', description: `Login: with \`${param.pass}\`, authenticates the request (\`param\` scheme).` },
    [param.pass]: { type: 'string', format: 'password', description: `Password: with \`${param.user}\`, authenticates the request (\`param\` scheme).` }
  }
  const previous = (target?.required as string[] | undefined) ?? []
  return { type: 'object', ...target, properties, ...(required || previous.length > 0 ? { required: [...previous, ...(required ? [param.user, param.pass] : [])] } : {}) }
}

/**
 * A copy of a route schema for the document: the authorization paragraph appended to its
 * description and, on routes that accept the `param` scheme, the credential fields (required when
 * `param` is the only scheme). A query or body schema that is not a plain object (a union, a
 * reference) keeps its shape; the description still names the fields.
 *
 * @example
 *   describeOperation({ response: { 201: Token } }, { ...info, method: 'POST', schemes: ['param'] }, { user: 'username', pass: 'password' })
 *   // { response: ..., description: 'Authorization: ...', body: { type: 'object', properties: { username, password }, required: [...] }, consumes: [...] }
 */
export function describeOperation (schema: Schema, info: RouteSecurityInfo, param: { user: string, pass: string }): Schema {
  const text = authorizationText(info)
  const paramOnly = info.schemes.length === 1
  const credentials = !info.open && !info.closed && info.schemes.includes('param')
  const out: Schema = { ...schema, description: typeof schema.description === 'string' ? `${schema.description}\n\n${text}` : text }
  if (!credentials) return out
  out.description = `${out.description as string} Credentials as parameters: \`${param.user}\` and \`${param.pass}\`.`
  // one schema serves every method of a route (`'HEAD,GET'`): the query only when all of them read it
  const where = info.method.split(',').every((m) => QUERY_METHODS.has(m)) ? 'querystring' : 'body'
  const fields = withFields(schema[where] as Schema | undefined, param, paramOnly)
  if (fields === undefined) return out
  out[where] = fields
  // forms are parsed on every route (lib/params/layer.ts): Swagger UI shows a form's fields one by one
  if (where === 'body' && schema.consumes === undefined) out.consumes = ['application/x-www-form-urlencoded', 'application/json']
  return out
}
