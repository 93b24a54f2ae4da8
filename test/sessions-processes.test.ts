// Two processes sharing PostgreSQL and Redis (issue 12): a logout on one is refused on the other
// within 1 s, polled against a deadline; and a session ended through DELETE /auth/sessions/:id.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { noCluster, startCluster, type ClusterNode } from './helpers/processes.js'

const DEADLINE_MS = 1000

/** Poll `node` until `path` answers `status`; the elapsed milliseconds, or a failure after `ms`. */
async function refusedWithin (node: ClusterNode, token: string, ms: number): Promise<number> {
  const start = performance.now()
  for (;;) {
    const res = await node.request('/auth/me', { headers: { authorization: `Bearer ${token}` } })
    const elapsed = performance.now() - start
    if (res.status === 401) return elapsed
    assert.equal(res.status, 200, 'never anything but 200 then 401')
    if (elapsed > ms) assert.fail(`still accepted after ${Math.round(elapsed)} ms`)
    await sleep(10)
  }
}

async function loginOn (node: ClusterNode): Promise<string> {
  const res = await node.request('/auth/login', { method: 'POST', json: { login: 'calvin', password: 'hobbes' } })
  assert.equal(res.status, 200, node.stderr())
  return ((await res.json()) as { token: string }).token
}

test('a logout on one process is refused on the other within 1 s', { skip: noCluster() }, async (t) => {
  const { nodes: [a, b] } = await startCluster(t, { count: 2, env: { FSA_SEED_USERS: 'calvin:hobbes' } })
  if (a === undefined || b === undefined) throw new Error('two processes expected')
  const token = await loginOn(a)
  const auth = { authorization: `Bearer ${token}` }
  assert.equal((await b.request('/auth/me', { headers: auth })).status, 200, 'B caches the session as live')
  assert.equal((await b.request('/auth/me', { headers: auth })).status, 200)
  assert.equal((await a.request('/auth/logout', { method: 'POST', headers: auth })).status, 204)
  const elapsed = await refusedWithin(b, token, DEADLINE_MS)
  t.diagnostic(`refused on the other process after ${Math.round(elapsed)} ms`)
})

test('a session ended on one process through DELETE /auth/sessions/:id is refused on the other', { skip: noCluster() }, async (t) => {
  const { nodes: [a, b] } = await startCluster(t, { count: 2, env: { FSA_SEED_USERS: 'calvin:hobbes' } })
  if (a === undefined || b === undefined) throw new Error('two processes expected')
  const keep = await loginOn(a)
  const end = await loginOn(b)
  assert.equal((await a.request('/auth/me', { headers: { authorization: `Bearer ${end}` } })).status, 200)
  const list = await (await a.request('/auth/sessions', { headers: { authorization: `Bearer ${keep}` } })).json() as { sessions: Array<{ id: string, current: boolean }> }
  const other = list.sessions.find((s) => !s.current)
  assert.ok(other !== undefined)
  assert.equal((await b.request(`/auth/sessions/${other.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${keep}` } })).status, 204)
  await refusedWithin(a, end, DEADLINE_MS)
  assert.equal((await a.request('/auth/me', { headers: { authorization: `Bearer ${keep}` } })).status, 200)
})
