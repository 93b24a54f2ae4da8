// Admin routes: users (list, show, create, deactivate, delete) and groups (create, delete, members).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addUser, basic, buildAccountsApp } from './helpers/accounts-app.js'

const admin = { authorization: basic('rosalyn', 'babysit') }

async function withAdmin (t: Parameters<typeof buildAccountsApp>[0], users = {}) {
  const built = await buildAccountsApp(t, { users })
  await addUser(built.app, 'rosalyn', 'babysit', { groups: ['admin'] })
  await addUser(built.app, 'calvin', 'hobbes')
  return built
}

test('admin routes need the admin group', async (t) => {
  const { app } = await withAdmin(t)
  const calvin = { authorization: basic('calvin', 'hobbes') }
  assert.equal((await app.inject({ method: 'GET', url: '/auth/users' })).statusCode, 401)
  const denied = await app.inject({ method: 'GET', url: '/auth/users', headers: calvin })
  assert.equal(denied.statusCode, 403)
  assert.equal(denied.body, 'not in group "admin"')
  assert.equal((await app.inject({ method: 'GET', url: '/auth/groups', headers: calvin })).statusCode, 403)
  assert.equal((await app.inject({ method: 'GET', url: '/auth/users', headers: admin })).statusCode, 200)
})

test('admins list, search and page users', async (t) => {
  const { app } = await withAdmin(t)
  const list = await app.inject({ method: 'GET', url: '/auth/users', headers: admin })
  assert.deepEqual(list.json().map((u: { login: string }) => u.login), ['calvin', 'rosalyn'])
  const found = await app.inject({ method: 'GET', url: '/auth/users?search=ROS', headers: admin })
  assert.deepEqual(found.json().map((u: { login: string }) => u.login), ['rosalyn'])
  const page = await app.inject({ method: 'GET', url: '/auth/users?offset=1&limit=1', headers: admin })
  assert.deepEqual(page.json().map((u: { login: string }) => u.login), ['rosalyn'])
  for (const q of ['limit=0', 'limit=5000', 'offset=-1', 'limit=x', 'color=red']) {
    const res = await app.inject({ method: 'GET', url: `/auth/users?${q}`, headers: admin })
    assert.equal(res.statusCode, 400, q)
  }
})

test('admins create users with groups, and duplicates or unknown groups are refused', async (t) => {
  const { app, store } = await withAdmin(t)
  await store.createGroup('kids')
  const res = await app.inject({ method: 'POST', url: '/auth/users', headers: admin, payload: { login: 'susie', email: 'susie@example.com', password: 'derkins', groups: ['kids'] } })
  assert.equal(res.statusCode, 201)
  assert.equal(res.json().confirmed, true)
  assert.deepEqual(res.json().groups, ['kids'])
  assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: basic('susie', 'derkins') } })).statusCode, 200)
  const dup = await app.inject({ method: 'POST', url: '/auth/users', headers: admin, payload: { login: 'Susie', password: 'x' } })
  assert.equal(dup.statusCode, 409)
  const unknownGroup = await app.inject({ method: 'POST', url: '/auth/users', headers: admin, payload: { login: 'moe', password: 'x', groups: ['bullies'] } })
  assert.equal(unknownGroup.statusCode, 404)
  assert.equal(await store.getUser('moe'), null)
  const bad = await app.inject({ method: 'POST', url: '/auth/users', headers: admin, payload: { login: 'moe', password: 'x', active: 'perhaps' } })
  assert.equal(bad.statusCode, 400)
  assert.match(bad.body, /active/)
})

test('admins show, deactivate, reactivate and delete users, with immediate effect', async (t) => {
  const { app } = await withAdmin(t)
  const token = await app.createToken('calvin')
  const calvinToken = { authorization: `Bearer ${token}` }
  assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: calvinToken })).statusCode, 200)
  const shown = await app.inject({ method: 'GET', url: '/auth/users/CALVIN', headers: admin })
  assert.equal(shown.statusCode, 200)
  assert.deepEqual(shown.json().groups, [])
  const off = await app.inject({ method: 'PATCH', url: '/auth/users/calvin', headers: admin, payload: { active: false } })
  assert.equal(off.statusCode, 200)
  assert.equal(off.json().active, false)
  assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: calvinToken })).statusCode, 401)
  assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: basic('calvin', 'hobbes') } })).statusCode, 401)
  const on = await app.inject({ method: 'PATCH', url: '/auth/users/calvin', headers: admin, payload: { active: true, confirmed: false, email: 'c@example.com' } })
  assert.deepEqual([on.json().active, on.json().confirmed, on.json().email], [true, false, 'c@example.com'])
  assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: calvinToken })).statusCode, 200)
  const taken = await app.inject({ method: 'PATCH', url: '/auth/users/calvin', headers: admin, payload: { email: 'rosalyn@example.com' } })
  assert.equal(taken.statusCode, 409)
  assert.equal((await app.inject({ method: 'PATCH', url: '/auth/users/calvin', headers: admin, payload: {} })).statusCode, 400)
  assert.equal((await app.inject({ method: 'DELETE', url: '/auth/users/calvin', headers: admin })).statusCode, 204)
  assert.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: calvinToken })).statusCode, 401)
  for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
    const res = await app.inject({ method, url: '/auth/users/calvin', headers: admin, ...(method === 'PATCH' ? { payload: { active: true } } : {}) })
    assert.equal(res.statusCode, 404, method)
  }
})

