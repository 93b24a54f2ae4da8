/**
 * What every route group of the account plugin shares: the store, resolved options, the mailer,
 * the account-token signer, and two helpers (dropping cached user state, sending a mail without
 * failing the request).
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { UserRecord, UserStore } from '../store/store.js'
import type { MailMessage, Mailer } from '../mailer/mailer.js'
import type { AccountTokens } from './account-tokens.js'
import type { ResolvedUsersOptions } from './options.js'

/**
 * The encapsulated scope the account routes are declared in, with the TypeBox type provider:
 * handlers get `request.body`, `request.query` and `request.params` typed from the route schemas.
 */
export type AccountScope = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>

/** Shared state of one registration of the users plugin. */
export interface AccountContext {
  readonly store: UserStore
  readonly options: ResolvedUsersOptions
  readonly mailer: Mailer
  readonly tokens: AccountTokens
  /** Application name shown in mail subjects. */
  readonly appName: string
  /**
   * Drop every cached entry (hash, groups, token validations) of these logins on every instance;
   * call after any change to a password, token version, active flag or membership.
   */
  uncache (...logins: Array<string | null | undefined>): Promise<void>
  /** Send a mail; a failure is logged (without the body) and swallowed: responses must not depend on it. */
  mail (message: MailMessage, log: FastifyBaseLogger): Promise<void>
}

/** Build the context from the secure plugin's API. */
export function createAccountContext (fastify: FastifyInstance, store: UserStore, options: ResolvedUsersOptions, mailer: Mailer, tokens: AccountTokens): AccountContext {
  return {
    store,
    options,
    mailer,
    tokens,
    appName: options.appName ?? fastify.fsa.realm,
    async uncache (...logins) {
      const unique = new Set(logins.filter((l): l is string => typeof l === 'string' && l !== ''))
      await Promise.all([...unique].map((l) => fastify.fsa.uncacheUser(l)))
    },
    async mail (message, log) {
      try {
        await mailer.send(message)
      } catch (e) {
        log.error({ err: e, to: message.to, subject: message.subject }, 'fastify-simple-auth: mail not sent')
      }
    }
  }
}

/** The JSON view of a user (dates as ISO strings), optionally with its groups. */
export interface UserView {
  login: string
  email: string | null
  active: boolean
  confirmed: boolean
  createdAt: string
  lastLoginAt: string | null
  lastLoginIp: string | null
  loginCount: number
  groups?: string[]
}

/** Turn a store record into its JSON view. */
export function userView (u: UserRecord, groups?: string[]): UserView {
  const view: UserView = {
    login: u.login,
    email: u.email,
    active: u.active,
    confirmed: u.confirmed,
    createdAt: u.createdAt.toISOString(),
    lastLoginAt: u.lastLoginAt === null ? null : u.lastLoginAt.toISOString(),
    lastLoginIp: u.lastLoginIp,
    loginCount: u.loginCount
  }
  if (groups !== undefined) view.groups = groups
  return view
}

/**
 * Whether a mail to `email` asked by this request may go (the `throttle.mail` limits per address
 * and per client address). Asked for every address, known or not, so that a limited address
 * answers exactly like an unknown one: neither enumeration nor mail bombing.
 */
export async function mailAllowed (scope: AccountScope, email: string, request: FastifyRequest): Promise<boolean> {
  const throttle = scope.fsa.throttle
  return throttle === undefined ? true : await throttle.allowMail(email, request)
}
