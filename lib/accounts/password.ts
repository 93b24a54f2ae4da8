/**
 * POST {prefix}/password (AUTH): change the caller's password. The current password is required
 * even with a token, so a stolen token cannot lock the owner out. The new password goes through
 * the quality rules; with `revokeOnPasswordChange` (default) every token issued so far is revoked,
 * including the caller's: log in again. The owner is mailed a notice (lib/accounts/notices.ts).
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { FSA_ERR_ACCOUNT_PASSWORD } from '../errors/catalogue.js'
import { requireUser } from '../core/require-user.js'
import type { AccountContext, AccountScope } from './context.js'
import { noticePasswordChange } from './notices.js'
import { ErrorDoc, NoContent, Password } from './schemas.js'

const Body = Type.Object({ current: Password, password: Password }, { additionalProperties: false })

/** Register the password-change route on `scope` (already prefixed). */
export function passwordRoutes (scope: AccountScope, ctx: AccountContext): void {
  scope.post('/password', {
    config: { authorize: 'AUTH' },
    schema: {
      summary: 'Change the password (current password required)',
      tags: ['accounts'],
      body: Body,
      response: {
        204: NoContent,
        400: ErrorDoc('malformed field or password rules not met'),
        401: ErrorDoc('not authenticated'),
        403: ErrorDoc('current password is incorrect'),
        503: ErrorDoc('user store unavailable')
      }
    }
  }, async (request, reply) => {
    const { current, password } = request.body
    await changePassword(scope, ctx, requireUser(request), current, password, request.log)
    return reply.code(204).send(null)
  })
}

/** Change the password of `login` after checking `current` (FSA_ERR_ACCOUNT_PASSWORD); used by the route and the account page. */
export async function changePassword (scope: FastifyInstance, ctx: AccountContext, login: string, current: string, password: string, log: FastifyBaseLogger): Promise<void> {
  const info = await ctx.store.getPasswordHash(login)
  const check = await scope.fsa.passwords.checkUser(login, current, info?.hash)
  if (!check.ok) throw new FSA_ERR_ACCOUNT_PASSWORD()
  const hash = await scope.fsa.passwords.hash(password)
  await ctx.store.setPassword(login, hash, { bumpTokenVersion: ctx.options.revokeOnPasswordChange })
  await ctx.uncache(login)
  noticePasswordChange(ctx, login, (await ctx.store.getUser(login))?.email ?? null, 'changed', log)
}
