// Form bodies beside an application's own urlencoded parser: the plugin's parser is registered under
// a pattern, so @fastify/formbody (or any parser for the exact type) registered before or after it
// never collides and takes over; forms still follow the parameter rules either way.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance } from 'fastify'
import formbody from '@fastify/formbody'
import { Type } from 'typebox'
import secure, { JsonData } from '../lib/index.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const Body = Type.Object({ price: Type.Number(), tags: Type.Optional(Type.Array(Type.String())), j: Type.Optional(JsonData) })

type Parser = 'none' | 'formbody' | 'custom'

async function build (parser: Parser, when: 'before' | 'after'): Promise<FastifyInstance> {
  const app = Fastify({ logger: false })
  const own = async (): Promise<void> => {
    if (parser === 'formbody') await app.register(formbody)
    if (parser === 'custom') {
      app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
        done(null, { ...Object.fromEntries(new URLSearchParams(body as string)), parsedBy: 'app' })
      })
    }
  }
  if (when === 'before') await own()
  await app.register(secure, { auth: ['none'], errorResponse: 'json:error', rejectUnexpectedParam: parser !== 'custom' })
  if (when === 'after') await own()
  app.post('/stuff', { config: { authorize: 'OPEN' }, schema: { body: Body } }, async (req) => req.body)
  app.post('/raw', { config: { authorize: 'OPEN' } }, async (req) => req.body)
  return app
}

for (const parser of ['none', 'formbody'] as const) {
  for (const when of ['before', 'after'] as const) {
    test(`forms follow the parameter rules with ${parser === 'none' ? 'no parser of the app' : `@fastify/formbody registered ${when} the plugin`}`, async () => {
      const app = await build(parser, when)
      const ok = await app.inject({ method: 'POST', url: '/stuff', headers: FORM, payload: 'price=9.5&tags=a&tags=b&j=%7B%22a%22%3A%5B1%5D%7D' })
      assert.equal(ok.statusCode, 200, ok.body)
      assert.deepEqual(ok.json(), { price: 9.5, tags: ['a', 'b'], j: { a: [1] } })
      const bad = await app.inject({ method: 'POST', url: '/stuff', headers: FORM, payload: 'price=cheap&extra=1&j=%7Bnope' })
      assert.equal(bad.statusCode, 400)
      assert.deepEqual(bad.json().error.split('\n').sort(), ['parameter "j" (body): invalid JSON', 'parameter "price" (body): must be number', 'unexpected parameter "extra" (body)'])
      // a content type with parameters is a form too
      const charset = await app.inject({ method: 'POST', url: '/stuff', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, payload: 'price=1' })
      assert.deepEqual(charset.json(), { price: 1 })
      await app.close()
    })
  }
}

for (const when of ['before', 'after'] as const) {
  test(`an application parser for forms registered ${when} the plugin starts and takes over`, async () => {
    const app = await build('custom', when)
    const r = await app.inject({ method: 'POST', url: '/raw', headers: FORM, payload: 'a=1' })
    assert.deepEqual(r.json(), { a: '1', parsedBy: 'app' })
    assert.deepEqual((await app.inject({ method: 'POST', url: '/stuff', headers: FORM, payload: 'price=2' })).json(), { price: 2, parsedBy: 'app' })
    await app.close()
  })
}
