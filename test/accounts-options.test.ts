// Options of the users plugin and the account-token format.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolveUsersOptions, ROUTE_GROUPS } from '../lib/accounts/options.js'
import { accountKey, createAccountTokens } from '../lib/accounts/account-tokens.js'
import { buildAccountsApp } from './helpers/accounts-app.js'

test('defaults: every route group on, prefix /auth, 64 KiB of data, tokens in JSON', () => {
  const o = resolveUsersOptions()
  assert.equal(o.prefix, '/auth')
  assert.deepEqual(Object.keys(o.routes), [...ROUTE_GROUPS])
  assert.ok(Object.values(o.routes).every((v) => v))
  assert.equal(o.adminGroup, 'admin')
  assert.equal(o.dataLimit, 65536)
  assert.equal(o.loginToken, 'json')
  assert.equal(o.requireConfirmed, false)
  assert.equal(o.resetDelay, 30)
  assert.equal(o.confirmDelay, 1440)
  assert.equal(o.resetLink('T'), '/auth/password/reset?token=T')
  assert.equal(o.confirmLink('T'), '/auth/confirm?token=T')
  assert.equal(resolveUsersOptions({ prefix: '/account/' }).prefix, '/account')
})

test('bad options are start-up errors naming the option, and the caller object is untouched', () => {
  const cases: Array<[object, RegExp]> = [
    [{ colour: 'red' }, /unknown option "colour"/],
    [{ prefix: 'auth' }, /"prefix"/],
    [{ dataLimit: 11 * 1024 * 1024 }, /"dataLimit"/],
    [{ dataLimit: 1.5 }, /"dataLimit"/],
    [{ routes: { admin: 'no' } }, /"routes\.admin"/],
    [{ loginToken: 'header' }, /"loginToken"/],
    [{ resetDelay: 0 }, /"resetDelay"/],
    [{ mailer: { post () {} } }, /"mailer"/],
    [{ secret: 'short' }, /"secret": expected a string of at least 32 bytes/],
    [{ resetLink: 'https://x' }, /"resetLink"/]
  ]
  for (const [options, message] of cases) {
    assert.throws(() => resolveUsersOptions(options), (e: Error & { code?: string }) => message.test(e.message) && /^FSA_ERR_OPT_/.test(e.code ?? ''), JSON.stringify(options))
  }
  const mine = Object.freeze({ prefix: '/x/', routes: Object.freeze({ admin: false }) })
  assert.equal(resolveUsersOptions(mine).routes.admin, false)
})

test('account tokens verify for their purpose, login binding and validity only', () => {
  const tokens = createAccountTokens(accountKey('k'.repeat(32)))
  const token = tokens.create('reset', 'éloïse', 'hash1', 10)
  assert.match(token, /^[A-Za-z0-9_-]+\.[0-9a-z]+\.[A-Za-z0-9_-]+$/)
  assert.deepEqual(tokens.peek(token)?.login, 'éloïse')
  assert.equal(tokens.verify('reset', token, 'hash1'), true)
  assert.equal(tokens.verify('confirm', token, 'hash1'), false)
  assert.equal(tokens.verify('reset', token, 'hash2'), false)
  assert.equal(tokens.verify('reset', token, 'hash1', Date.now() + 11 * 60_000), false)
  assert.equal(createAccountTokens(accountKey('o'.repeat(32))).verify('reset', token, 'hash1'), false)
  assert.equal(createAccountTokens(accountKey(undefined)).verify('reset', token, 'hash1'), false, 'a random key')
  for (const bad of ['', 'a.b', 'a.b.c.d', 'a!.b.c', 'x'.repeat(3000), '.zz.abc']) {
    assert.equal(tokens.peek(bad), null, bad)
    assert.equal(tokens.verify('reset', bad, 'hash1'), false, bad)
  }
  assert.equal(tokens.peek(12 as unknown as string), null)
})

test('the account-token secret defaults to one derived from the token secret, so instances agree', async (t) => {
  const a = await buildAccountsApp(t)
  const b = await buildAccountsApp(t, { store: a.store })
  await a.app.inject({ method: 'POST', url: '/auth/register', payload: { login: 'calvin', email: 'calvin@example.com', password: 'hobbes' } })
  const token = /token=(\S+)/.exec(a.mailer.last()?.text ?? '')?.[1] as string
  assert.equal((await b.app.inject({ method: 'POST', url: '/auth/confirm', payload: { token } })).statusCode, 204)
  const c = await buildAccountsApp(t, { store: a.store, users: { secret: 's'.repeat(32) } })
  assert.equal((await c.app.inject({ method: 'POST', url: '/auth/confirm', payload: { token } })).statusCode, 400, 'another secret, another key')
})
