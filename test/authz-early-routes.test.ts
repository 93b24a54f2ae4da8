/**
 * Closed means closed (issue 11, part 1): a route the plugin never compiled is never served.
 * Routes declared before the plugin, right after an un-awaited `register`, in child plugins
 * registered before it (with prefixes), their automatic HEAD twins, with a custom not-found
 * handler: 403, or a start-up error under `strict`; listed at start-up and by `fsa.routes()`.
 * Unknown paths still reach the not-found handler.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance } from 'fastify'
import secure from '../lib/index.js'
import { logCapture } from './helpers/app.js'

const options = { auth: ['basic', 'none'], getUserPass: () => undefined, realm: 'test' }
const adminOnly = { config: { authorize: 'admin' } }
const handler = async (): Promise<string> => 'secret'

/** An app whose routes are declared before the plugin in every way Fastify allows. */
type EarlyApp = FastifyInstance & { logs: ReturnType<typeof logCapture> }

async function earlyApp (t: { after: (fn: () => unknown) => void }, strict = false): Promise<EarlyApp> {
  const logs = logCapture()
  const app = Object.assign(Fastify({ logger: { level: 'warn', stream: logs.stream } }), { logs })
  t.after(() => app.close())
  app.get('/before', adminOnly, handler)
  await app.register(async (child) => { child.get('/awaited', adminOnly, handler) }, { prefix: '/child' })
  app.register(async (child) => { child.get('/later', adminOnly, handler) }, { prefix: '/sibling' })
  void app.register(secure, { ...options, strict, groupCheck: { admin: () => true } })
  // the plugin is not loaded yet: these routes go into the router without its onRoute hook
  app.get('/admin', adminOnly, handler)
  app.post('/admin', adminOnly, handler)
  app.get('/open', { config: { authorize: 'OPEN' } }, async () => 'open')
  return app as unknown as EarlyApp
}

const earlyUrls = ['/before', '/child/awaited', '/sibling/later', '/admin', '/open']

test('routes declared before the plugin or after an un-awaited register answer 403, never 200', async (t) => {
  const app = await earlyApp(t)
  for (const url of earlyUrls) {
    const get = await app.inject(url)
    assert.equal(get.statusCode, 403, `GET ${url}`)
    assert.match(get.body, /registered before the plugin/)
    const head = await app.inject({ method: 'HEAD', url })
    assert.equal(head.statusCode, 403, `HEAD ${url}`)
  }
  assert.equal((await app.inject({ method: 'POST', url: '/admin' })).statusCode, 403)
  // basic credentials do not help: the plugin never compiled the declaration
  const withAuth = await app.inject({ url: '/admin', headers: { authorization: 'Basic ' + Buffer.from('a:b').toString('base64') } })
  assert.equal(withAuth.statusCode, 403)
})

test('unknown paths still answer 404 through the not-found handler', async (t) => {
  const app = await earlyApp(t)
  assert.equal((await app.inject('/nowhere')).statusCode, 404)
  assert.equal((await app.inject({ method: 'HEAD', url: '/child/nowhere' })).statusCode, 404)
})

test('with a custom not-found handler, early routes answer 403 and unknown paths its 404', async (t) => {
  const app = Fastify()
  t.after(() => app.close())
  app.setNotFoundHandler((_request, reply) => { void reply.code(404).send({ custom: true }) })
  app.get('/before', adminOnly, handler)
  await app.register(secure, { ...options, groupCheck: { admin: () => true } })
  app.get('/after', { config: { authorize: 'OPEN' } }, async () => 'after')
  assert.equal((await app.inject('/before')).statusCode, 403)
  assert.equal((await app.inject('/after')).statusCode, 200)
  const missing = await app.inject('/missing')
  assert.equal(missing.statusCode, 404)
  assert.deepEqual(missing.json(), { custom: true })
})

test('routes declared after the plugin are served as declared, auto-HEAD included', async (t) => {
  const app = Fastify()
  t.after(() => app.close())
  await app.register(secure, options)
  await app.register(async (child) => { child.get('/hello', { config: { authorize: 'OPEN' } }, async () => 'hi') }, { prefix: '/v1' })
  app.get('/hello', { config: { authorize: 'OPEN' } }, async () => 'hi')
  for (const url of ['/hello', '/v1/hello']) {
    assert.equal((await app.inject(url)).statusCode, 200, url)
    assert.equal((await app.inject({ method: 'HEAD', url })).statusCode, 200, url)
  }
})

test('early routes are listed at start-up (FSAWRN_ROUTE_EARLY) and by fsa.routes()', async (t) => {
  const app = await earlyApp(t)
  await app.ready()
  const warning = app.logs.lines.map((l) => JSON.parse(l) as { code?: string, routes?: string[], msg: string }).find((l) => l.code === 'FSAWRN_ROUTE_EARLY')
  assert.ok(warning !== undefined, app.logs.text())
  for (const url of earlyUrls) assert.ok(warning.routes?.includes(`GET ${url}`), `GET ${url} in ${warning.msg}`)
  assert.ok(warning.routes?.includes('POST /admin'))
  assert.ok(!(warning.routes ?? []).some((r) => r.startsWith('HEAD ')), 'a HEAD twin is listed once, as its GET')
  const early = app.fsa.routes().filter((r) => r.early)
  assert.ok(early.some((r) => r.method === 'HEAD' && r.url === '/admin'))
  for (const r of early) assert.equal(r.closed, true)
  assert.deepEqual(new Set(early.map((r) => r.url)), new Set(earlyUrls))
})

