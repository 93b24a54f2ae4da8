/**
 * POST {prefix}/register (OPEN): create an account from login, email and password.
 *
 * Enumeration resistance: a login or an email already taken gets the same 409 message, and the
 * password is hashed before the insert in both cases, so neither the body nor the timing says
 * which of the two exists. The unique indexes of the store decide races: of N concurrent
 * registrations of one login exactly one wins, the others get the 409.
 */
import { Type } from 'typebox'
import { FSA_ERR_ACCOUNT_EXISTS } from '../errors/catalogue.js'
import { mailAllowed, type AccountContext, type AccountScope } from './context.js'
import { userView } from './context.js'
import { sendConfirmation } from './confirm.js'
import { Email, ErrorDoc, Login, Password, UserSchema } from './schemas.js'

const Body = Type.Object({ login: Login, email: Email, password: Password }, { additionalProperties: false })

/** Register the registration route on `scope` (already prefixed). */
export function registerRoutes (scope: AccountScope, ctx: AccountContext): void {
  scope.post('/register', {
    config: { authorize: 'OPEN', crossSite: true },
    schema: {
      summary: 'Create an account',
      tags: ['accounts'],
      body: Body,
      response: {
        201: UserSchema,
        400: ErrorDoc('malformed field or password rules not met'),
        409: ErrorDoc('login or email already registered (the message does not say which)'),
        503: ErrorDoc('user store unavailable')
      }
    }
  }, async (request, reply) => {
    const { login, email, password } = request.body
    const hash = await scope.fsa.passwords.hash(password)
    let user
    try {
      user = await ctx.store.createUser({ login, email, password: hash, confirmed: false })
    } catch (e) {
      if ((e as { code?: unknown }).code === 'FSA_ERR_STORE_CONFLICT') throw new FSA_ERR_ACCOUNT_EXISTS()
      throw e
    }
    const mailTo = user.email
    if (ctx.options.routes.confirm && ctx.options.confirmOnRegister && mailTo !== null && await mailAllowed(scope, mailTo, request)) await sendConfirmation(ctx, { ...user, email: mailTo }, request.log)
    return reply.code(201).send(userView(user, []))
  })
}
