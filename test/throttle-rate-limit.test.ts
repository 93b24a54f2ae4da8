/**
 * @fastify/rate-limit beside the plugin (issue 13): requests per client on the account routes,
 * while throttling counts failed credentials per login and address. On a shared Redis, the
 * limiter's own Redis store makes several instances count together.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import rateLimit from '@fastify/rate-limit'
import { Redis } from 'ioredis'
import users from '../plugins/users.js'
import { buildApp } from './helpers/app.js'
import { addUser, FAST_PASSWORD, SECRET } from './helpers/accounts-app.js'
import type { SecureOptions } from '../lib/index.js'
import type { FastifyInstance } from 'fastify'

/** The account routes in a scope of their own, limited to `max` requests per minute per client. */
async function limitedApp (t: Parameters<typeof buildApp>[0], max: number, redis?: Redis, nameSpace?: string): Promise<FastifyInstance> {
  return await buildApp(t, { store: 'sqlite::memory:', auth: ['token', 'basic', 'none'], password: FAST_PASSWORD, token: { secret: SECRET } } as SecureOptions, async (app) => {
    app.get('/open', { config: { authorize: 'OPEN' } }, async () => 'open')
    await app.register(async (accounts) => {
      await accounts.register(rateLimit, { max, timeWindow: '1 minute', ...(redis === undefined ? {} : { redis, nameSpace }) })
      await accounts.register(users, { prefix: '/auth' })
    })
  }, { ready: true })
}

const login = (password: string) => ({ method: 'POST' as const, url: '/auth/login', payload: { login: 'calvin', password } })

test('rate-limit answers 429 per client on the account routes, other routes untouched', async (t) => {
  const app = await limitedApp(t, 3)
  await addUser(app, 'calvin', 'hobbes')
  const statuses: number[] = []
  for (let i = 0; i < 4; i++) statuses.push((await app.inject(login('hobbes'))).statusCode)
  assert.deepEqual(statuses, [200, 200, 200, 429])
  const limited = await app.inject(login('hobbes'))
  assert.equal(limited.headers['x-ratelimit-limit'], '3')
  assert.ok(limited.headers['retry-after'] !== undefined)
  assert.equal((await app.inject({ url: '/open' })).statusCode, 200, 'the limiter is scoped to the account routes')
  assert.equal((await app.inject({ url: '/open' })).statusCode, 200)
})

test('with a generous rate limit, throttling still refuses the failed credentials of one login', async (t) => {
  const app = await limitedApp(t, 100)
  await addUser(app, 'calvin', 'hobbes')
  const statuses: number[] = []
  for (let i = 0; i < 7; i++) statuses.push((await app.inject(login('wrong'))).statusCode)
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429])
  const res = await app.inject(login('hobbes'))
  assert.equal(res.statusCode, 429)
  assert.equal(res.headers['x-ratelimit-remaining'], String(100 - 8), 'the limiter counted it too')
})

test('the limiter\'s Redis store: two instances count together', { skip: process.env.FSA_TEST_REDIS_URL === undefined ? 'FSA_TEST_REDIS_URL not set' : false }, async (t) => {
  const redis = new Redis(process.env.FSA_TEST_REDIS_URL!)
  t.after(() => redis.disconnect())
  const nameSpace = `fsa-test-rl-${randomUUID()}:`
  const a = await limitedApp(t, 3, redis, nameSpace)
  const b = await limitedApp(t, 3, redis, nameSpace)
  const forgot = { method: 'POST' as const, url: '/auth/password/forgot', payload: { email: 'x@example.com' } }
  const statuses = [await a.inject(forgot), await b.inject(forgot), await a.inject(forgot), await b.inject(forgot)].map((r) => r.statusCode)
  assert.deepEqual(statuses, [202, 202, 202, 429])
})