test('strict mode refuses to start with early routes, naming method and path', async (t) => {
  const app = await earlyApp(t, true)
  await assert.rejects(async () => { await app.ready() }, (e: Error & { code?: string }) => {
    assert.equal(e.code, 'FSA_ERR_ROUTE_EARLY')
    assert.match(e.message, /GET \/before/)
    assert.match(e.message, /POST \/admin/)
    assert.match(e.message, /GET \/child\/awaited/)
    return true
  })
})

test('strict mode starts when every route is declared after the plugin', async (t) => {
  const app = Fastify()
  t.after(() => app.close())
  await app.register(secure, { ...options, strict: true })
  app.get('/open', { config: { authorize: 'OPEN' } }, async () => 'open')
  await app.ready()
  assert.deepEqual(app.fsa.routes().filter((r) => r.early), [])
})

test('registered in an encapsulated context, the plugin leaves the routes outside it alone and unlisted', async (t) => {
  const app = Fastify()
  t.after(() => app.close())
  app.get('/outside', async () => 'the application\'s')
  let routes: () => Array<{ url: string, early: boolean }> = () => []
  await app.register(async (scope) => {
    scope.get('/inside-before', adminOnly, handler)
    await scope.register(secure, { ...options, strict: true, groupCheck: { admin: () => true } })
    scope.get('/inside', { config: { authorize: 'OPEN' } }, async () => 'open')
    routes = () => scope.fsa.routes()
  })
  await app.ready()
  assert.equal((await app.inject('/outside')).statusCode, 200)
  assert.equal((await app.inject('/inside')).statusCode, 200)
  assert.equal((await app.inject('/inside-before')).statusCode, 403, 'closed in its scope, though not listed')
  assert.deepEqual(routes().filter((r) => r.early), [])
})

test('routes sharing a prefix, a prefixed "/" route and wildcards are not mistaken for early routes', async (t) => {
  // the radix tree prints /hello-me as "-me" under /hello, and /docs/ as the twin of /docs
  const app = Fastify()
  t.after(() => app.close())
  await app.register(secure, { ...options, strict: true })
  const open = { config: { authorize: 'OPEN' } }
  app.get('/hello', open, async () => 'hello')
  app.get('/hello-me', open, async () => 'me')
  app.patch('/stuff/:sid', open, async () => 'patched')
  await app.register(async (docs) => {
    docs.get('/', open, async () => 'ui')
    docs.get('/static/index.html', open, async () => 'index')
    docs.get('/static/*', open, async () => 'file')
  }, { prefix: '/docs' })
  await app.ready()
  assert.deepEqual(app.fsa.routes().filter((r) => r.early).map((r) => `${r.method} ${r.url}`), [])
  for (const url of ['/hello-me', '/docs/', '/docs/static/x.js']) assert.equal((await app.inject(url)).statusCode, 200, url)
})

test('an early route under the path of a compiled one is listed by its full path', async (t) => {
  const app = Fastify()
  t.after(() => app.close())
  app.get('/hello-early', adminOnly, handler)
  app.get('/files/*', adminOnly, handler)
  await app.register(secure, { ...options, groupCheck: { admin: () => true } })
  app.get('/hello', { config: { authorize: 'OPEN' } }, async () => 'hello')
  app.get('/files/index.html', { config: { authorize: 'OPEN' } }, async () => 'index')
  await app.ready()
  const early = app.fsa.routes().filter((r) => r.early && r.method === 'GET').map((r) => r.url).sort()
  assert.deepEqual(early, ['/files/*', '/hello-early'])
  assert.equal((await app.inject('/hello-early')).statusCode, 403)
})

test('beside a top-level wildcard (the router then has an empty root node), early routes are listed by their paths', async (t) => {
  const app = Fastify()
  t.after(() => app.close())
  app.get('/before', adminOnly, handler)
  await app.register(secure, { ...options, strict: false, groupCheck: { admin: () => true } })
  app.get('/hello', { config: { authorize: 'OPEN' } }, async () => 'open')
  app.options('*', { config: { authorize: 'OPEN' } }, async () => '')
  await app.ready()
  assert.deepEqual(app.fsa.routes().filter((r) => r.early).map((r) => `${r.method} ${r.url}`).sort(), ['GET /before', 'HEAD /before'])
  assert.equal((await app.inject({ url: '/hello' })).statusCode, 200)
})

test('nested routes declared after the plugin are not reported as early (printRoutes tree paths are rebuilt)', async (t) => {
  const logs = logCapture()
  const app = Fastify({ logger: { level: 'warn', stream: logs.stream } })
  t.after(() => app.close())
  await app.register(secure, options)
  // `/` is the parent of every other node, `/auth/users/:login` the parent of `/x` in the tree
  for (const url of ['/', '/account', '/auth/users/:login', '/auth/users/:login/x', '/auth/sessions/:id']) app.get(url, { config: { authorize: 'AUTH' } }, handler)
  app.get('/early-free', { config: { authorize: 'OPEN' } }, handler)
  await app.ready()
  assert.equal(logs.lines.find((l) => l.includes('FSAWRN_ROUTE_EARLY')), undefined, logs.text())
  assert.deepEqual(app.fsa.routes().filter((r) => r.early), [])
})
