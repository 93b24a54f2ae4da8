// What an operation requires, in its description, and the param scheme's fields where they travel
// (lib/openapi/describe.ts), for every kind of route.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from 'typebox'
import { authorizationText, describeOperation } from '../lib/openapi/describe.js'
import type { RouteSecurityInfo } from '../lib/index.js'

const PARAM = { user: 'USER', pass: 'PASS' }
const info = (over: Partial<RouteSecurityInfo>): RouteSecurityInfo => ({
  method: 'GET', url: '/x', authorize: 'AUTH', open: false, closed: false, undeclared: false, early: false, schemes: ['basic'], realm: 'r', groups: [], scopes: [], perms: [], ...over
})

test('the description says who may call the route', () => {
  assert.equal(authorizationText(info({ open: true, schemes: [] })), 'Open: no authentication.')
  assert.equal(authorizationText(info({ closed: true })), 'Closed: every request is refused (403).')
  assert.match(authorizationText(info({ closed: true, undeclared: true })), /^Closed: the route declares no `authorize`/)
  assert.match(authorizationText(info({ closed: true, early: true })), /^Closed: registered before fastify-simple-auth/)
  assert.equal(authorizationText(info({ schemes: ['oauth'], scopes: ['read', 'write'] })), 'Authorization: authenticated (oauth) and granted scope `read`, `write`.')
  assert.equal(authorizationText(info({ schemes: ['token'], groups: ['admin'], perms: [{ domain: 'pair', params: ['a', 'b'], mode: undefined }] })),
    'Authorization: authenticated (token) and in group `admin` and permission on `pair` `a`, `b`.')
})

test('the route\'s own description comes first; shared schemas are not changed', () => {
  const schema = { description: 'Mine.', querystring: Type.Object({ n: Type.Integer() }) }
  const copy = JSON.parse(JSON.stringify(schema))
  const described = describeOperation(schema, info({ schemes: ['basic', 'param'] }), PARAM)
  assert.match(described.description as string, /^Mine\.\n\nAuthorization: authenticated \(basic, param\)\. Credentials as parameters: `USER` and `PASS`\.$/)
  assert.deepEqual(Object.keys((described.querystring as { properties: object }).properties), ['n', 'USER', 'PASS'])
  assert.deepEqual((described.querystring as { required: string[] }).required, ['n'])
  assert.deepEqual(JSON.parse(JSON.stringify(schema)), copy)
})

test('credentials go to the query for GET-like routes, to the body otherwise, required when param is alone', () => {
  const get = describeOperation({}, info({ method: 'HEAD,GET', schemes: ['param'] }), PARAM)
  assert.deepEqual((get.querystring as { required: string[] }).required, ['USER', 'PASS'])
  assert.equal(get.body, undefined)
  const mixed = describeOperation({}, info({ method: 'GET,POST', schemes: ['param'] }), PARAM)
  assert.ok(mixed.body !== undefined && mixed.querystring === undefined)
  assert.deepEqual(mixed.consumes, ['application/x-www-form-urlencoded', 'application/json'])
  const own = describeOperation({ consumes: ['application/json'] }, info({ method: 'POST', schemes: ['param'] }), PARAM)
  assert.deepEqual(own.consumes, ['application/json'])
})

test('no fields on open or closed routes, nor in a body that is not a plain object', () => {
  for (const over of [{ open: true, schemes: [] }, { closed: true, schemes: ['param'] }, { schemes: ['basic'] }]) {
    const described = describeOperation({}, info({ method: 'POST', ...over }), PARAM)
    assert.equal(described.body, undefined, JSON.stringify(over))
  }
  const union = Type.Union([Type.Object({ a: Type.String() }), Type.Object({ b: Type.String() })])
  const described = describeOperation({ body: union }, info({ method: 'POST', schemes: ['param'] }), PARAM)
  assert.equal(described.body, union)
  assert.match(described.description as string, /Credentials as parameters: `USER` and `PASS`/)
})
