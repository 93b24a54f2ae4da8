/**
 * Object permissions whose ids are unconverted path parameters of a bodiless route are checked in
 * onRequest, right after groups; elsewhere they stay in preHandler, after validation, so the order
 * of failures (401, 403 groups, 400 parameters, 403/404 objects) holds everywhere.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from 'typebox'
import { perm } from '../lib/index.js'
import { buildApp } from './helpers/app.js'

const SECRET = 'e'.repeat(40)
const owners = new Map([['s1', 'calvin']])

async function build (t: TestContext) {
  const stages: string[] = []
  const app = await buildApp(t, {
    auth: ['token'],
    token: { secret: SECRET },
    groupCheck: { staff: (login: string) => login !== 'moe' },
    objectPerms: { stuff: (login: string, sid: unknown) => owners.has(String(sid)) ? owners.get(String(sid)) === login : null }
  }, (app) => {
    app.addHook('preValidation', async (req) => { stages.push(`preValidation ${req.url}`) })
    app.addHook('preHandler', async (req) => { stages.push(`preHandler ${req.url}`) })
    app.get('/early/:sid', { config: { authorize: ['staff', perm('stuff', 'sid')] } }, async () => 'ok')
    app.get('/typed/:sid', { config: { authorize: perm('stuff', 'sid') }, schema: { params: Type.Object({ sid: Type.String({ pattern: '^s' }) }) } }, async () => 'ok')
    app.post('/post/:sid', { config: { authorize: perm('stuff', 'sid') }, schema: { body: Type.Object({ n: Type.Integer() }) } }, async () => 'ok')
  }, { ready: true })
  const bearer = async (login: string) => ({ authorization: `Bearer ${await app.createToken(login)}` })
  return { app, stages, bearer }
}

test('a bodiless route with raw path ids is refused in onRequest, before any later hook', async (t) => {
  const { app, stages, bearer } = await build(t)
  assert.equal((await app.inject({ url: '/early/s1', headers: await bearer('hobbes') })).statusCode, 403)
  assert.equal((await app.inject({ url: '/early/nope', headers: await bearer('calvin') })).statusCode, 404)
  const notStaff = await app.inject({ url: '/early/s1', headers: await bearer('moe') })
  assert.equal(notStaff.statusCode, 403)
  assert.match(notStaff.body, /not in group "staff"/)
  assert.deepEqual(stages, [], 'refused requests never reached preValidation or preHandler')
  assert.equal((await app.inject({ url: '/early/s1', headers: await bearer('calvin') })).statusCode, 200)
  assert.deepEqual(stages, ['preValidation /early/s1', 'preHandler /early/s1'])
})

test('with a params schema or a body the permission still waits for validation', async (t) => {
  const { app, stages, bearer } = await build(t)
  // a path parameter failing its schema is a 404 from validation, before the permission
  const bad = await app.inject({ url: '/typed/x1', headers: await bearer('hobbes') })
  assert.equal(bad.statusCode, 404)
  const denied = await app.inject({ url: '/typed/s1', headers: await bearer('hobbes') })
  assert.equal(denied.statusCode, 403)
  assert.ok(stages.includes('preValidation /typed/s1'))
  // a bad body is a 400 even for a caller without the permission
  const badBody = await app.inject({ method: 'POST', url: '/post/s1', headers: await bearer('hobbes'), payload: { n: 'x' } })
  assert.equal(badBody.statusCode, 400)
  const goodBody = await app.inject({ method: 'POST', url: '/post/s1', headers: await bearer('hobbes'), payload: { n: 1 } })
  assert.equal(goodBody.statusCode, 403)
  assert.equal(app.fsa.routes().find((r) => r.url === '/post/:sid')?.perms[0]?.domain, 'stuff')
})
