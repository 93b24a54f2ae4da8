/**
 * Forgotten passwords. POST {prefix}/password/forgot (OPEN) mails a reset link when the address
 * belongs to an active account, and answers 202 with the same body in every case (the mail is
 * sent in the background so the timing does not tell either). POST {prefix}/password/reset
 * (OPEN) sets a new password with the mailed token.
 *
 * The token (see account-tokens.ts) is an HMAC over the login, its expiry, the current password
 * hash and the current email: it is time-limited and single-use, since using it changes the hash,
 * and dies when the password or the email changes by any other way. A reset also confirms the
 * email (the mail was read), mails a notice to the owner and, with `revokeOnPasswordChange`,
 * revokes every token of the user.
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { FSA_ERR_ACCOUNT_TOKEN } from '../errors/catalogue.js'
import { mailAllowed, type AccountContext, type AccountScope } from './context.js'
import { noticePasswordChange } from './notices.js'
import { AccountToken, Email, ErrorDoc, Message, NoContent, Password } from './schemas.js'

const SENT = 'if the address belongs to an account, a reset link was sent'

/** The MAC binding of a reset token: the password hash and the email it was sent to. */
const binding = (hash: string, email: string | null): string => `hash\0${hash}\0email\0${email ?? ''}`

/** Register the forgot and reset routes on `scope` (already prefixed). */
export function resetRoutes (scope: AccountScope, ctx: AccountContext): void {
  scope.post('/password/forgot', {
    config: { authorize: 'OPEN', crossSite: true },
    schema: {
      summary: 'Mail a password-reset link',
      tags: ['accounts'],
      body: Type.Object({ email: Email }, { additionalProperties: false }),
      response: { 202: Message, 400: ErrorDoc('malformed email'), 503: ErrorDoc('user store unavailable') }
    }
  }, async (request, reply) => {
    await sendReset(scope, ctx, request.body.email, request)
    return reply.code(202).send({ message: SENT })
  })

  scope.post('/password/reset', {
    config: { authorize: 'OPEN', crossSite: true },
    schema: {
      summary: 'Set a new password with a mailed reset token',
      tags: ['accounts'],
      body: Type.Object({ token: AccountToken, password: Password }, { additionalProperties: false }),
      response: {
        204: NoContent,
        400: ErrorDoc('malformed field, password rules not met, or invalid, used or expired token'),
        503: ErrorDoc('user store unavailable')
      }
    }
  }, async (request, reply) => {
    await resetPassword(scope, ctx, request.body.token, request.body.password, request.log)
    return reply.code(204).send(null)
  })
}

/**
 * Mail a reset link when `email` belongs to an active account; the mail is not awaited, so the
 * answer takes as long whether the address is known or not. Used by the route and the page.
 */
export async function sendReset (scope: FastifyInstance, ctx: AccountContext, email: string, request: FastifyRequest): Promise<void> {
  // counted for every address, known or not; past the limit, the answer is the one of an unknown address
  const allowed = await mailAllowed(scope as AccountScope, email, request)
  const user = allowed ? await ctx.store.getUserByEmail(email) : null
  const log = request.log
  const info = user === null || !user.active ? null : await ctx.store.getPasswordHash(user.login)
  if (user !== null && user.email !== null && info !== null) {
    const token = ctx.tokens.create('reset', user.login, binding(info.hash, user.email), ctx.options.resetDelay)
    void ctx.mail({
      to: user.email,
      subject: `${ctx.appName}: reset your password`,
      text: `Hello ${user.login},\n\nto choose a new password, open this link:\n\n${ctx.options.resetLink(token)}\n\n` +
        `It is valid ${ctx.options.resetDelay} minutes and works once. If you did not ask for it, ignore this mail.\n`
    }, log)
  }
}

/** Set a new password with a reset token (FSA_ERR_ACCOUNT_TOKEN when invalid, used or expired). */
export async function resetPassword (scope: FastifyInstance, ctx: AccountContext, token: string, password: string, log: FastifyBaseLogger): Promise<void> {
  const claim = ctx.tokens.peek(token)
  const user = claim === null ? null : await ctx.store.getUser(claim.login)
  const info = user === null || !user.active ? null : await ctx.store.getPasswordHash(user.login)
  if (user === null || info === null || !ctx.tokens.verify('reset', token, binding(info.hash, user.email))) throw new FSA_ERR_ACCOUNT_TOKEN('reset')
  const hash = await scope.fsa.passwords.hash(password)
  await ctx.store.setPassword(user.login, hash, { bumpTokenVersion: ctx.options.revokeOnPasswordChange })
  if (!user.confirmed) await ctx.store.setConfirmed(user.login, true)
  await ctx.uncache(user.login)
  noticePasswordChange(ctx, user.login, user.email, 'reset', log)
}
