/**
 * `config.authorize` declarations: the accepted forms, the start-up errors of bad declarations,
 * closed-by-default routes (warning, strict mode), routes of child plugins, and the audit
 * `fastify.fsa.routes()`. Users authenticate with a custom header scheme so that these tests are
 * about authorization only.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from 'typebox'
import { perm, type SecureOptions } from '../lib/index.js'
import { buildApp, type TestApp } from './helpers/app.js'

/** Logs written by the app, parsed (pino JSON lines). */
type Logs = Array<{ level: number, msg: string, code?: string, routes?: string[] }>

/** A fresh app with the header scheme `x-user`, a few groups and an object domain. */
async function build (t: TestContext, extra: Partial<SecureOptions> = {}, logs?: Logs): Promise<TestApp> {
  return await buildApp(t, {
    auth: ['hdr', 'none'],
    schemes: { hdr: (req) => (req.headers['x-user'] as string | undefined) ?? null },
    groupCheck: { admin: (login) => login === 'susie' },
    userInGroup: (login, group) => (group === 'staff' && login !== 'moe') || (group === 'ops' && login === 'hobbes'),
    objectPerms: { stuff: (login, sid, mode) => mode === 'read' || login === 'calvin' || sid === 'shared' },
    ...extra
  }, undefined, logs === undefined ? {} : { fastify: { logger: { level: 'warn', stream: { write: (line: string) => { logs.push(JSON.parse(line)) } } } } })
}

const as = (user?: string) => user === undefined ? {} : { 'x-user': user }

test('OPEN, AUTH and CLOSE routes answer without credentials, with 401 and with 403', async (t) => {
  const app = await build(t)
  app.get('/open', { config: { authorize: 'OPEN' } }, async () => 'open')
  app.get('/auth', { config: { authorize: 'AUTH' } }, async (req) => req.user)
  app.get('/close', { config: { authorize: 'CLOSE' } }, async () => 'never')
  assert.equal((await app.inject('/open')).body, 'open')
  const anon = await app.inject('/auth')
  assert.equal(anon.statusCode, 401)
  assert.equal(anon.body, 'missing authentication')
  assert.equal((await app.inject({ url: '/auth', headers: as('calvin') })).body, 'calvin')
  const closed = await app.inject({ url: '/close', headers: as('susie') })
  assert.equal(closed.statusCode, 403)
  assert.equal(closed.body, 'currently closed route')
})

test('a group name requires membership and a list of names requires every group', async (t) => {
  const app = await build(t)
  app.get('/staff', { config: { authorize: 'staff' } }, async () => 'ok')
  app.get('/both', { config: { authorize: ['staff', 'ops'] } }, async () => 'ok')
  app.get('/admin', { config: { authorize: ['admin'] } }, async () => 'ok')
  assert.equal((await app.inject({ url: '/staff', headers: as('calvin') })).statusCode, 200)
  const moe = await app.inject({ url: '/staff', headers: as('moe') })
  assert.equal(moe.statusCode, 403)
  assert.equal(moe.body, 'not in group "staff"')
  assert.equal((await app.inject({ url: '/both', headers: as('hobbes') })).statusCode, 200)
  const calvin = await app.inject({ url: '/both', headers: as('calvin') })
  assert.equal(calvin.statusCode, 403)
  assert.equal(calvin.body, 'not in group "ops"')
  assert.equal((await app.inject({ url: '/admin', headers: as('susie') })).statusCode, 200)
  assert.equal((await app.inject({ url: '/admin', headers: as('calvin') })).statusCode, 403)
})

