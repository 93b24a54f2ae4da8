/**
 * GET {prefix}/me (AUTH): the caller's profile and groups; GET, PUT and PATCH {prefix}/me/data
 * (AUTH): the caller's custom JSON object.
 *
 * PATCH is an RFC 7396 JSON merge patch, accepted as `application/merge-patch+json` or plain
 * `application/json`; the store applies it in one transaction, so concurrent patches never lose
 * an acknowledged update. The object is capped at `dataLimit` bytes of serialized JSON (413
 * beyond); the route body limit is set a little above so whitespace in the request is not what
 * decides.
 */
import { FSA_ERR_STORE_NOT_FOUND } from '../errors/catalogue.js'
import { requireUser } from '../core/require-user.js'
import type { AccountContext, AccountScope } from './context.js'
import { userView } from './context.js'
import { DataSchema, ErrorDoc, NoContent, UserSchema } from './schemas.js'

/** Media type of RFC 7396 merge patches. */
export const MERGE_PATCH = 'application/merge-patch+json'

/** The request body limit of the data routes for a data cap: twice the cap plus 1 KiB. */
export function dataBodyLimit (dataLimit: number): number {
  return dataLimit * 2 + 1024
}

/** Register the `me` route (when enabled) on `scope` (already prefixed). */
export function meRoutes (scope: AccountScope, ctx: AccountContext): void {
  scope.get('/me', {
    config: { authorize: 'AUTH' },
    schema: {
      summary: 'The authenticated user: profile and groups',
      tags: ['accounts'],
      response: { 200: UserSchema, 401: ErrorDoc('not authenticated'), 503: ErrorDoc('user store unavailable') }
    }
  }, async (request) => {
    const login = requireUser(request)
    const [user, groups] = await Promise.all([ctx.store.getUser(login), ctx.store.groupsOf(login)])
    // deleted between authentication and now
    if (user === null) throw new FSA_ERR_STORE_NOT_FOUND(`no such user "${login}"`)
    return userView(user, groups)
  })
}

/** Register the custom-data routes on `scope` (already prefixed, with the merge-patch parser). */
export function dataRoutes (scope: AccountScope, ctx: AccountContext): void {
  const limit = ctx.options.dataLimit
  const bodyLimit = dataBodyLimit(limit)
  const errors = {
    401: ErrorDoc('not authenticated'),
    503: ErrorDoc('user store unavailable')
  }
  const writeErrors = {
    ...errors,
    400: ErrorDoc('the body is not a JSON object'),
    413: ErrorDoc(`custom data larger than ${limit} bytes`),
    415: ErrorDoc('unsupported content type')
  }
  scope.get('/me/data', {
    config: { authorize: 'AUTH' },
    schema: { summary: 'The custom data of the authenticated user', tags: ['accounts'], response: { 200: DataSchema, ...errors } }
  }, async (request) => await ctx.store.getData(requireUser(request)))

  scope.put('/me/data', {
    config: { authorize: 'AUTH' },
    bodyLimit,
    schema: { summary: 'Replace the custom data', tags: ['accounts'], body: DataSchema, response: { 204: NoContent, ...writeErrors } }
  }, async (request, reply) => {
    await ctx.store.setData(requireUser(request), request.body, limit)
    return reply.code(204).send(null)
  })

  scope.patch('/me/data', {
    config: { authorize: 'AUTH' },
    bodyLimit,
    schema: {
      summary: 'Merge-patch the custom data (RFC 7396)',
      tags: ['accounts'],
      body: DataSchema,
      response: { 200: DataSchema, ...writeErrors }
    }
  }, async (request) => await ctx.store.patchData(requireUser(request), request.body, limit))
}
