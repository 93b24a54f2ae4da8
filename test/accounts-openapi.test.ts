// The account routes document themselves: the docs plugin (@fastify/swagger) sees their schemas and security.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import docs from '../plugins/docs.js'
import users from '../plugins/users.js'
import { buildApp } from './helpers/app.js'
import { FAST_PASSWORD, SECRET } from './helpers/accounts-app.js'

test('every account route appears in the OpenAPI document with its parameters and responses', async (t) => {
  const app = await buildApp(t, { store: 'sqlite::memory:', auth: ['token', 'basic', 'param', 'none'], password: FAST_PASSWORD, token: { secret: SECRET } },
    async (app) => {
      await app.register(docs, { openapi: { info: { title: 'acme', version: '1' } } })
      await app.register(users)
    }, { ready: true })
  const doc = app.swagger() as { paths: Record<string, Record<string, any>> }
  const expected: Record<string, string[]> = {
    '/auth/register': ['post'],
    '/auth/login': ['post'],
    '/auth/logout': ['post'],
    '/auth/sessions': ['get'],
    '/auth/sessions/{id}': ['delete'],
    '/auth/me': ['get'],
    '/auth/me/data': ['get', 'put', 'patch'],
    '/auth/password': ['post'],
    '/auth/password/forgot': ['post'],
    '/auth/password/reset': ['post'],
    '/auth/confirm': ['get', 'post'],
    '/auth/confirm/send': ['post'],
    '/auth/users': ['get', 'post'],
    '/auth/users/{login}': ['get', 'patch', 'delete'],
    '/auth/groups': ['get', 'post'],
    '/auth/groups/{group}': ['delete'],
    '/auth/groups/{group}/members': ['get'],
    '/auth/groups/{group}/members/{login}': ['put', 'delete']
  }
  assert.deepEqual(Object.keys(doc.paths).filter((p) => p.startsWith('/auth/')).sort(), Object.keys(expected).sort())
  for (const [path, methods] of Object.entries(expected)) {
    assert.deepEqual(Object.keys(doc.paths[path] ?? {}).sort(), [...methods].sort(), path)
    for (const m of methods) assert.ok(Object.keys(doc.paths[path]?.[m]?.responses ?? {}).length >= 2, `${m} ${path} documents its responses`)
  }
  const register = doc.paths['/auth/register']?.post
  assert.deepEqual(Object.keys(register.requestBody.content['application/json'].schema.properties), ['login', 'email', 'password'])
  assert.ok(register.responses['409'])
  const userParams = doc.paths['/auth/users/{login}']?.get.parameters.map((p: { name: string, in: string }) => `${p.in} ${p.name}`)
  // the param scheme's login and password are documented as the query fields they are
  assert.deepEqual(userParams, ['query USER', 'query PASS', 'path login'])
  assert.ok((doc.paths['/auth/me']?.get.security ?? []).length > 0, 'AUTH routes list their schemes')
  assert.deepEqual(doc.paths['/auth/register']?.post.security ?? [], [], 'OPEN routes need nothing')
  const audit = app.fsa.routes().filter((r) => r.url.startsWith('/auth/') && r.method !== 'HEAD')
  assert.equal(audit.filter((r) => r.open).length, 7)
  assert.ok(audit.every((r) => !r.undeclared))
  assert.deepEqual([...new Set(audit.flatMap((r) => r.groups))], ['admin'])
})
