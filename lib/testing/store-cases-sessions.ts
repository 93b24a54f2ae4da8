/**
 * Conformance cases of `UserStore.sessions` (migration 004-sessions): the life of a session and
 * the revocation list of stateless tokens. The token check relies on exactly these answers.
 */
import assert from 'node:assert/strict'
import type { StoreCase } from './store-case.js'

const MINUTE = 60_000
const HASH = 'a'.repeat(64)

/** Cases about sessions and token revocations, in the order they run. */
export const SESSION_CASES: StoreCase[] = [
  {
    name: 'sessions are created, listed, touched, extended and revoked for their own user only',
    async run (store) {
      await store.createUser({ login: 'calvin', password: 'h' })
      await store.createUser({ login: 'hobbes', password: 'h' })
      const expiresAt = new Date(Date.now() + 10 * MINUTE)
      const s = await store.sessions.createSession({ login: 'Calvin', expiresAt, ip: '10.0.0.1', userAgent: 'ua' })
      assert.match(s.id, /^[A-Za-z0-9_-]{22}$/)
      assert.deepEqual([s.login, s.ip, s.userAgent, s.revokedAt], ['calvin', '10.0.0.1', 'ua', null])
      assert.equal(s.lastSeenAt.getTime() % MINUTE, 0, 'minute resolution')
      await store.sessions.createSession({ login: 'hobbes', expiresAt })
      assert.deepEqual((await store.sessions.listSessions('CALVIN')).map((x) => x.id), [s.id])
      const later = new Date(s.lastSeenAt.getTime() + 2 * MINUTE)
      await store.sessions.touchSession(s.id, later)
      assert.equal((await store.sessions.getSession(s.id))?.lastSeenAt.getTime(), later.getTime())
      assert.equal(await store.sessions.extendSession(s.id, 'hobbes', new Date(Date.now() + 20 * MINUTE)), false, 'not theirs')
      assert.equal(await store.sessions.extendSession(s.id, 'calvin', new Date(Date.now() + 20 * MINUTE)), true)
      assert.equal(await store.sessions.revokeSession(s.id, 'hobbes'), false, 'not theirs')
      assert.equal(await store.sessions.revokeSession(s.id, 'calvin'), true)
      assert.equal(await store.sessions.revokeSession(s.id, 'calvin'), false, 'already revoked')
      assert.ok((await store.sessions.getSession(s.id))?.revokedAt instanceof Date)
      assert.deepEqual(await store.sessions.listSessions('calvin'), [])
      assert.equal(await store.sessions.extendSession(s.id, 'calvin', new Date(Date.now() + 30 * MINUTE)), false, 'revoked')
      assert.equal(await store.sessions.revokeSessions('hobbes'), 1)
      assert.equal(await store.sessions.getSession('not a session id'), null)
      await store.deleteUser('calvin')
      assert.equal(await store.sessions.getSession(s.id), null, 'sessions go with their user')
    }
  },
  {
    name: 'stateless tokens stay on the revocation list until they expire, then are purged',
    async run (store) {
      assert.equal(await store.sessions.isTokenRevoked(HASH), false)
      await store.sessions.revokeToken(HASH, new Date(Date.now() + MINUTE))
      assert.equal(await store.sessions.isTokenRevoked(HASH), true)
      await store.sessions.revokeToken(HASH, new Date(Date.now() + 2 * MINUTE))
      assert.equal(await store.sessions.purgeExpired(new Date(Date.now() + MINUTE + 1000)), 0, 'the later expiry holds')
      assert.equal(await store.sessions.purgeExpired(new Date(Date.now() + 3 * MINUTE)), 1)
      assert.equal(await store.sessions.isTokenRevoked(HASH), false)
      assert.equal(await store.sessions.isTokenRevoked('not a hash'), false)
    }
  }
]
