/**
 * Install the account routes: check that the secure plugin runs with a store (and tokens when
 * the login route is on), build the shared context, and register every enabled route group in a
 * prefixed, encapsulated scope (so the merge-patch parser stays local to it).
 */
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { FSA_ERR_ACCOUNT_NO_STORE, FSA_ERR_OPT_INVALID } from '../errors/catalogue.js'
import { FSAWRN_ACCOUNT_RANDOM_SECRET, warn } from '../errors/warnings.js'
import { DevMailer } from '../mailer/dev.js'
import { accountKey, createAccountTokens } from './account-tokens.js'
import { adminGroupRoutes } from './admin-groups.js'
import { adminUserRoutes } from './admin-users.js'
import { confirmRoutes } from './confirm.js'
import { createAccountContext, type AccountContext } from './context.js'
import { dataBodyLimit, dataRoutes, meRoutes, MERGE_PATCH } from './me.js'
import { resolveUsersOptions, type UsersOptions } from './options.js'
import { passwordRoutes } from './password.js'
import { registerRoutes } from './register.js'
import { resetRoutes } from './reset.js'
import { sessionRoutes } from './session.js'
import { sessionListRoutes } from './sessions.js'

// the context of each app's users plugin, keyed by its secure plugin's API: the pages plugin uses it
const contexts = new WeakMap<object, AccountContext>()

/** The users plugin's context on `fastify` (registered before), or undefined. */
export function accountContextOf (fastify: FastifyInstance): AccountContext | undefined {
  return fastify.fsa === undefined ? undefined : contexts.get(fastify.fsa)
}

/** Register the account routes described by `options` on `fastify` (which has the secure plugin). */
export async function installAccounts (fastify: FastifyInstance, options: UsersOptions = {}): Promise<void> {
  const opts = resolveUsersOptions(options)
  const fsa = fastify.fsa
  const store = fsa?.store
  if (store === undefined) throw new FSA_ERR_ACCOUNT_NO_STORE()
  // a store of the application's own must keep sessions: logout revokes through them
  if (typeof store.sessions?.revokeSession !== 'function') throw new FSA_ERR_OPT_INVALID('store', 'the users plugin needs a store with sessions (UserStore.sessions, migration 004-sessions)')
  const tokenOptions = fsa.tokens?.options
  if ((opts.routes.login) && tokenOptions === undefined) {
    throw new FSA_ERR_OPT_INVALID('routes.login', 'the login route issues tokens: enable them in the secure plugin (auth: [\'token\', ...] or the token option)')
  }
  if (opts.routes.login && opts.loginToken !== 'json' && tokenOptions?.carrier !== 'cookie') {
    throw new FSA_ERR_OPT_INVALID('loginToken', `a token in a cookie is only read back with token.carrier: 'cookie' (current: '${tokenOptions?.carrier ?? 'none'}')`)
  }
  // @fastify/cookie is loaded only for the cookie carrier
  if (tokenOptions?.carrier === 'cookie' && !fastify.hasReplyDecorator('setCookie')) await fastify.register(import('@fastify/cookie'))

  // Reset and confirmation tokens: the explicit secret, else one derived from the token secret.
  let secret = opts.secret
  if (secret === undefined && tokenOptions !== undefined && tokenOptions.secret !== '' && !tokenOptions.randomSecret) secret = tokenOptions.secret
  if (secret === undefined && (opts.routes.reset || opts.routes.confirm)) {
    warn(fastify.log, FSAWRN_ACCOUNT_RANDOM_SECRET())
  }
  const mailer = opts.mailer ?? new DevMailer({ log: fastify.log })
  const ctx = createAccountContext(fastify, store, opts, mailer, createAccountTokens(accountKey(secret)))
  contexts.set(fsa, ctx)
  const r = opts.routes

  await fastify.register(async (instance) => {
    const scope = instance.withTypeProvider<TypeBoxTypeProvider>()
    if (r.data) {
      // RFC 7396 bodies; parsed like JSON, prototype poisoning refused (400).
      scope.addContentTypeParser(MERGE_PATCH, { parseAs: 'string', bodyLimit: dataBodyLimit(opts.dataLimit) }, scope.getDefaultJsonParser('error', 'error'))
    }
    if (r.register) registerRoutes(scope, ctx)
    if (r.login || r.logout) sessionRoutes(scope, ctx)
    if (r.sessions) sessionListRoutes(scope, ctx)
    if (r.me) meRoutes(scope, ctx)
    if (r.data) dataRoutes(scope, ctx)
    if (r.password) passwordRoutes(scope, ctx)
    if (r.reset) resetRoutes(scope, ctx)
    if (r.confirm) confirmRoutes(scope, ctx)
    if (r.admin) {
      adminUserRoutes(scope, ctx)
      adminGroupRoutes(scope, ctx)
    }
  }, { prefix: opts.prefix })
}
