/**
 * fastify-simple-auth users: account routes on the built-in user store (register, login, logout,
 * me, custom data, password change and reset, email confirmation, admin users and groups). Needs
 * the `secure` plugin registered first with its `store` option:
 *
 * ```ts
 * await app.register(secure, { store: 'sqlite://acme.db', auth: ['token', 'basic', 'none'], token: { secret } })
 * await app.register(users, { prefix: '/auth', mailer: new SmtpMailer({ host, port, from }) })
 * ```
 *
 * Route logic lives in lib/accounts/ (one file per route group); this file only wraps it.
 */
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { installAccounts } from '../lib/accounts/install.js'
import type { UsersOptions } from '../lib/accounts/options.js'
import '../lib/core/augment.js'

async function users (fastify: FastifyInstance, options: UsersOptions): Promise<void> {
  await installAccounts(fastify, options)
}

/** The account-routes plugin; register it after the `secure` plugin. */
export const usersPlugin = fp(users, { fastify: '5.x', name: 'fastify-simple-auth-users', dependencies: ['fastify-simple-auth'] })
export { usersPlugin as users }
export default usersPlugin
export type { UsersOptions, RouteGroup } from '../lib/accounts/options.js'
export { ROUTE_GROUPS, MAX_DATA_LIMIT } from '../lib/accounts/options.js'
export type { UserView } from '../lib/accounts/context.js'
export type { Mailer, MailMessage, DevMailerOptions, MailLog, SmtpMailerOptions } from '../lib/mailer/index.js'
export { DevMailer, SmtpMailer } from '../lib/mailer/index.js'
