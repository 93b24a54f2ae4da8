/**
 * The README's "Use it in your app" example (TypeBox route with the type provider, the docs
 * plugin): this test runs it (with `ready()` in place of `listen()`) and checks what the README
 * says it does.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { readmeExample, root, writeExample } from './helpers/readme.js'

const example = (): string => readmeExample('## Use it in your app')

test('the README app example registers the plugin and the docs, and listens on port 3000', () => {
  const code = example()
  assert.match(code, /await app\.register\(secure, /)
  assert.match(code, /await app\.register\(docs, /)
  assert.match(code, /withTypeProvider<TypeBoxTypeProvider>\(\)/)
  assert.match(code, /await app\.listen\(\{ port: 3000 \}\)/)
})

test('the README app example behaves as the README says', async (t) => {
  const code = example()
    .replace("from 'fastify-simple-auth/docs'", `from ${JSON.stringify(join(root, 'plugins/docs.js'))}`)
    .replace("from 'fastify-simple-auth'", `from ${JSON.stringify(join(root, 'lib/index.js'))}`)
    .replace('await app.listen({ port: 3000 })', 'await app.ready()\nexport { app }')
  const file = writeExample('readme-use-in-app', code)
  t.after(() => rmSync(file, { force: true }))
  const { app } = await import(file) as { app: FastifyInstance }
  t.after(() => app.close())
  const basic = { authorization: 'Basic ' + Buffer.from('calvin:Hobbes-123').toString('base64') }

  const sum = await app.inject({ url: '/add?a=1&b=2', headers: basic })
  assert.deepEqual([sum.statusCode, sum.json()], [200, { user: 'calvin', sum: 3 }])
  const bad = await app.inject({ url: '/add?a=one&b=2', headers: basic })
  assert.equal(bad.statusCode, 400)
  assert.match(bad.body, /\ba\b/)
  assert.equal((await app.inject({ url: '/add?a=1&b=2' })).statusCode, 401)

  const doc = await app.inject({ url: '/docs/json' })
  assert.equal(doc.statusCode, 200)
  const add = doc.json().paths['/add'].get
  assert.deepEqual(add.security, [{ basic: [] }])
  assert.equal((await app.inject({ url: '/docs' })).statusCode < 400, true)
})