test('a lone permission is written as a list of one tuple or with perm() and both mean the same', async (t) => {
  const app = await build(t)
  app.get('/a/:sid', { config: { authorize: [['stuff', 'sid', 'write']] } }, async () => 'ok')
  app.get('/b/:sid', { config: { authorize: perm('stuff', 'sid', 'write') } }, async () => 'ok')
  for (const url of ['/a/x', '/b/x']) {
    assert.equal((await app.inject({ url, headers: as('calvin') })).statusCode, 200)
    const denied = await app.inject({ url, headers: as('hobbes') })
    assert.equal(denied.statusCode, 403)
    assert.equal(denied.body, 'permission denied on stuff:x (write)')
  }
  assert.deepEqual(perm('stuff', 'sid', 'write'), [['stuff', 'sid', 'write']])
  assert.deepEqual(perm('stuff'), [['stuff']])
  assert.deepEqual(perm('stuff', undefined, 'read'), [['stuff', '', 'read']])
})

test('a group and a permission combine in one list and both must hold', async (t) => {
  const app = await build(t)
  app.get('/s/:sid', { config: { authorize: ['staff', perm('stuff', 'sid')] } }, async () => 'ok')
  app.get('/t/:sid', { config: { authorize: ['staff', ['stuff', 'sid', 'read']] } }, async () => 'ok')
  assert.equal((await app.inject({ url: '/s/x', headers: as('calvin') })).statusCode, 200)
  assert.equal((await app.inject({ url: '/s/x', headers: as('moe') })).body, 'not in group "staff"')
  assert.equal((await app.inject({ url: '/s/x', headers: as('hobbes') })).body, 'permission denied on stuff:x')
  assert.equal((await app.inject({ url: '/t/x', headers: as('hobbes') })).statusCode, 200)
})

test('a permission without a parameter uses the first path parameter', async (t) => {
  const seen: unknown[][] = []
  const app = await build(t, { objectPerms: { stuff: (...args: unknown[]) => { seen.push(args); return true } } })
  app.get('/stuff/:sid/part/:pid', { config: { authorize: perm('stuff') } }, async () => 'ok')
  app.get('/x/:xid', { config: { authorize: perm('stuff', undefined, 'del') } }, async () => 'ok')
  assert.equal((await app.inject({ url: '/stuff/s1/part/p1', headers: as('calvin') })).statusCode, 200)
  assert.equal((await app.inject({ url: '/x/7', headers: as('calvin') })).statusCode, 200)
  assert.deepEqual(seen, [['calvin', 's1', undefined], ['calvin', '7', 'del']])
})

test('a permission reads its parameter from the query or the body and "a:b" passes several ids', async (t) => {
  const seen: unknown[][] = []
  const app = await build(t, { objectPerms: { pair: (...args: unknown[]) => { seen.push(args); return args[1] !== 'no' } } })
  app.get('/q', {
    config: { authorize: perm('pair', 'a:b', 'read') },
    schema: { querystring: Type.Object({ a: Type.String(), b: Type.Integer() }) }
  }, async () => 'ok')
  app.post('/body/:a', {
    config: { authorize: perm('pair', 'a:b', 'write') },
    schema: { body: Type.Object({ b: Type.Boolean() }) }
  }, async () => 'ok')
  assert.equal((await app.inject({ url: '/q?a=x&b=3', headers: as('calvin') })).statusCode, 200)
  const denied = await app.inject({ url: '/q?a=no&b=4', headers: as('calvin') })
  assert.equal(denied.statusCode, 403)
  assert.equal(denied.body, 'permission denied on pair:no:4 (read)')
  assert.equal((await app.inject({ method: 'POST', url: '/body/y', headers: as('calvin'), payload: { b: true } })).statusCode, 200)
  assert.deepEqual(seen, [['calvin', 'x', 3, 'read'], ['calvin', 'no', 4, 'read'], ['calvin', 'y', true, 'write']])
})

test('an optional permission parameter that is absent means the object is not found', async (t) => {
  let calls = 0
  const app = await build(t, { objectPerms: { stuff: () => { calls++; return true } } })
  app.get('/q', { config: { authorize: perm('stuff', 'sid') }, schema: { querystring: Type.Object({ sid: Type.Optional(Type.String()) }) } }, async () => 'ok')
  const res = await app.inject({ url: '/q', headers: as('calvin') })
  assert.equal(res.statusCode, 404)
  assert.match(res.body, /^object not found: stuff/)
  assert.equal(calls, 0)
})