test('admins manage groups and memberships, and group checks follow at once', async (t) => {
  const { app, store } = await withAdmin(t)
  const calvin = { authorization: basic('calvin', 'hobbes') }
  assert.equal((await app.inject({ method: 'POST', url: '/auth/groups', headers: admin, payload: { name: 'kids' } })).statusCode, 201)
  assert.equal((await app.inject({ method: 'POST', url: '/auth/groups', headers: admin, payload: { name: 'kids' } })).statusCode, 409)
  assert.deepEqual((await app.inject({ method: 'GET', url: '/auth/groups', headers: admin })).json(), ['admin', 'kids'])
  assert.equal((await app.inject({ method: 'GET', url: '/auth/users', headers: calvin })).statusCode, 403)
  assert.equal((await app.inject({ method: 'PUT', url: '/auth/groups/admin/members/calvin', headers: admin })).statusCode, 204)
  assert.equal((await app.inject({ method: 'PUT', url: '/auth/groups/admin/members/calvin', headers: admin })).statusCode, 204, 'idempotent')
  assert.equal((await app.inject({ method: 'GET', url: '/auth/users', headers: calvin })).statusCode, 200, 'the cached "not in group" was dropped')
  assert.deepEqual((await app.inject({ method: 'GET', url: '/auth/groups/admin/members', headers: admin })).json(), ['calvin', 'rosalyn'])
  assert.equal((await app.inject({ method: 'DELETE', url: '/auth/groups/admin/members/calvin', headers: admin })).statusCode, 204)
  assert.equal((await app.inject({ method: 'DELETE', url: '/auth/groups/admin/members/calvin', headers: admin })).statusCode, 404)
  assert.equal((await app.inject({ method: 'GET', url: '/auth/users', headers: calvin })).statusCode, 403)
  assert.equal((await app.inject({ method: 'PUT', url: '/auth/groups/nope/members/calvin', headers: admin })).statusCode, 404)
  assert.equal((await app.inject({ method: 'PUT', url: '/auth/groups/kids/members/nobody', headers: admin })).statusCode, 404)
  assert.equal((await app.inject({ method: 'GET', url: '/auth/groups/nope/members', headers: admin })).statusCode, 404)
  await store.addToGroup('calvin', 'kids')
  assert.equal((await app.inject({ method: 'DELETE', url: '/auth/groups/kids', headers: admin })).statusCode, 204)
  assert.deepEqual(await store.groupsOf('calvin'), [])
  assert.equal((await app.inject({ method: 'DELETE', url: '/auth/groups/kids', headers: admin })).statusCode, 404)
  const bad = await app.inject({ method: 'POST', url: '/auth/groups', headers: admin, payload: { name: '' } })
  assert.equal(bad.statusCode, 400)
  assert.match(bad.body, /name/)
})

test('the admin group is configurable and the admin routes can be switched off', async (t) => {
  const { app } = await buildAccountsApp(t, { users: { adminGroup: 'staff' } })
  await addUser(app, 'rosalyn', 'babysit', { groups: ['admin'] })
  await addUser(app, 'dad', 'character', { groups: ['staff'] })
  assert.equal((await app.inject({ method: 'GET', url: '/auth/users', headers: admin })).statusCode, 403)
  assert.equal((await app.inject({ method: 'GET', url: '/auth/users', headers: { authorization: basic('dad', 'character') } })).statusCode, 200)
  const off = await buildAccountsApp(t, { users: { routes: { admin: false } } })
  await addUser(off.app, 'rosalyn', 'babysit', { groups: ['admin'] })
  assert.equal((await off.app.inject({ method: 'GET', url: '/auth/users', headers: admin })).statusCode, 404)
})
