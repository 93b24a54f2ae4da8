/**
 * Type tests: `npm run lint` type-checks this file (tsc over test/), so a wrong public typing is a
 * failed build; the runtime part only checks that the typed calls really work.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyRequest } from 'fastify'
import secure, { perm, type requireUser, type err, type SecureOptions, type TokenInfo, type Authorize } from '../lib/index.js'

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false
function expectType<T extends true> (_ok: T): void {}

// `request.user` with and without @fastify/jwt: test/fixtures/types, checked by test/types-fixtures.test.ts
expectType<Equal<FastifyRequest['authUser'], string | null>>(true)
expectType<Equal<ReturnType<typeof requireUser>, string>>(true)
expectType<Equal<FastifyRequest['authScheme'], string | null>>(true)
expectType<Equal<FastifyRequest['authToken'], TokenInfo | null>>(true)
expectType<Equal<ReturnType<FastifyRequest['authenticate']>, Promise<string | null>>>(true)
expectType<Equal<ReturnType<typeof err>, never>>(true)

// every declaration form is an Authorize
const forms: Authorize[] = ['OPEN', 'AUTH', 'CLOSE', 'admin', ['admin', 'staff'], perm('stuff', 'sid', 'owner'), [['stuff', 'sid', 'owner']], ['admin', perm('stuff', 'sid')]]

const options: SecureOptions = {
  auth: ['token', 'basic', 'param', 'none'],
  getUserPass: async () => null,
  token: { type: 'jwt', carrier: 'cookie', secret: 's'.repeat(40), cookie: { sameSite: 'strict' } },
  password: { minLength: 5, regex: ['[A-Z]'] },
  cache: { type: 'memory', ttl: 60, credentials: { enabled: true } },
  errorResponse: 'json:error',
  groupCheck: { admin: (login: string) => login === 'calvin', staff: async () => true },
  objectPerms: { stuff: async (_login: string, _sid: string, _mode?: string) => null }
}
// @ts-expect-error an unknown carrier is not a TokenOptions
const badCarrier: SecureOptions = { token: { carrier: 'pigeon' } }
// @ts-expect-error mode is prod, dev or debug
const badMode: SecureOptions = { mode: 'verbose' }
// @ts-expect-error the options type is derived from the schema: a key the schema lacks is a type error too
const badKey: SecureOptions = { realmm: 'acme' }
// option types derived from the schemas keep literal unions, callback signatures and instances
expectType<Equal<SecureOptions['mode'], 'prod' | 'dev' | 'debug' | undefined>>(true)
expectType<Equal<Parameters<NonNullable<SecureOptions['getUserPass']>>, [login: string]>>(true)
expectType<Equal<NonNullable<NonNullable<SecureOptions['password']>['regex']>, string | RegExp | Array<string | RegExp>>>(true)
expectType<Equal<NonNullable<SecureOptions['token']>['carrier'], 'bearer' | 'header' | 'cookie' | 'param' | undefined>>(true)

test('the typed options and declarations are accepted at run time too', async () => {
  const app = Fastify()
  await app.register(secure, options)
  for (const [i, authorize] of forms.entries()) {
    app.get(`/r${i}/:sid`, { config: { authorize } }, async (req) => ({ user: req.authUser }))
  }
  // @ts-expect-error config.realm is a string
  assert.throws(() => app.get('/bad-realm', { config: { authorize: 'AUTH', realm: 3 } }, async () => 'x'), { code: 'FSA_ERR_ROUTE_AUTH' })
  await app.ready()
  assert.equal(app.fsa.routes().filter((r) => r.method === 'GET').length, forms.length)
  await app.close()
  assert.equal(typeof badCarrier, 'object')
  assert.equal(typeof badMode, 'object')
  assert.equal(typeof badKey, 'object')
})