test('CLOSE anywhere in a list closes the route', async (t) => {
  const app = await build(t)
  app.get('/c', { config: { authorize: ['staff', 'CLOSE'] } }, async () => 'never')
  app.get('/d/:sid', { config: { authorize: ['CLOSE', perm('stuff', 'sid')] } }, async () => 'never')
  for (const url of ['/c', '/d/x']) {
    const res = await app.inject({ url, headers: as('calvin') })
    assert.equal(res.statusCode, 403)
    assert.equal(res.body, 'currently closed route')
  }
  const audit = app.fsa.routes().find((r) => r.url === '/c' && r.method === 'GET')
  assert.equal(audit?.closed, true)
  assert.equal(audit?.undeclared, false)
})

/** Register one route and return the start-up error it causes (thrown by the route or by ready()). */
async function startupError (t: TestContext, authorize: unknown, url = '/r/:id', extra: Partial<SecureOptions> = {}, schema?: object): Promise<Error & { code?: string }> {
  const app = await build(t, extra)
  try {
    app.get(url, { config: { authorize: authorize as never }, ...(schema === undefined ? {} : { schema }) }, async () => 'x')
    await app.ready()
  } catch (e) {
    return e as Error
  } finally {
    await app.close().catch(() => {})
  }
  assert.fail(`no start-up error for ${JSON.stringify(authorize)}`)
}

test('malformed declarations fail route registration with a message naming method, path and problem', async (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [42, /^GET \/r\/:id: authorize must be a string or a list, got number$/],
    [null, /got null$/],
    [[], /empty list/],
    [[['stuff', 'id', 'read', 'extra']], /\[domain, param, mode\], got 4 values/],
    [[[]], /got 0 values/],
    ['', /an empty string is not a requirement/],
    [['staff', 3], /unexpected requirement of type number/],
    [[[7, 'id']], /needs a domain name first/],
    [[['stuff', 5]], /parameter of permission "stuff" must be a string/],
    [[['stuff', 'id', 5]], /mode of permission "stuff" must be a string/],
    [[['stuff', 'id-x']], /"id-x" is not a parameter name/],
    [['OPEN', 'AUTH'], /'OPEN' cannot be combined/],
    [['OPEN', 'staff'], /'OPEN' cannot be combined/],
    [['OPEN', perm('stuff', 'id')], /'OPEN' cannot be combined/],
    [['OPEN', 'CLOSE'], /'OPEN' cannot be combined/]
  ]
  for (const [authorize, message] of cases) {
    const e = await startupError(t, authorize)
    assert.equal(e.code, 'FSA_ERR_ROUTE_AUTHORIZE', JSON.stringify(authorize))
    assert.match(e.message, /^GET \/r\/:id: /)
    assert.match(e.message, message)
  }
})

test('unknown groups, domains and parameters fail at start-up', async (t) => {
  const declared = await startupError(t, 'wizards', '/r', { groups: ['staff', 'ops'] })
  assert.equal(declared.code, 'FSA_ERR_ROUTE_AUTHORIZE')
  assert.equal(declared.message, 'GET /r: unknown group "wizards" (declared: staff, ops)')
  // a groupCheck key declares its group even when the `groups` list does not name it
  const app = await build(t, { groups: ['staff'] })
  app.get('/admin', { config: { authorize: ['admin', 'staff'] } }, async () => 'ok')
  await app.ready()
  const unchecked = await startupError(t, 'wizards', '/r', { userInGroup: undefined })
  assert.equal(unchecked.message, 'GET /r: cannot check group "wizards": register groupCheck.wizards or userInGroup')
  const domain = await startupError(t, perm('things', 'id'))
  assert.equal(domain.message, 'GET /r/:id: unknown permission domain "things" (registered: stuff)')
  const noDomains = await startupError(t, perm('things', 'id'), '/r/:id', { objectPerms: undefined })
  assert.match(noDomains.message, /\(registered: none\)$/)
  const param = await startupError(t, perm('stuff', 'sid'))
  assert.equal(param.message, 'GET /r/:id: permission "stuff" uses parameter "sid" that the route does not have')
  const secondParam = await startupError(t, perm('stuff', 'id:other'), '/r/:id', {}, { querystring: Type.Object({ q: Type.String() }) })
  assert.match(secondParam.message, /uses parameter "other"/)
  const noParam = await startupError(t, perm('stuff'), '/r')
  assert.equal(noParam.message, 'GET /r: permission "stuff" names no parameter and the path has none')
})

