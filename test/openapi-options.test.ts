// The docs plugin checks its options with the one option checker of the plugins: an unknown key
// or a bad value fails ready() with the same FSA_ERR_OPT_* wording as the secure plugin's.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import secure from '../lib/index.js'
import docs, { type DocsOptions } from '../plugins/docs.js'
import { readyError } from './helpers/ready-error.js'

async function startupError (options: unknown): Promise<Error & { code?: string }> {
  return await readyError(async (app) => {
    await app.register(secure, { auth: ['token', 'none'], token: { secret: 's'.repeat(32) } })
    await app.register(docs, options as DocsOptions)
  })
}

test('an unknown docs option is named with the keys allowed there', async () => {
  const e = await startupError({ prefix: '/docs' })
  assert.equal(e.code, 'FSA_ERR_OPT_UNKNOWN')
  assert.match(e.message, /unknown option "prefix" \(allowed here: routePrefix, openapi, securitySchemes, errorResponse, swagger, ui\)/)
})

test('bad docs option values say what is allowed', async () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ routePrefix: 'docs' }, /invalid option "routePrefix": expected a path such as "\/docs"/],
    [{ openapi: 'Acme' }, /invalid option "openapi": expected an object/],
    [{ errorResponse: 'xml' }, /invalid option "errorResponse": expected "plain", "json", "json:KEY" or a function/],
    [{ ui: true }, /invalid option "ui": expected an object/]
  ]
  for (const [options, message] of cases) {
    const e = await startupError(options)
    assert.equal(e.code, 'FSA_ERR_OPT_INVALID', JSON.stringify(options))
    assert.match(e.message, message)
  }
})
