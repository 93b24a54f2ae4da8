// Schemes describe themselves (lib/schemes/*.ts) and are listed once (lib/schemes/index.ts): the
// plugin enables, builds, exempts and documents them from those definitions alone.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SCHEMES, builtinScheme, stageOf, type SchemeSettings } from '../lib/schemes/index.js'
import { SecureOptionsSchema } from '../lib/core/options.js'
import { securitySchemes } from '../lib/openapi/security.js'

const settings = (token?: SchemeSettings['token']): SchemeSettings => ({ enabled: SCHEMES.map((s) => s.name), param: { user: 'username', pass: 'password' }, token })

test('every built-in scheme has a unique name, a factory and a stage', () => {
  const names = SCHEMES.map((s) => s.name)
  assert.deepEqual(names, ['none', 'basic', 'param', 'token', 'oauth'])
  assert.equal(new Set(names).size, names.length)
  for (const s of SCHEMES) {
    assert.equal(typeof s.create, 'function', s.name)
    assert.ok(['request', 'body'].includes(stageOf(s, settings())), s.name)
    assert.equal(builtinScheme(s.name), s)
  }
  assert.equal(builtinScheme('kerberos'), undefined)
})

test('the option a scheme reads is the same schema in the plugin options', () => {
  const props = SecureOptionsSchema.properties as Record<string, unknown>
  const withOption = SCHEMES.filter((s) => s.option !== undefined)
  assert.deepEqual(withOption.map((s) => s.option?.key), ['param', 'token', 'token'])
  for (const s of withOption) {
    assert.deepEqual(props[s.option?.key as string], s.option?.schema, `${s.name}: ${s.option?.key}`)
  }
})

test('stages and credential parameters follow the settings: a token carried as a parameter is read from the body', () => {
  const param = builtinScheme('param')
  const token = builtinScheme('token')
  assert.ok(param !== undefined && token !== undefined)
  assert.deepEqual(param.credentialParams?.(settings()), ['username', 'password'])
  assert.equal(stageOf(param, settings()), 'body')
  const bearer = settings({ type: 'fsa', carrier: 'bearer', name: 'Bearer' })
  const carried = settings({ type: 'fsa', carrier: 'param', name: 'AUTH' })
  assert.deepEqual([stageOf(token, bearer), token.credentialParams?.(bearer)], ['request', []])
  assert.deepEqual([stageOf(token, carried), token.credentialParams?.(carried)], ['body', ['AUTH']])
  assert.equal(builtinScheme('basic')?.credentialParams, undefined, 'basic credentials are in a header')
})

test('the OpenAPI security schemes are those the scheme definitions give', () => {
  const token = { type: 'jwt' as const, carrier: 'cookie' as const, name: 'auth' }
  const doc = securitySchemes(['token', 'password', 'oauth', 'none'], token, { user: 'username', pass: 'password' })
  const expected: Record<string, unknown> = {}
  const s = { enabled: ['token', 'basic', 'param', 'oauth', 'none'], param: { user: 'username', pass: 'password' }, token }
  for (const def of SCHEMES) if (def.openapi !== undefined) expected[def.openapi.name] = def.openapi.scheme(s)
  assert.deepEqual(doc, expected)
  assert.deepEqual(Object.keys(doc), ['token', 'basic', 'oauth'])
  assert.match(String((doc.basic as { description: string }).description), /parameters username and password/)
  assert.deepEqual(doc.token, { type: 'apiKey', in: 'cookie', name: 'auth', description: 'A JWT, obtained from the application\'s login route.' })
})
