/**
 * POST {prefix}/account/email: a signed-in user changes their email address. The current password
 * is required (a stolen session cannot move the account to another address); the new address is
 * unconfirmed until its mailed link is followed, and the previous address gets a notice. A login
 * containing `@` is its owner's email (see lib/accounts/register.ts), so it cannot change.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { sendConfirmation } from '../accounts/confirm.js'
import { noticeEmailChange } from '../accounts/notices.js'
import { requireUser } from '../core/require-user.js'
import { FSA_ERR_ACCOUNT_EXISTS, FSA_ERR_ACCOUNT_LOGIN_EMAIL, FSA_ERR_ACCOUNT_PASSWORD } from '../errors/catalogue.js'
import type { PageKit } from './kit.js'
import { setFlash } from './render.js'

const EmailForm = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 512 })),
  email: Type.String({ format: 'email', maxLength: 255 }),
  current: Type.String({ minLength: 1, maxLength: 4096 })
}, { additionalProperties: false })

type Show = (request: FastifyRequest, reply: FastifyReply, error: string | null, status: number) => Promise<FastifyReply>

/** Register the email-change route on `scope` (already prefixed); `show` renders the account page. */
export function emailPage (scope: FastifyInstance, kit: PageKit, show: Show): void {
  const { ctx } = kit
  scope.post('/account/email', { config: { authorize: 'AUTH', crossSite: true }, attachValidation: true, preHandler: kit.csrf, schema: { body: EmailForm } }, async (request, reply) => {
    if (request.validationError !== undefined) return await show(request, reply, 'Enter a valid email address and your current password.', 400)
    const { email, current } = request.body as { email: string, current: string }
    const login = requireUser(request)
    const info = await ctx.store.getPasswordHash(login)
    const check = await scope.fsa.passwords.checkUser(login, current, info?.hash)
    if (!check.ok) return await show(request, reply, new FSA_ERR_ACCOUNT_PASSWORD().message, 400)
    if (login.includes('@')) return await show(request, reply, new FSA_ERR_ACCOUNT_LOGIN_EMAIL().message, 400)
    const before = await ctx.store.getUser(login)
    try {
      await ctx.store.setEmail(login, email)
    } catch (e) {
      if ((e as { code?: unknown }).code === 'FSA_ERR_STORE_CONFLICT') return await show(request, reply, new FSA_ERR_ACCOUNT_EXISTS().message, 409)
      throw e
    }
    await ctx.store.setConfirmed(login, false)
    await ctx.uncache(login)
    noticeEmailChange(ctx, login, before?.email ?? null, email, request.log)
    const after = await ctx.store.getUser(login)
    if (after !== null && ctx.options.routes.confirm) await sendConfirmation(ctx, { ...after, email }, request.log)
    setFlash(reply, 'email-changed')
    return reply.code(303).header('location', kit.url('/account')).send()
  })
}
