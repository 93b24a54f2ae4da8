/**
 * Admin routes on users, for members of `adminGroup` (default `admin`):
 * GET/POST {prefix}/users, GET/PATCH/DELETE {prefix}/users/:login. Deactivating a user (PATCH
 * active=false) takes effect at once: the secure plugin refuses inactive users' passwords and
 * tokens, and the user's cached state is dropped on every instance.
 */
import { Type } from 'typebox'
import { FSA_ERR_ACCOUNT_EXISTS, FSA_ERR_STORE_NOT_FOUND } from '../errors/catalogue.js'
import type { AccountContext, AccountScope } from './context.js'
import { userView } from './context.js'
import { noticeEmailChange } from './notices.js'
import { adminErrors, Email, ErrorDoc, GroupName, Login, NoContent, Password, UserSchema } from './schemas.js'

const LoginParam = Type.Object({ login: Login })
const ListQuery = Type.Object({
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  search: Type.Optional(Type.String({ maxLength: 255 }))
}, { additionalProperties: false })
const CreateBody = Type.Object({
  login: Login,
  email: Type.Optional(Type.Union([Email, Type.Null()])),
  password: Password,
  active: Type.Optional(Type.Boolean()),
  confirmed: Type.Optional(Type.Boolean()),
  groups: Type.Optional(Type.Array(GroupName, { maxItems: 100, uniqueItems: true }))
}, { additionalProperties: false })
const UpdateBody = Type.Object({
  email: Type.Optional(Type.Union([Email, Type.Null()])),
  active: Type.Optional(Type.Boolean()),
  confirmed: Type.Optional(Type.Boolean())
}, { additionalProperties: false, minProperties: 1 })

const notFound = (login: string) => new FSA_ERR_STORE_NOT_FOUND(`no such user "${login}"`)


/** Register the admin user routes on `scope` (already prefixed). */
export function adminUserRoutes (scope: AccountScope, ctx: AccountContext): void {
  userListRoutes(scope, ctx)
  userRoutes(scope, ctx)
}

/** GET and POST {prefix}/users. */
function userListRoutes (scope: AccountScope, ctx: AccountContext): void {
  const authorize = ctx.options.adminGroup
  const common = adminErrors(authorize)

  scope.get('/users', {
    config: { authorize },
    schema: { summary: 'List users', tags: ['accounts admin'], querystring: ListQuery, response: { 200: Type.Array(UserSchema), 400: ErrorDoc('malformed parameter'), ...common } }
  }, async (request) => {
    const { offset, limit, search } = request.query
    return (await ctx.store.listUsers({ offset, limit, search })).map((u) => userView(u))
  })

  scope.post('/users', {
    config: { authorize },
    schema: {
      summary: 'Create a user',
      tags: ['accounts admin'],
      body: CreateBody,
      response: { 201: UserSchema, 400: ErrorDoc('malformed field or password rules not met'), 404: ErrorDoc('unknown group'), 409: ErrorDoc('login or email already registered'), ...common }
    }
  }, async (request, reply) => {
    const b = request.body
    const known = new Set(await ctx.store.listGroups())
    const missing = (b.groups ?? []).find((g) => !known.has(g))
    if (missing !== undefined) throw new FSA_ERR_STORE_NOT_FOUND(`no such group "${missing}"`)
    const hash = await scope.fsa.passwords.hash(b.password)
    let user
    try {
      user = await ctx.store.createUser({ login: b.login, email: b.email ?? null, password: hash, active: b.active ?? true, confirmed: b.confirmed ?? true })
    } catch (e) {
      if ((e as { code?: unknown }).code === 'FSA_ERR_STORE_CONFLICT') throw new FSA_ERR_ACCOUNT_EXISTS()
      throw e
    }
    for (const g of b.groups ?? []) await ctx.store.addToGroup(user.login, g)
    await ctx.uncache(user.login)
    return reply.code(201).send(userView(user, await ctx.store.groupsOf(user.login)))
  })

}

/** GET, PATCH and DELETE {prefix}/users/:login. */
function userRoutes (scope: AccountScope, ctx: AccountContext): void {
  const authorize = ctx.options.adminGroup
  const common = adminErrors(authorize)

  scope.get('/users/:login', {
    config: { authorize },
    schema: { summary: 'Show a user and its groups', tags: ['accounts admin'], params: LoginParam, response: { 200: UserSchema, 404: ErrorDoc('no such user'), ...common } }
  }, async (request) => {
    const user = await ctx.store.getUser(request.params.login)
    if (user === null) throw notFound(request.params.login)
    return userView(user, await ctx.store.groupsOf(user.login))
  })

  scope.patch('/users/:login', {
    config: { authorize },
    schema: {
      summary: 'Activate or deactivate a user, change its email or confirmation',
      tags: ['accounts admin'],
      params: LoginParam,
      body: UpdateBody,
      response: { 200: UserSchema, 400: ErrorDoc('malformed field'), 404: ErrorDoc('no such user'), 409: ErrorDoc('email already registered'), ...common }
    }
  }, async (request) => {
    const { login } = request.params
    const b = request.body
    const user = await ctx.store.getUser(login)
    if (user === null) throw notFound(login)
    if (b.email !== undefined) {
      try {
        await ctx.store.setEmail(user.login, b.email)
      } catch (e) {
        if ((e as { code?: unknown }).code === 'FSA_ERR_STORE_CONFLICT') throw new FSA_ERR_ACCOUNT_EXISTS()
        throw e
      }
      noticeEmailChange(ctx, user.login, user.email, b.email, request.log)
    }
    if (b.confirmed !== undefined) await ctx.store.setConfirmed(user.login, b.confirmed)
    if (b.active !== undefined) await ctx.store.setActive(user.login, b.active)
    await ctx.uncache(user.login, login)
    const updated = await ctx.store.getUser(user.login)
    if (updated === null) throw notFound(login)
    return userView(updated, await ctx.store.groupsOf(user.login))
  })

  scope.delete('/users/:login', {
    config: { authorize },
    schema: { summary: 'Delete a user', tags: ['accounts admin'], params: LoginParam, response: { 204: NoContent, 404: ErrorDoc('no such user'), ...common } }
  }, async (request, reply) => {
    const { login } = request.params
    if (!await ctx.store.deleteUser(login)) throw notFound(login)
    await ctx.uncache(login)
    return reply.code(204).send(null)
  })
}
