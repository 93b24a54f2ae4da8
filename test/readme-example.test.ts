/**
 * The README's twenty-line example is code users paste first: this test runs it (with `ready()`
 * in place of `listen()`) and checks what the README says it does.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { readmeExample, root, writeExample } from './helpers/readme.js'

const example = (): string => readmeExample('## Twenty lines')

test('the README example has at most twenty-five lines and listens on port 3000', () => {
  const code = example()
  assert.ok(code.trimEnd().split('\n').length <= 25)
  assert.match(code, /await app\.listen\(\{ port: 3000 \}\)/)
})

test('the README example behaves as the README says', async () => {
  const code = example()
    .replace("from 'fastify-simple-auth'", `from ${JSON.stringify(join(root, 'lib/index.js'))}`)
    .replace('await app.listen({ port: 3000 })', 'await app.ready()\nexport { app }')
  const file = writeExample('readme-example', code)
  const { app } = await import(file) as { app: FastifyInstance }
  const basic = { authorization: 'Basic ' + Buffer.from('calvin:Hobbes123').toString('base64') }
  assert.deepEqual((await app.inject({ url: '/hello' })).json(), { msg: 'hello' })
  assert.deepEqual((await app.inject({ url: '/me', headers: basic })).json(), { user: 'calvin' })
  const anonymous = await app.inject({ url: '/me' })
  assert.equal(anonymous.statusCode, 401)
  assert.equal(anonymous.headers['www-authenticate'], 'Basic realm="acme", charset="UTF-8", Bearer realm="acme"')
  const token = (await app.inject({ url: '/token', headers: basic })).json().token as string
  assert.equal((await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 200)
  assert.deepEqual((await app.inject({ method: 'DELETE', url: '/stuff/s1', headers: basic })).json(), { deleted: true })
  assert.equal((await app.inject({ method: 'DELETE', url: '/stuff/nope', headers: basic })).statusCode, 404)
  const admin = await app.inject({ url: '/admin', headers: basic })
  assert.deepEqual([admin.statusCode, admin.body], [501, 'not implemented yet'])
  assert.equal((await app.inject({ url: '/forgotten', headers: basic })).statusCode, 403)
  await app.close()
})
