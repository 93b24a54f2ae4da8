/**
 * Authorization callbacks through a real app: `getUserPass`, `userInGroup`, `groupCheck` and
 * `objectPerms`, sync and async; their results (true, false, null), deliberate errors (`err()`),
 * bugs (throws and wrong return types: a generic 500, the detail in the log only); the order of
 * failures 401 → 403 (groups) → 400 (parameters) → 403/404 (objects); OPEN routes doing no
 * authentication work; error bodies in the configured format.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import argon2 from 'argon2'
import { Type } from 'typebox'
import { err, perm, type SecureOptions } from '../lib/index.js'
import { buildApp, type TestApp } from './helpers/app.js'

const PASSWORD = 'hobbes-tiger'
// one small argon2id hash for the whole file (these tests are not about hashing)
const HASH = argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 })
const basic = (login: string, password = PASSWORD) => 'Basic ' + Buffer.from(`${login}:${password}`).toString('base64')
const as = (user?: string): Record<string, string> => user === undefined ? {} : { 'x-user': user }

/** An app whose log lines are kept in `logs` (raw JSON text, to search for leaked details). */
async function build (t: TestContext, options: SecureOptions, logs: string[] = []): Promise<TestApp> {
  return await buildApp(t, {
    auth: ['hdr', 'none'],
    schemes: { hdr: (req) => (req.headers['x-user'] as string | undefined) ?? null },
    ...options
  }, undefined, { fastify: { logger: { level: 'warn', stream: { write: (line: string) => { logs.push(line) } } } } })
}

test('an OPEN route does no authentication work even when credentials are sent', async (t) => {
  const calls: string[] = []
  const hash = await HASH
  const app = await build(t, { auth: ['basic', 'none'], password: { allowWeak: true }, getUserPass: (login) => { calls.push(login); return login === 'calvin' ? hash : null } })
  app.get('/open', { config: { authorize: 'OPEN' } }, async (req) => ({ user: req.authUser, scheme: req.authScheme }))
  app.get('/who', { config: { authorize: 'OPEN' } }, async (req) => ({ who: await req.authenticate({ required: false }), user: req.authUser, plain: req.user ?? 'unset' }))
  app.get('/must', { config: { authorize: 'OPEN' } }, async (req) => ({ who: await req.authenticate() }))
  const open = await app.inject({ url: '/open', headers: { authorization: basic('calvin') } })
  assert.deepEqual(open.json(), { user: null, scheme: null })
  const bad = await app.inject({ url: '/open', headers: { authorization: basic('calvin', 'wrong') } })
  assert.equal(bad.statusCode, 200, 'bad credentials are not even looked at')
  assert.deepEqual(calls, [])
  // on demand: the optional caller
  assert.deepEqual((await app.inject('/who')).json(), { who: null, user: null, plain: 'unset' })
  assert.deepEqual(calls, [])
  assert.deepEqual((await app.inject({ url: '/who', headers: { authorization: basic('calvin') } })).json(), { who: 'calvin', user: 'calvin', plain: 'calvin' })
  assert.deepEqual(calls, ['calvin'])
  const wrong = await app.inject({ url: '/who', headers: { authorization: basic('calvin', 'wrong') } })
  assert.equal(wrong.statusCode, 401, 'wrong credentials are refused even when the caller is optional')
  assert.equal(wrong.body, 'invalid login or password')
  const required = await app.inject('/must')
  assert.equal(required.statusCode, 401)
  assert.equal(required.body, 'missing authentication')
})

