/**
 * The application of the multi-process tests (test/helpers/processes.ts): the secure plugin and
 * the account routes over the store of FSA_DB_URL, a Redis cache when FSA_REDIS_URL is set (prefix
 * FSA_REDIS_PREFIX), fsa tokens signed with FSA_TOKEN_SECRET. The first process seeds the users of
 * FSA_SEED_USERS (`login:password,...`, ignored when they exist). It listens on 127.0.0.1, on
 * PORT (0: any free port), and tells its parent the port over IPC: `{ ready: port }`.
 */
import Fastify from 'fastify'
import secure, { type SecureOptions } from '../../lib/index.js'
import users from '../../plugins/users.js'

const env = process.env
const redis = env.FSA_REDIS_URL
const options: SecureOptions = {
  store: 'env',
  auth: ['token', 'basic', 'none'],
  token: { secret: env.FSA_TOKEN_SECRET ?? '' },
  password: { allowWeak: true, memoryCost: 1024, timeCost: 1 },
  cache: redis === undefined || redis === '' ? {} : { type: 'redis', redis, prefix: env.FSA_REDIS_PREFIX ?? 'fsa:' }
}
const app = Fastify()
await app.register(secure, options)
await app.register(users, { routes: { register: false, admin: false } })
await app.ready()
const store = app.fsa.store
for (const pair of (env.FSA_SEED_USERS ?? '').split(',').filter(Boolean)) {
  const [login = '', password = ''] = pair.split(':')
  if (store !== undefined && (await store.getUser(login)) === null) {
    await store.createUser({ login, password: await app.hashPassword(password, { check: false }), confirmed: true })
      .catch(() => { /* another process seeded it first */ })
  }
}
await app.listen({ host: '127.0.0.1', port: Number(env.PORT ?? 0) })
const address = app.server.address()
process.send?.({ ready: typeof address === 'object' && address !== null ? address.port : 0 })
const stop = (): void => { app.close().then(() => process.exit(0), () => process.exit(1)) }
process.on('SIGTERM', stop)
process.on('disconnect', stop)
