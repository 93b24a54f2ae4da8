/**
 * Email confirmation: a mailed token marks the account confirmed. GET and POST {prefix}/confirm
 * (OPEN) consume it (GET so the mailed link works as is); POST {prefix}/confirm/send (OPEN)
 * mails a new one and answers the same whether the address is known or not.
 *
 * A token is bound to the address it was sent to, the confirmed flag and the count of
 * confirmations (`confirmCount`): it works once, dies when the email changes, and stays dead
 * when an administrator un-confirms the account (the count has moved on).
 */
import type { FastifyBaseLogger } from 'fastify'
import { Type } from 'typebox'
import { FSA_ERR_ACCOUNT_TOKEN } from '../errors/catalogue.js'
import type { UserRecord } from '../store/store.js'
import { mailAllowed, type AccountContext, type AccountScope } from './context.js'
import { AccountToken, Email, ErrorDoc, Message, NoContent } from './schemas.js'

/** The MAC binding of a confirmation token: the address, the confirmed flag, the confirmation count. */
export const confirmBinding = (email: string, confirmed: boolean, confirmCount: number): string =>
  `email\0${email}\0${confirmed ? 1 : 0}\0${confirmCount}`

/** Mail a confirmation link for `login` at `email`. */
export async function sendConfirmation (ctx: AccountContext, user: UserRecord & { email: string }, log: FastifyBaseLogger): Promise<void> {
  const { login, email } = user
  const token = ctx.tokens.create('confirm', login, confirmBinding(email, user.confirmed, user.confirmCount), ctx.options.confirmDelay)
  const link = ctx.options.confirmLink(token)
  await ctx.mail({
    to: email,
    subject: `${ctx.appName}: confirm your email address`,
    text: `Hello ${login},\n\nconfirm your email address by opening this link:\n\n${link}\n\nIt is valid ${ctx.options.confirmDelay} minutes. If you did not register, ignore this mail.\n`
  }, log)
}

const TokenBody = Type.Object({ token: AccountToken }, { additionalProperties: false })
const SENT = 'if the address belongs to an unconfirmed account, a confirmation mail was sent'

/** Consume a confirmation token (FSA_ERR_ACCOUNT_TOKEN when invalid, used or expired); used by the routes and the page. */
export async function confirmToken (ctx: AccountContext, token: string): Promise<void> {
  const claim = ctx.tokens.peek(token)
  const user = claim === null ? null : await ctx.store.getUser(claim.login)
  if (user === null || user.email === null || user.confirmed ||
    !ctx.tokens.verify('confirm', token, confirmBinding(user.email, user.confirmed, user.confirmCount))) {
    throw new FSA_ERR_ACCOUNT_TOKEN('confirmation')
  }
  await ctx.store.setConfirmed(user.login, true)
}

/** Register the confirmation routes on `scope` (already prefixed). */
export function confirmRoutes (scope: AccountScope, ctx: AccountContext): void {
  const confirm = async (token: string): Promise<void> => { await confirmToken(ctx, token) }
  const common = {
    summary: 'Confirm an email address with the mailed token',
    tags: ['accounts'],
    response: { 204: NoContent, 400: ErrorDoc('missing, invalid or expired token'), 503: ErrorDoc('user store unavailable') }
  }
  scope.get('/confirm', { config: { authorize: 'OPEN' }, schema: { ...common, querystring: TokenBody } }, async (request, reply) => {
    await confirm(request.query.token)
    return reply.code(204).send(null)
  })
  scope.post('/confirm', { config: { authorize: 'OPEN' }, schema: { ...common, body: TokenBody } }, async (request, reply) => {
    await confirm(request.body.token)
    return reply.code(204).send(null)
  })

  scope.post('/confirm/send', {
    config: { authorize: 'OPEN' },
    schema: {
      summary: 'Mail a new confirmation link',
      tags: ['accounts'],
      body: Type.Object({ email: Email }, { additionalProperties: false }),
      response: { 202: Message, 400: ErrorDoc('malformed email'), 503: ErrorDoc('user store unavailable') }
    }
  }, async (request, reply) => {
    // counted for every address, known or not; past the limit, the answer is the one of an unknown address
    const allowed = await mailAllowed(scope, request.body.email, request)
    const user = allowed ? await ctx.store.getUserByEmail(request.body.email) : null
    // Not awaited: the answer must not take longer when a mail goes out.
    if (user !== null && user.email !== null && user.active && !user.confirmed) void sendConfirmation(ctx, { ...user, email: user.email }, request.log)
    return reply.code(202).send({ message: SENT })
  })
}
