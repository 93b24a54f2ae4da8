/**
 * Admin routes on groups, for members of `adminGroup`: GET/POST {prefix}/groups,
 * DELETE {prefix}/groups/:group, GET {prefix}/groups/:group/members,
 * PUT/DELETE {prefix}/groups/:group/members/:login. Membership changes drop the member's cached
 * group checks on every instance.
 */
import { Type } from 'typebox'
import { FSA_ERR_STORE_NOT_FOUND } from '../errors/catalogue.js'
import type { AccountContext, AccountScope } from './context.js'
import { adminErrors, ErrorDoc, GroupName, Login, NoContent } from './schemas.js'

const GroupParam = Type.Object({ group: GroupName })
const MemberParams = Type.Object({ group: GroupName, login: Login })

/** Register the admin group routes on `scope` (already prefixed). */
export function adminGroupRoutes (scope: AccountScope, ctx: AccountContext): void {
  groupRoutes(scope, ctx)
  memberRoutes(scope, ctx)
}

/** GET and POST {prefix}/groups, DELETE {prefix}/groups/:group. */
function groupRoutes (scope: AccountScope, ctx: AccountContext): void {
  const authorize = ctx.options.adminGroup
  const common = adminErrors(authorize)

  scope.get('/groups', {
    config: { authorize },
    schema: { summary: 'List groups', tags: ['accounts admin'], response: { 200: Type.Array(Type.String()), ...common } }
  }, async () => await ctx.store.listGroups())

  scope.post('/groups', {
    config: { authorize },
    schema: {
      summary: 'Create a group',
      tags: ['accounts admin'],
      body: Type.Object({ name: GroupName }, { additionalProperties: false }),
      response: { 201: Type.Object({ name: Type.String() }), 400: ErrorDoc('malformed name'), 409: ErrorDoc('group already exists'), ...common }
    }
  }, async (request, reply) => {
    await ctx.store.createGroup(request.body.name)
    return reply.code(201).send({ name: request.body.name })
  })

  scope.delete('/groups/:group', {
    config: { authorize },
    schema: { summary: 'Delete a group and its memberships', tags: ['accounts admin'], params: GroupParam, response: { 204: NoContent, 404: ErrorDoc('no such group'), ...common } }
  }, async (request, reply) => {
    const { group } = request.params
    const members = await ctx.store.membersOf(group)
    if (!await ctx.store.deleteGroup(group)) throw new FSA_ERR_STORE_NOT_FOUND(`no such group "${group}"`)
    await ctx.uncache(...members)
    return reply.code(204).send(null)
  })

}

/** GET {prefix}/groups/:group/members, PUT and DELETE {prefix}/groups/:group/members/:login. */
function memberRoutes (scope: AccountScope, ctx: AccountContext): void {
  const authorize = ctx.options.adminGroup
  const common = adminErrors(authorize)

  scope.get('/groups/:group/members', {
    config: { authorize },
    schema: { summary: 'Members of a group', tags: ['accounts admin'], params: GroupParam, response: { 200: Type.Array(Type.String()), 404: ErrorDoc('no such group'), ...common } }
  }, async (request) => await ctx.store.membersOf(request.params.group))

  scope.put('/groups/:group/members/:login', {
    config: { authorize },
    schema: {
      summary: 'Add a user to a group (idempotent)',
      tags: ['accounts admin'],
      params: MemberParams,
      response: { 204: NoContent, 404: ErrorDoc('no such user or group'), ...common }
    }
  }, async (request, reply) => {
    const { group, login } = request.params
    await ctx.store.addToGroup(login, group)
    await ctx.uncache(login)
    return reply.code(204).send(null)
  })

  scope.delete('/groups/:group/members/:login', {
    config: { authorize },
    schema: {
      summary: 'Remove a user from a group',
      tags: ['accounts admin'],
      params: MemberParams,
      response: { 204: NoContent, 404: ErrorDoc('not a member'), ...common }
    }
  }, async (request, reply) => {
    const { group, login } = request.params
    if (!await ctx.store.removeFromGroup(login, group)) throw new FSA_ERR_STORE_NOT_FOUND(`"${login}" is not a member of "${group}"`)
    await ctx.uncache(login)
    return reply.code(204).send(null)
  })
}
