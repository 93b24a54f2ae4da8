// Review: the cache key of an object permission identifies one (domain, login, ids, mode) tuple.
// Ids come from the request (a path parameter may hold a NUL as %00): an id that contains the
// separator must not make the answer for one object the answer for another.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { perm } from '../lib/index.js'
import { buildAuthApp, basic } from './helpers/auth-app.js'

const calvin = { authorization: basic('calvin', 'hobbes') }

test('two pairs of ids that join to the same text are checked separately', async (t) => {
  const calls: unknown[][] = []
  const app = await buildAuthApp(t, {
    auth: ['basic', 'none'],
    objectPerms: {
      // only the pair ('x\0string:y', 'z') is allowed
      doc: (login: string, a: unknown, b: unknown) => { calls.push([login, a, b]); return a === 'x\0string:y' && b === 'z' }
    }
  })
  app.get('/doc/:a/:b', { config: { authorize: perm('doc', 'a:b') } }, async (req) => req.params)
  const allowed = await app.inject({ url: '/doc/x%00string:y/z', headers: calvin })
  assert.equal(allowed.statusCode, 200)
  const other = await app.inject({ url: '/doc/x/y%00string:z', headers: calvin })
  assert.equal(other.statusCode, 403)
  assert.deepEqual(calls, [['calvin', 'x\0string:y', 'z'], ['calvin', 'x', 'y\0string:z']])
})

test('a one-id route and a two-id route of one domain do not share answers', async (t) => {
  const calls: unknown[][] = []
  const app = await buildAuthApp(t, {
    auth: ['basic', 'none'],
    objectPerms: { doc: (login: string, ...rest: unknown[]) => { calls.push([login, ...rest]); return rest[0] === 'x\0string:y' } }
  })
  app.get('/one/:a', { config: { authorize: perm('doc', 'a') } }, async (req) => req.params)
  app.get('/two/:a/:b', { config: { authorize: perm('doc', 'a:b') } }, async (req) => req.params)
  assert.equal((await app.inject({ url: '/one/x%00string:y', headers: calvin })).statusCode, 200)
  assert.equal((await app.inject({ url: '/two/x/y', headers: calvin })).statusCode, 403)
  assert.equal(calls.length, 2)
})

test('equal ids still hit the cache', async (t) => {
  let calls = 0
  const app = await buildAuthApp(t, { auth: ['basic', 'none'], objectPerms: { doc: () => { calls++; return true } } })
  app.get('/doc/:a/:b', { config: { authorize: perm('doc', 'a:b') } }, async (req) => req.params)
  assert.equal((await app.inject({ url: '/doc/x/y', headers: calvin })).statusCode, 200)
  assert.equal((await app.inject({ url: '/doc/x/y', headers: calvin })).statusCode, 200)
  assert.equal(calls, 1)
})