test('route declarations inside a child plugin fail ready() with the prefixed path', async (t) => {
  const app = await build(t)
  app.register(async (child) => {
    child.post('/x', { config: { authorize: perm('nope', 'id') } }, async () => 'x')
  }, { prefix: '/v1' })
  await assert.rejects(async () => { await app.ready() }, (e: Error & { code?: string }) => {
    assert.equal(e.code, 'FSA_ERR_ROUTE_AUTHORIZE')
    assert.equal(e.message, 'POST /v1/x: unknown permission domain "nope" (registered: stuff)')
    return true
  })
})

test('OPEN needs the none scheme and AUTH needs a scheme other than none', async (t) => {
  const noNone = await startupError(t, 'OPEN', '/r', { auth: ['hdr'] })
  assert.match(noNone.message, /'OPEN' needs the scheme "none"/)
  const app = await build(t)
  assert.throws(() => app.get('/x', { config: { authorize: 'AUTH', auth: 'none' } }, async () => 'x'),
    /GET \/x: the route requires authentication but allows no scheme other than "none"/)
})

test('a route without authorize is closed and listed in one warning at ready()', async (t) => {
  const logs: Logs = []
  const app = await build(t, {}, logs)
  app.get('/forgot', async () => 'never')
  app.post('/forgot-too', async () => 'never')
  app.get('/fine', { config: { authorize: 'OPEN' } }, async () => 'fine')
  await app.ready()
  const warnings = logs.filter((l) => l.level === 40 && l.msg.includes('without config.authorize'))
  assert.equal(warnings.length, 1)
  // the automatic HEAD twin of GET /forgot is the same route: listed once
  assert.deepEqual(warnings[0]?.routes, ['GET /forgot', 'POST /forgot-too'])
  assert.match(warnings[0]?.msg ?? '', /2 route\(s\) without config\.authorize are closed \(403\): GET \/forgot, POST \/forgot-too/)
  for (const [method, url] of [['GET', '/forgot'], ['POST', '/forgot-too']] as const) {
    const res = await app.inject({ method, url, headers: as('susie') })
    assert.equal(res.statusCode, 403)
    assert.equal(res.body, 'closed route: no authorization declared')
  }
  const anonymous = await app.inject('/forgot')
  assert.equal(anonymous.statusCode, 403, 'closed before authentication: no 401 either')
  assert.equal((await app.inject('/fine')).statusCode, 200)
})

test('no closed-route warning is logged when every route declares authorize', async (t) => {
  const logs: Logs = []
  const app = await build(t, {}, logs)
  app.get('/fine', { config: { authorize: 'AUTH' } }, async () => 'fine')
  await app.ready()
  assert.deepEqual(logs.filter((l) => l.level >= 40).map((l) => l.code), ['FSAWRN_GROUP_UNUSED', 'FSAWRN_PERM_UNUSED'], 'only the unused groupCheck.admin and objectPerms.stuff')
})

test('strict mode makes a route without authorize a start-up error', async (t) => {
  const app = await build(t, { strict: true })
  app.get('/forgot', async () => 'never')
  app.get('/fine', { config: { authorize: 'OPEN' } }, async () => 'fine')
  await assert.rejects(async () => { await app.ready() }, (e: Error & { code?: string }) => {
    assert.equal(e.code, 'FSA_ERR_ROUTE_UNDECLARED')
    assert.match(e.message, /GET \/forgot$/)
    return true
  })
})