test('group callbacks may be sync or async and every listed group must hold', async (t) => {
  const asked: string[] = []
  const app = await build(t, {
    groupCheck: {
      admin: (login) => { asked.push(`admin:${login}`); return login === 'susie' },
      ops: async (login) => { asked.push(`ops:${login}`); return login === 'susie' || login === 'hobbes' }
    },
    userInGroup: async (login, group) => { asked.push(`${group}:${login}`); return group === 'staff' && login !== 'moe' }
  })
  app.get('/g', { config: { authorize: ['staff', 'ops', 'admin'] } }, async (req) => req.user)
  assert.equal((await app.inject({ url: '/g', headers: as('susie') })).body, 'susie')
  assert.deepEqual(asked, ['staff:susie', 'ops:susie', 'admin:susie'])
  asked.length = 0
  const hobbes = await app.inject({ url: '/g', headers: as('hobbes') })
  assert.equal(hobbes.statusCode, 403)
  assert.equal(hobbes.body, 'not in group "admin"')
  const moe = await app.inject({ url: '/g', headers: as('moe') })
  assert.equal(moe.body, 'not in group "staff"')
  assert.deepEqual(asked, ['staff:hobbes', 'ops:hobbes', 'admin:hobbes', 'staff:moe'], 'checks stop at the first missing group')
})

test('object permissions get the login, the converted ids and the mode, and answer 200, 403 or 404', async (t) => {
  const seen: unknown[][] = []
  const owners = new Map([[1, 'calvin'], [2, 'hobbes']])
  const app = await build(t, {
    objectPerms: {
      stuff: (login, id, mode) => { seen.push([login, id, mode]); return owners.has(id) ? owners.get(id) === login : null },
      async: async (login, id) => { seen.push([login, id]); return id === 1 ? true : id === 2 ? false : undefined }
    }
  })
  const params = Type.Object({ id: Type.Integer() })
  app.get('/s/:id', { config: { authorize: perm('stuff', 'id', 'owner') }, schema: { params } }, async () => 'mine')
  app.get('/a/:id', { config: { authorize: perm('async', 'id') }, schema: { params } }, async () => 'ok')
  assert.equal((await app.inject({ url: '/s/1', headers: as('calvin') })).body, 'mine')
  const other = await app.inject({ url: '/s/2', headers: as('calvin') })
  assert.equal(other.statusCode, 403)
  assert.equal(other.body, 'permission denied on stuff:2 (owner)')
  const missing = await app.inject({ url: '/s/3', headers: as('calvin') })
  assert.equal(missing.statusCode, 404)
  assert.equal(missing.body, 'object not found: stuff:3 (owner)')
  assert.deepEqual(seen, [['calvin', 1, 'owner'], ['calvin', 2, 'owner'], ['calvin', 3, 'owner']])
  assert.equal(typeof seen[0]?.[1], 'number', 'the integer path parameter arrives converted')
  assert.equal((await app.inject({ url: '/a/1', headers: as('calvin') })).statusCode, 200)
  assert.equal((await app.inject({ url: '/a/2', headers: as('calvin') })).statusCode, 403)
  assert.equal((await app.inject({ url: '/a/3', headers: as('calvin') })).statusCode, 404)
  // a path parameter that does not convert never reaches the callback
  const count = seen.length
  assert.equal((await app.inject({ url: '/s/one', headers: as('calvin') })).statusCode, 404)
  assert.equal(seen.length, count)
})

test('a callback that throws err() sends that status and message', async (t) => {
  const teapot = (): never => err('teapot', 418)
  const app = await build(t, {
    auth: ['basic', 'hdr', 'none'],
    getUserPass: teapot,
    groupCheck: { admin: teapot, later: async () => teapot() },
    userInGroup: teapot,
    objectPerms: { stuff: teapot, later: async () => teapot() }
  })
  app.get('/admin', { config: { authorize: 'admin' } }, async () => 'x')
  app.get('/later', { config: { authorize: 'later' } }, async () => 'x')
  app.get('/staff', { config: { authorize: 'staff' } }, async () => 'x')
  app.get('/s/:id', { config: { authorize: perm('stuff', 'id') } }, async () => 'x')
  app.get('/l/:id', { config: { authorize: perm('later', 'id') } }, async () => 'x')
  app.get('/auth', { config: { authorize: 'AUTH' } }, async () => 'x')
  for (const url of ['/admin', '/later', '/staff', '/s/1', '/l/1']) {
    const res = await app.inject({ url, headers: as('calvin') })
    assert.equal(res.statusCode, 418, url)
    assert.equal(res.body, 'teapot')
  }
  const login = await app.inject({ url: '/auth', headers: { authorization: basic('calvin') } })
  assert.equal(login.statusCode, 418)
  assert.equal(login.body, 'teapot')
})

