/**
 * POST {prefix}/register (OPEN): create an account from login, email and password.
 *
 * Enumeration resistance: a login or an email already taken gets the same 409 message, and the
 * password is hashed before the insert in both cases, so neither the body nor the timing says
 * which of the two exists. The unique indexes of the store decide races: of N concurrent
 * registrations of one login exactly one wins, the others get the 409.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { UserRecord } from '../store/store.js'
import { FSA_ERR_ACCOUNT_EXISTS, FSA_ERR_ACCOUNT_LOGIN_EMAIL } from '../errors/catalogue.js'
import { keyOf as emailKey } from '../store/records.js'
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
    const user = await createAccount(scope, ctx, request.body, request)
    return reply.code(201).send(userView(user, []))
  })
}

/**
 * Create an account (unconfirmed) and mail the confirmation link; used by the registration route
 * and page. Taken login or email: FSA_ERR_ACCOUNT_EXISTS (which one is not said).
 */
export async function createAccount (scope: FastifyInstance, ctx: AccountContext, fields: { login: string, email: string, password: string }, request: FastifyRequest): Promise<UserRecord> {
  const { login, email, password } = fields
  // sign-in takes an email where a login is expected: a login shaped like an email must be the
  // registrant's own, else it could shadow (or phish as) another person's address
  if (login.includes('@') && emailKey(login) !== emailKey(email)) throw new FSA_ERR_ACCOUNT_LOGIN_EMAIL()
  const hash = await scope.fsa.passwords.hash(password)
  let user
  try {
    user = await ctx.store.createUser({ login, email, password: hash, confirmed: false })
  } catch (e) {
    if ((e as { code?: unknown }).code === 'FSA_ERR_STORE_CONFLICT') throw new FSA_ERR_ACCOUNT_EXISTS()
    throw e
  }
  // registration mails are throttled like the others: past the limit the account is created, no mail
  const mailTo = user.email
  if (ctx.options.routes.confirm && ctx.options.confirmOnRegister && mailTo !== null && await mailAllowed(scope as AccountScope, mailTo, request)) {
    await sendConfirmation(ctx, { ...user, email: mailTo }, request.log)
  }
  return user
}
