/**
 * Security notices mailed to the account owner, so that a change they did not make does not go
 * unnoticed: the password was changed or reset, the email address was changed (mailed to the
 * old address, which a hijacker no longer controls the account through but the owner still
 * reads). Sent through the configured mailer in the background: a failure is logged, never a
 * failed request, and the answer does not wait for the mail server.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { AccountContext } from './context.js'

/** Mail the owner of `login` at `email` (when known) that the password was changed or reset. */
export function noticePasswordChange (ctx: AccountContext, login: string, email: string | null, how: 'changed' | 'reset', log: FastifyBaseLogger): void {
  if (email === null) return
  void ctx.mail({
    to: email,
    subject: `${ctx.appName}: your password was ${how}`,
    text: `Hello ${login},\n\nthe password of your account was ${how} ${how === 'reset' ? 'with a link mailed to this address' : 'by a signed-in session'}.\n\n` +
      'If you did not do it, reset your password now and contact the administrators.\n'
  }, log)
}

/** Mail the previous address of `login` that the email address was changed (or removed). */
export function noticeEmailChange (ctx: AccountContext, login: string, previous: string | null, next: string | null, log: FastifyBaseLogger): void {
  if (previous === null || previous === next) return
  void ctx.mail({
    to: previous,
    subject: `${ctx.appName}: your email address was changed`,
    text: `Hello ${login},\n\nthe email address of your account is no longer ${previous}` +
      `${next === null ? ' (the account has no address now)' : ''}.\n\nIf you did not ask for it, contact the administrators.\n`
  }, log)
}