test('a callback that throws anything else is a 500 with the detail in the log and not in the body', async (t) => {
  const detail = 'connection to 10.1.2.3 refused (password=hunter2)'
  const boom = (): never => { throw new Error(detail) }
  const logs: string[] = []
  const app = await build(t, {
    auth: ['basic', 'hdr', 'none'],
    getUserPass: async () => boom(),
    groupCheck: { admin: boom, later: async () => boom() },
    userInGroup: boom,
    objectPerms: { stuff: boom, later: async () => boom() },
    errorResponse: 'json:error'
  }, logs)
  app.get('/admin', { config: { authorize: 'admin' } }, async () => 'x')
  app.get('/later', { config: { authorize: 'later' } }, async () => 'x')
  app.get('/staff', { config: { authorize: 'staff' } }, async () => 'x')
  app.get('/s/:id', { config: { authorize: perm('stuff', 'id') } }, async () => 'x')
  app.get('/l/:id', { config: { authorize: perm('later', 'id') } }, async () => 'x')
  app.get('/auth', { config: { authorize: 'AUTH' } }, async () => 'x')
  const expected: Array<[string, Record<string, string>, string]> = [
    ['/admin', as('calvin'), 'group check for "admin"'],
    ['/later', as('calvin'), 'group check for "later"'],
    ['/staff', as('calvin'), 'userInGroup for "staff"'],
    ['/s/1', as('calvin'), 'object permission "stuff"'],
    ['/l/1', as('calvin'), 'object permission "later"'],
    ['/auth', { authorization: basic('calvin') }, 'getUserPass']
  ]
  for (const [url, headers, what] of expected) {
    logs.length = 0
    const res = await app.inject({ url, headers })
    assert.equal(res.statusCode, 500, url)
    assert.deepEqual(res.json(), { error: `internal error in ${what}` })
    assert.ok(!res.body.includes('10.1.2.3') && !res.body.includes('hunter2'), 'no detail for the client')
    const errors = logs.filter((l) => JSON.parse(l).level === 50)
    assert.equal(errors.length, 1, url)
    assert.ok(errors[0]?.includes(detail), `the log has the detail for ${url}`)
  }
})

test('a callback returning the wrong type is a 500 naming the type, never the value', async (t) => {
  const logs: string[] = []
  const app = await build(t, {
    groupCheck: { admin: () => 'yes' as unknown as boolean, later: async () => 1 as unknown as boolean },
    userInGroup: () => null as unknown as boolean,
    objectPerms: { stuff: () => 'secret-owner' as unknown as boolean, later: async () => 0 as unknown as boolean }
  }, logs)
  app.get('/admin', { config: { authorize: 'admin' } }, async () => 'x')
  app.get('/later', { config: { authorize: 'later' } }, async () => 'x')
  app.get('/staff', { config: { authorize: 'staff' } }, async () => 'x')
  app.get('/s/:id', { config: { authorize: perm('stuff', 'id') } }, async () => 'x')
  app.get('/l/:id', { config: { authorize: perm('later', 'id') } }, async () => 'x')
  const expected: Array<[string, string]> = [
    ['/admin', 'internal error: group check for "admin" returned string, expected a boolean'],
    ['/later', 'internal error: group check for "later" returned number, expected a boolean'],
    ['/staff', 'internal error: userInGroup for "staff" returned null, expected a boolean'],
    ['/s/1', 'internal error: object permission "stuff" returned string, expected true, false or null'],
    ['/l/1', 'internal error: object permission "later" returned number, expected true, false or null']
  ]
  for (const [url, message] of expected) {
    logs.length = 0
    const res = await app.inject({ url, headers: as('calvin') })
    assert.equal(res.statusCode, 500, url)
    assert.equal(res.body, message)
    assert.equal(logs.map((l) => JSON.parse(l)).filter((l) => l.level === 50 && String(l.msg).includes(message)).length, 1, url)
  }
  assert.ok(!logs.join('').includes('secret-owner'))
})

