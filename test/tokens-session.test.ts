// The fsa session-token layout at the codec level: `realm:login:limit:session:signature` beside
// FlaskSimpleAuth's `realm:login:limit:signature`, logins containing colons, and tampering.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createFsaCodec } from '../lib/tokens/fsa.js'

const codec = createFsaCodec('s'.repeat(40), 32, 0)
const LIMIT = Date.UTC(2030, 0, 1)
const NOW = Date.UTC(2029, 0, 1)
const SID = 'abcDEF0123456789_-xyzQ'

test('both layouts round-trip, logins with colons and digit runs included', () => {
  for (const login of ['calvin', 'urn:user:42', 'x:20261129000000', `y:${SID}`]) {
    const plain = codec.create('acme', login, LIMIT)
    const session = codec.create('acme', login, LIMIT, 0, undefined, SID)
    assert.deepEqual(codec.verify(plain, 'acme', NOW), { login, limit: LIMIT })
    assert.deepEqual(codec.verify(session, 'acme', NOW), { login, limit: LIMIT, session: SID })
    assert.equal(codec.loginOf(plain), login)
    assert.equal(codec.loginOf(session), login)
    assert.equal(session, `acme:${login}:20300101000000:${SID}:${session.slice(session.lastIndexOf(':') + 1)}`)
  }
})

test('a session field cannot be added, dropped or changed, and a version still counts', () => {
  const session = codec.create('acme', 'calvin', LIMIT, 3, undefined, SID)
  const sig = session.slice(session.lastIndexOf(':') + 1)
  const plainSig = codec.create('acme', 'calvin', LIMIT, 3).split(':').at(-1) as string
  const forged = [
    `acme:calvin:20300101000000:${sig}`, // session dropped, its signature kept
    `acme:calvin:20300101000000:${SID}:${plainSig}`, // session added to a plain signature
    `acme:calvin:20300101000000:${'A' + SID.slice(1)}:${sig}` // another session id
  ]
  for (const token of forged) assert.throws(() => codec.verify(token, 'acme', NOW, 3), { code: 'FSA_ERR_TOKEN_SIGNATURE' })
  assert.throws(() => codec.verify(session, 'acme', NOW, 4), { code: 'FSA_ERR_TOKEN_SIGNATURE' })
  assert.equal(codec.verify(session, 'acme', NOW, 3).session, SID)
})

test('a field that is neither a limit nor a session id is malformed', () => {
  for (const token of ['acme:calvin:short:sig', `acme:calvin:${SID}:sig`, `acme:${SID}:sig`, `acme:calvin:20300101000000:${SID}x:sig`]) {
    assert.throws(() => codec.verify(token, 'acme', NOW), { code: 'FSA_ERR_TOKEN_MALFORMED' }, token)
  }
})
