// FlaskSimpleAuth's parameter behaviour replayed on the acme demo (issue 14): unexpected
// parameters on routes without a schema, missing ones named, a request without a body. Nullable
// unions, boolean spellings and uploads, which the demo has no route for, are replayed on small
// apps in test/params-fidelity.test.ts and test/params-uploads.test.ts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { Tester } from '../lib/testing/index.js'
import { buildApp, type AcmeApp } from '../examples/acme/app.js'

const CHEAP = { memoryCost: 64, timeCost: 1, allowWeak: true }
const USERS = { acme: { password: 'Acme1' } }

async function acme (t: { after: (fn: () => unknown) => void }): Promise<{ app: AcmeApp, tester: Tester }> {
  const app = await buildApp({ db: 'sqlite::memory:', adminPassword: USERS.acme.password, secret: randomBytes(32).toString('hex'), hashing: CHEAP })
  t.after(() => app.close())
  return { app, tester: new Tester({ app, users: USERS, param: { user: 'username', pass: 'password' } }) }
}

const errorOf = (body: unknown): string[] => String((body as { error?: unknown }).error ?? body).split('\n').sort()

test('acme: routes without a parameter schema answer 400 naming an unexpected parameter', async (t) => {
  const { tester } = await acme(t)
  const hello = await tester.request('GET', '/hello', { query: { foo: 'bar' } })
  assert.equal(hello.status, 400)
  assert.deepEqual(errorOf(hello.body), ['unexpected parameter "foo" (query)'])
  for (const path of ['/hello-me', '/stuff', '/token']) {
    const r = await tester.request('GET', path, { login: 'acme', query: { foo: 'bar' } })
    assert.equal(r.status, 400, path)
    assert.deepEqual(errorOf(r.body), ['unexpected parameter "foo" (query)'], path)
  }
  const form = await tester.request('GET', '/hello', { form: { foo: 'bar' } })
  assert.equal(form.status, 400)
  assert.deepEqual(errorOf(form.body), ['unexpected parameter "foo" (body)'])
  // the same routes without the parameter, and the param scheme's credentials, still pass
  await tester.request('GET', '/hello', { status: 200 })
  await tester.request('GET', '/token', { login: 'acme', auth: 'param', status: 200 })
  await tester.request('POST', '/token', { login: 'acme', auth: 'param', form: {}, status: 201 })
  const extra = await tester.request('POST', '/token', { login: 'acme', auth: 'param', form: { foo: 'bar' } })
  assert.deepEqual([extra.status, errorOf(extra.body)], [400, ['unexpected parameter "foo" (body)']])
})

test('acme: a request without a body names every missing parameter', async (t) => {
  const { tester } = await acme(t)
  const user = await tester.request('POST', '/user', { login: 'acme' })
  assert.equal(user.status, 400)
  assert.deepEqual(errorOf(user.body), ['missing parameter "email" (body)', 'missing parameter "login" (body)', 'missing parameter "password" (body)'])
  const stuff = await tester.request('POST', '/stuff', { login: 'acme' })
  assert.deepEqual([stuff.status, errorOf(stuff.body)], [400, ['missing parameter "price" (body)', 'missing parameter "stuff" (body)']])
  await tester.request('POST', '/stuff', { login: 'acme', json: { stuff: 'pen', price: 1 }, status: 201 })
  const patch = await tester.request('PATCH', '/stuff/pen', { login: 'acme' })
  assert.deepEqual([patch.status, errorOf(patch.body)], [400, ['missing parameter "price" (body)']])
  // as an empty JSON object does
  const empty = await tester.request('POST', '/stuff', { login: 'acme', json: {} })
  assert.deepEqual(errorOf(empty.body), errorOf(stuff.body))
})