/** The app of the order-of-failures tests: group `staff` (async), owner check on `/stuff/:id`. */
async function orderApp (t: TestContext): Promise<{ app: TestApp, calls: string[] }> {
  const calls: string[] = []
  const app = await build(t, {
    userInGroup: async (login, group) => { calls.push(`group:${login}`); return group === 'staff' && login !== 'moe' },
    objectPerms: { stuff: async (login, id) => { calls.push(`perm:${login}:${String(id)}`); return id === 1 ? login === 'calvin' : null } },
    errorResponse: 'json:error'
  })
  app.patch('/stuff/:id', {
    config: { authorize: ['staff', perm('stuff', 'id', 'owner')] },
    schema: { params: Type.Object({ id: Type.Integer() }), body: Type.Object({ price: Type.Number() }) }
  }, async (req) => ({ user: req.user, body: req.body }))
  return { app, calls }
}

test('failures come in order: 401, then 403 for groups, then 400 for parameters, then 403 or 404 for objects', async (t) => {
  const { app, calls } = await orderApp(t)
  const patch = (url: string, user: string | undefined, payload: unknown) => app.inject({ method: 'PATCH', url, headers: as(user), payload: payload as object })
  const steps: Array<[string, string | undefined, unknown, number, unknown]> = [
    ['/stuff/1', undefined, { price: 'free' }, 401, { error: 'missing authentication' }],
    ['/stuff/1', 'moe', { price: 'free' }, 403, { error: 'not in group "staff"' }],
    ['/stuff/1', 'hobbes', { price: 'free' }, 400, undefined],
    ['/stuff/1', 'hobbes', { price: 3 }, 403, { error: 'permission denied on stuff:1 (owner)' }],
    ['/stuff/9', 'hobbes', { price: 3 }, 404, { error: 'object not found: stuff:9 (owner)' }],
    ['/stuff/1', 'calvin', { price: 3 }, 200, { user: 'calvin', body: { price: 3 } }]
  ]
  for (const [url, user, payload, status, body] of steps) {
    const res = await patch(url, user, payload)
    assert.equal(res.statusCode, status, `${String(user)} ${JSON.stringify(payload)}`)
    if (body !== undefined) assert.deepEqual(res.json(), body)
    else assert.match(res.json().error, /price/)
  }
  // answers are cached: hobbes's membership is asked once; the 404 (null) is not cached
  assert.deepEqual(calls, ['group:moe', 'group:hobbes', 'perm:hobbes:1', 'perm:hobbes:9', 'group:calvin', 'perm:calvin:1'],
    'no object check for a bad body, no group check without a login')
})

test('group checks happen before the body is parsed and object checks after conversion', async (t) => {
  const { app, calls } = await orderApp(t)
  const malformed = { 'content-type': 'application/json' }
  const anonymous = await app.inject({ method: 'PATCH', url: '/stuff/1', headers: malformed, payload: '{not json' })
  assert.equal(anonymous.statusCode, 401)
  const outsider = await app.inject({ method: 'PATCH', url: '/stuff/1', headers: { ...malformed, ...as('moe') }, payload: '{not json' })
  assert.equal(outsider.statusCode, 403)
  const member = await app.inject({ method: 'PATCH', url: '/stuff/1', headers: { ...malformed, ...as('hobbes') }, payload: '{not json' })
  assert.equal(member.statusCode, 400)
  assert.deepEqual(calls, ['group:moe', 'group:hobbes'], 'no group check without a login, no object check before a valid body')
})

