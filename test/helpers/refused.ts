/** Assertion shared by the token tests: a 401 of the expected code whose message never echoes the token. */
import assert from 'node:assert/strict'

export function assertRefused (fn: () => unknown, code: string, token: string): void {
  assert.throws(fn, (e: Error & { code: string, statusCode: number }) => {
    assert.equal(e.code, code)
    assert.equal(e.statusCode, 401)
    assert.ok(!e.message.includes(token), 'the message must not echo the token')
    return true
  })
}