test('routes of other plugins and encapsulated child plugins are covered the same way', async (t) => {
  const logs: Logs = []
  const app = await build(t, {}, logs)
  await app.register(async (child) => {
    child.get('/', async () => 'child root')
    child.get('/open', { config: { authorize: 'OPEN' } }, async () => 'child open')
    child.get('/staff', { config: { authorize: 'staff' } }, async (req) => `staff ${String(req.user)}`)
    await child.register(async (grandchild) => {
      grandchild.get('/deep', async () => 'deep')
    }, { prefix: '/g' })
  }, { prefix: '/v1' })
  await app.ready()
  for (const url of ['/v1', '/v1/', '/v1/g/deep']) {
    const res = await app.inject({ url, headers: as('susie') })
    assert.equal(res.statusCode, 403, url)
    assert.equal(res.body, 'closed route: no authorization declared')
  }
  assert.equal((await app.inject('/v1/open')).body, 'child open')
  assert.equal((await app.inject({ url: '/v1/staff', headers: as('calvin') })).body, 'staff calvin')
  assert.equal((await app.inject({ url: '/v1/staff', headers: as('moe') })).statusCode, 403)
  assert.equal((await app.inject('/v1/staff')).statusCode, 401)
  const warning = logs.find((l) => l.msg.includes('without config.authorize'))
  // Fastify adds '/v1/' to GET '/v1' without a second onRoute call (same options, same hooks), but HEAD '/v1/' has its own
  // HEAD twins (including HEAD '/v1/') are not listed again
  assert.deepEqual(warning?.routes, ['GET /v1', 'GET /v1/g/deep'])
})

test('the audit lists every route with its declaration, schemes, groups and permissions', async (t) => {
  const app = await build(t, { realm: 'acme' })
  app.get('/open', { config: { authorize: 'OPEN' } }, async () => 'x')
  app.post('/stuff/:sid', { config: { authorize: ['staff', perm('stuff', 'sid', 'write')], realm: 'mfa' } }, async () => 'x')
  app.delete('/forgot', async () => 'x')
  await app.ready()
  const routes = app.fsa.routes()
  assert.deepEqual(routes.map((r) => `${r.method} ${r.url}`), ['GET /open', 'HEAD /open', 'POST /stuff/:sid', 'DELETE /forgot'])
  const [open, , stuff, forgot] = routes
  assert.deepEqual(open, {
    method: 'GET', url: '/open', authorize: 'OPEN', open: true, closed: false, undeclared: false, early: false,
    schemes: [], realm: 'acme', groups: [], scopes: [], perms: []
  })
  assert.deepEqual(stuff, {
    method: 'POST', url: '/stuff/:sid', authorize: ['staff', [['stuff', 'sid', 'write']]], open: false, closed: false, undeclared: false, early: false,
    schemes: ['hdr'], realm: 'mfa', groups: ['staff'], scopes: [], perms: [{ domain: 'stuff', params: ['sid'], mode: 'write' }]
  })
  assert.equal(forgot?.authorize, undefined)
  assert.equal(forgot?.closed, true)
  assert.equal(forgot?.undeclared, true)
  // the audit is a copy: changing it does not change the plugin's record
  ;(routes[0] as { url: string }).url = '/changed'
  assert.equal(app.fsa.routes()[0]?.url, '/open')
})

test('a bad per-route auth or realm fails at start-up', async (t) => {
  const app = await build(t)
  assert.throws(() => app.get('/a', { config: { authorize: 'AUTH', auth: 42 as never } }, async () => 'x'),
    { code: 'FSA_ERR_ROUTE_AUTH', message: 'GET /a: config.auth must be a scheme name or a list of them' })
  assert.throws(() => app.get('/b', { config: { authorize: 'AUTH', auth: 'basic' } }, async () => 'x'),
    { code: 'FSA_ERR_ROUTE_AUTH', message: 'GET /b: scheme "basic" is not enabled (enabled: hdr, none)' })
  assert.throws(() => app.get('/c', { config: { authorize: 'AUTH', realm: '' } }, async () => 'x'),
    { code: 'FSA_ERR_ROUTE_AUTH', message: 'GET /c: config.realm must be a non-empty string' })
})