test('403 bodies name the missing group or permission in the configured error format', async (t) => {
  const app = await build(t, {
    groupCheck: { admin: () => false },
    objectPerms: { stuff: () => false },
    errorResponse: 'json:message'
  })
  app.get('/admin', { config: { authorize: 'admin' } }, async () => 'x')
  app.get('/s/:sid', { config: { authorize: perm('stuff', 'sid', 'delete') } }, async () => 'x')
  app.get('/closed', { config: { authorize: 'CLOSE' } }, async () => 'x')
  const group = await app.inject({ url: '/admin', headers: as('calvin') })
  assert.equal(group.statusCode, 403)
  assert.match(String(group.headers['content-type']), /^application\/json/)
  assert.deepEqual(group.json(), { message: 'not in group "admin"' })
  assert.deepEqual((await app.inject({ url: '/s/abc', headers: as('calvin') })).json(), { message: 'permission denied on stuff:abc (delete)' })
  assert.deepEqual((await app.inject({ url: '/closed', headers: as('calvin') })).json(), { message: 'currently closed route' })
  const anonymous = await app.inject('/admin')
  assert.equal(anonymous.statusCode, 401)
  assert.deepEqual(anonymous.json(), { message: 'missing authentication' })
})

test('with credentials in the body, groups are checked after authentication and before validation', async (t) => {
  const hash = await HASH
  const calls: string[] = []
  const app = await build(t, {
    auth: ['hdr', 'param', 'none'],
    password: { allowWeak: true },
    getUserPass: (login) => login === 'calvin' || login === 'moe' ? hash : null,
    userInGroup: (login) => { calls.push(login); return login === 'calvin' },
    errorResponse: 'json:error'
  })
  app.post('/price', {
    config: { authorize: 'staff' },
    schema: { body: Type.Object({ price: Type.Number() }) }
  }, async (req) => ({ user: req.user, scheme: req.authScheme }))
  const post = (payload: object, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/price', payload, headers })
  const steps: Array<[object, Record<string, string>, number, unknown]> = [
    [{ price: 'free' }, {}, 401, { error: 'missing authentication' }],
    [{ price: 'free', USER: 'calvin', PASS: 'wrong' }, {}, 401, { error: 'invalid login or password' }],
    [{ price: 'free', USER: 'moe', PASS: PASSWORD }, {}, 403, { error: 'not in group "staff"' }],
    [{ price: 'free', USER: 'calvin', PASS: PASSWORD }, {}, 400, undefined],
    [{ price: 1, USER: 'calvin', PASS: PASSWORD }, {}, 200, { user: 'calvin', scheme: 'param' }],
    // a header scheme that succeeds in onRequest settles it before the body is read
    [{ price: 2 }, as('calvin'), 200, { user: 'calvin', scheme: 'hdr' }],
    [{ price: 2 }, as('moe'), 403, { error: 'not in group "staff"' }]
  ]
  for (const [payload, headers, status, body] of steps) {
    const res = await post(payload, headers)
    assert.equal(res.statusCode, status, JSON.stringify(payload))
    if (body !== undefined) assert.deepEqual(res.json(), body)
  }
  assert.deepEqual(calls, ['moe', 'calvin'])
})

test('a protected route refuses plain HTTP from another machine before authenticating', async (t) => {
  let calls = 0
  const app = await build(t, { groupCheck: { admin: () => { calls++; return true } } })
  app.get('/admin', { config: { authorize: 'admin' } }, async () => 'x')
  app.get('/open', { config: { authorize: 'OPEN' } }, async () => 'open')
  const remote = await app.inject({ url: '/admin', headers: as('susie'), remoteAddress: '10.0.0.7' })
  assert.equal(remote.statusCode, 403)
  assert.equal(remote.body, 'insecure HTTP request denied, use HTTPS')
  assert.equal(calls, 0)
  assert.equal((await app.inject({ url: '/admin', headers: as('susie') })).statusCode, 200)
  const relaxed = await build(t, { secure: false, groupCheck: { admin: () => true } })
  relaxed.get('/admin', { config: { authorize: 'admin' } }, async () => 'x')
  assert.equal((await relaxed.inject({ url: '/admin', headers: as('susie'), remoteAddress: '10.0.0.7' })).statusCode, 200)
})
