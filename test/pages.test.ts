// The pages plugin through inject: sign-in by email or login with a 303 to a safe `next`, the
// session in the auth cookie, CSRF tokens on every form, registration with the mailed link to
// the confirmation page, password change, sign-out revoking the session, page headers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { addUser } from './helpers/accounts-app.js'
import { buildPagesApp, CookieJar, csrfOf, form, type PagesApp } from './helpers/pages-app.js'

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }

/** GET a page and POST its form with the page's CSRF token; the jar follows the cookies. */
async function submit ({ app }: PagesApp, jar: CookieJar, page: string, action: string, fields: Record<string, string>) {
  const got = jar.take(await app.inject({ method: 'GET', url: page, headers: { ...HTML, cookie: jar.header() } }))
  assert.equal(got.statusCode, 200, `GET ${page}: ${got.body}`)
  const f = form({ _csrf: csrfOf(got.body), ...fields })
  return jar.take(await app.inject({ method: 'POST', url: action, payload: f.payload, headers: { ...f.headers, cookie: jar.header() } }))
}

test('signed out, / sends browsers to /login?next=%2F; signing in with the email comes back with an HttpOnly Lax cookie', async (t) => {
  const p = await buildPagesApp(t)
  await addUser(p.app, 'kevin', 'kevin-password', { email: 'kevin@example.com' })
  const jar = new CookieJar()
  const home = await p.app.inject({ method: 'GET', url: '/', headers: HTML })
  assert.equal(home.statusCode, 303)
  assert.equal(home.headers.location, '/login?next=%2F')
  assert.equal((await p.app.inject({ method: 'GET', url: '/', headers: { accept: '*/*' } })).statusCode, 401)
  const signed = await submit(p, jar, '/login?next=%2F', '/login?next=%2F', { login: 'Kevin@Example.com', password: 'kevin-password' })
  assert.equal(signed.statusCode, 303)
  assert.equal(signed.headers.location, '/')
  const cookie = String(signed.headers['set-cookie'])
  assert.match(cookie, /auth=[^;]+;.*HttpOnly/)
  assert.match(cookie, /SameSite=Lax/)
  assert.doesNotMatch(cookie, /Secure/, 'loopback: no Secure, so http://127.0.0.1 works')
  const back = await p.app.inject({ method: 'GET', url: '/', headers: { ...HTML, cookie: jar.header() } })
  assert.equal(back.body, 'home of kevin')
})

test('pages carry a strict CSP, no referrer, labels and one role="alert" message on failure', async (t) => {
  const p = await buildPagesApp(t)
  await addUser(p.app, 'kevin', 'kevin-password')
  const page = await p.app.inject({ method: 'GET', url: '/login' })
  assert.match(String(page.headers['content-security-policy']), /default-src 'none'; style-src 'self'/)
  assert.doesNotMatch(String(page.headers['content-security-policy']), /unsafe|script-src/)
  assert.equal(page.headers['referrer-policy'], 'no-referrer')
  assert.match(page.body, /<label for="login">Email or login<\/label>/)
  assert.match(page.body, /<label for="password">Password<\/label>/)
  const css = await p.app.inject({ method: 'GET', url: '/pages.css' })
  assert.equal(css.statusCode, 200)
  assert.match(String(css.headers['content-type']), /text\/css/)
  const bodies: string[] = []
  for (const [login, password] of [['kevin', 'wrong-password'], ['nobody', 'kevin-password'], ['kevin@example.com', 'wrong']]) {
    const res = await submit(p, new CookieJar(), '/login', '/login', { login: login as string, password: password as string })
    assert.equal(res.statusCode, 401)
    assert.ok(!String(res.headers['set-cookie'] ?? '').includes('auth='))
    const alert = /<p class="error" role="alert">([^<]*)<\/p>/.exec(res.body)
    assert.ok(alert !== null, 'the message is in role="alert"')
    bodies.push(alert[1] as string)
  }
  assert.equal(new Set(bodies).size, 1, 'one message that does not say which part was wrong')
})

test('every POST of the pages needs the CSRF token of this browser and this user', async (t) => {
  const p = await buildPagesApp(t)
  await addUser(p.app, 'kevin', 'kevin-password')
  const jar = new CookieJar()
  jar.take(await p.app.inject({ method: 'GET', url: '/login' }))
  const noToken = form({ login: 'kevin', password: 'kevin-password' })
  const refused = await p.app.inject({ method: 'POST', url: '/login', payload: noToken.payload, headers: { ...noToken.headers, cookie: jar.header() } })
  assert.equal(refused.statusCode, 403)
  assert.ok(!String(refused.headers['set-cookie'] ?? '').includes('auth='))
  // another browser's token (another secret cookie) does not pass either
  const other = await p.app.inject({ method: 'GET', url: '/login' })
  const stolen = form({ _csrf: csrfOf(other.body), login: 'kevin', password: 'kevin-password' })
  assert.equal((await p.app.inject({ method: 'POST', url: '/login', payload: stolen.payload, headers: { ...stolen.headers, cookie: jar.header() } })).statusCode, 403)
  // signed in, the token of the signed-out login page is not valid for the account forms
  const preLogin = csrfOf((await p.app.inject({ method: 'GET', url: '/login', headers: { cookie: jar.header() } })).body)
  assert.equal((await submit(p, jar, '/login', '/login', { login: 'kevin', password: 'kevin-password' })).statusCode, 303)
  const logout = form({ _csrf: preLogin })
  assert.equal((await p.app.inject({ method: 'POST', url: '/logout', payload: logout.payload, headers: { ...logout.headers, cookie: jar.header() } })).statusCode, 403)
  const foreign = form({ _csrf: preLogin })
  const crossSite = await p.app.inject({ method: 'POST', url: '/logout', payload: foreign.payload, headers: { ...foreign.headers, cookie: jar.header(), origin: 'http://evil.example' } })
  assert.equal(crossSite.statusCode, 403)
  assert.equal((await p.app.inject({ method: 'GET', url: '/', headers: { cookie: jar.header() } })).statusCode, 200, 'still signed in')
})

test('next never leads to another origin: the user lands on the home page', async (t) => {
  const p = await buildPagesApp(t)
  await addUser(p.app, 'kevin', 'kevin-password')
  for (const next of ['//evil.example', 'https://evil.example', '/\\evil.example', '/%2F%2Fevil.example', '/%5Cevil.example', '\\\\evil.example']) {
    const q = `?next=${encodeURIComponent(next)}`
    const res = await submit(p, new CookieJar(), '/login' + q, '/login' + q, { login: 'kevin', password: 'kevin-password' })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/', next)
  }
})

test('register, confirm by the mailed page link, sign in by login name, change password, sign out: the old password fails', async (t) => {
  const p = await buildPagesApp(t, { pages: { origin: 'http://127.0.0.1:3000' } })
  const jar = new CookieJar()
  const reg = await submit(p, jar, '/register', '/register', { email: 'susie@example.com', login: 'susie', password: 'first-password', confirm: 'first-password' })
  assert.equal(reg.statusCode, 201)
  assert.match(reg.body, /Check your mail/)
  const link = /http:\/\/127\.0\.0\.1:3000(\/confirm\/[A-Za-z0-9._-]+)/.exec(p.mailer.last('susie@example.com')?.text ?? '')
  assert.ok(link !== null, 'the mail links to the confirmation page')
  const confirmed = jar.take(await p.app.inject({ method: 'GET', url: link[1] as string, headers: HTML }))
  assert.equal(confirmed.statusCode, 303)
  assert.equal((await p.store.getUser('susie'))?.confirmed, true)
  const flash = jar.take(await p.app.inject({ method: 'GET', url: '/login', headers: { cookie: jar.header() } }))
  assert.match(flash.body, /role="status">Email address confirmed/)
  assert.equal((await submit(p, jar, '/login', '/login', { login: 'susie', password: 'first-password' })).statusCode, 303)
  const changed = await submit(p, jar, '/account', '/account/password', { current: 'first-password', password: 'second-password', confirm: 'second-password' })
  assert.equal(changed.statusCode, 303)
  assert.equal(changed.headers.location, '/login')
  assert.equal((await submit(p, jar, '/login', '/login', { login: 'susie', password: 'first-password' })).statusCode, 401)
  assert.equal((await submit(p, jar, '/login', '/login', { login: 'susie@example.com', password: 'second-password' })).statusCode, 303)
  const cookieBefore = jar.header()
  const out = await submit(p, jar, '/logout', '/logout', {})
  assert.equal(out.statusCode, 303)
  assert.match(String(out.headers['set-cookie']), /auth=;/)
  assert.equal((await p.app.inject({ method: 'GET', url: '/', headers: { cookie: cookieBefore } })).statusCode, 401, 'the session is revoked, not only the cookie cleared')
})

test('registration errors show the form again: taken email, email-shaped login of someone else, differing passwords', async (t) => {
  const p = await buildPagesApp(t)
  await addUser(p.app, 'kevin', 'kevin-password', { email: 'kevin@example.com' })
  const cases: Array<[Record<string, string>, number, RegExp]> = [
    [{ email: 'kevin@example.com', login: 'other', password: 'some-password', confirm: 'some-password' }, 409, /already registered/],
    [{ email: 'me@example.com', login: 'kevin@example.com', password: 'some-password', confirm: 'some-password' }, 400, /must be your own email/],
    [{ email: 'me@example.com', login: 'me', password: 'some-password', confirm: 'other-password' }, 400, /passwords differ/]
  ]
  for (const [fields, status, message] of cases) {
    const res = await submit(p, new CookieJar(), '/register', '/register', fields)
    assert.equal(res.statusCode, status)
    assert.match(res.body, message)
    assert.match(res.body, /role="alert"/)
  }
  assert.equal(await p.store.getUser('me'), null)
})

test('forgot and reset password by the mailed page link', async (t) => {
  const p = await buildPagesApp(t)
  await addUser(p.app, 'kevin', 'kevin-password', { email: 'kevin@example.com' })
  const jar = new CookieJar()
  assert.equal((await submit(p, jar, '/forgot', '/forgot', { email: 'kevin@example.com' })).statusCode, 200)
  await new Promise((resolve) => setImmediate(resolve))
  const link = /(\/reset\/[A-Za-z0-9._-]+)/.exec(p.mailer.last('kevin@example.com')?.text ?? '')
  assert.ok(link !== null)
  const reset = await submit(p, jar, link[1] as string, link[1] as string, { password: 'brand-new-password', confirm: 'brand-new-password' })
  assert.equal(reset.statusCode, 303)
  assert.equal((await submit(p, jar, '/login', '/login', { login: 'kevin', password: 'brand-new-password' })).statusCode, 303)
  const again = await submit(p, jar, link[1] as string, link[1] as string, { password: 'third-password', confirm: 'third-password' })
  assert.equal(again.statusCode, 400, 'a reset link works once')
})

test('templates: a file of the application\'s folder replaces the built-in one; the pages need the cookie carrier', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fsa-pages-'))
  writeFileSync(join(dir, 'login.eta'), '<% layout(\'layout\') %><h1>Welcome back to <%= it.appName %></h1><input type="hidden" name="_csrf" value="<%= it.csrf %>">')
  const p = await buildPagesApp(t, { pages: { templates: dir, appName: 'Todo <&>' } })
  const page = await p.app.inject({ method: 'GET', url: '/login' })
  assert.match(page.body, /<h1>Welcome back to Todo &lt;&amp;&gt;<\/h1>/)
  assert.match((await p.app.inject({ method: 'GET', url: '/register' })).body, /Create an account/, 'the other templates stay')
  await assert.rejects(buildPagesApp(t, { secure: { token: { secret: 'x'.repeat(40), carrier: 'bearer' } } }), /carrier/)
  await assert.rejects(buildPagesApp(t, { pages: { prefix: 'no-slash' } as never }), /prefix/)
})

test('the mailed tokens in page paths are logged as /confirm/*** and /reset/***', async (t) => {
  const p = await buildPagesApp(t, { logs: true })
  await addUser(p.app, 'kevin', 'kevin-password', { email: 'kevin@example.com', confirmed: false })
  const secret = 'a2V2aW4.zzzzzz.c2VjcmV0LXRva2VuLXZhbHVl'
  assert.equal((await p.app.inject({ method: 'GET', url: `/confirm/${secret}` })).statusCode, 400)
  assert.equal((await p.app.inject({ method: 'GET', url: `/reset/${secret}` })).statusCode, 200)
  const logs = p.logs()
  assert.match(logs, /\/confirm\/\*\*\*/)
  assert.match(logs, /\/reset\/\*\*\*/)
  assert.ok(!logs.includes(secret), 'no token in the log')
})

test('the account page shows and edits the custom data: a JSON object only, escaped in the page', async (t) => {
  const p = await buildPagesApp(t)
  await addUser(p.app, 'kevin', 'kevin-password')
  const jar = new CookieJar()
  assert.equal((await submit(p, jar, '/login', '/login', { login: 'kevin', password: 'kevin-password' })).statusCode, 303)
  for (const [text, message] of [['{not json', /valid JSON/], ['[1, 2]', /JSON object/], ['null', /JSON object/]] as const) {
    const res = await submit(p, jar, '/account', '/account/data', { data: text })
    assert.equal(res.statusCode, 400, text)
    assert.match(res.body, message)
    assert.match(res.body, /role="alert"/)
  }
  const saved = await submit(p, jar, '/account', '/account/data', { data: '{"theme": "dark", "note": "</textarea><script>alert(1)</script>"}' })
  assert.equal(saved.statusCode, 303)
  assert.deepEqual(await p.store.getData('kevin'), { theme: 'dark', note: '</textarea><script>alert(1)</script>' })
  const page = await p.app.inject({ method: 'GET', url: '/account', headers: { cookie: jar.header() } })
  assert.match(page.body, /role="status">Your data is saved/)
  assert.match(page.body, /&lt;\/textarea&gt;&lt;script&gt;/)
  assert.doesNotMatch(page.body, /<script>alert/)
})

test('changing the email needs the current password; the new address is unconfirmed until its link, the old one gets a notice', async (t) => {
  const p = await buildPagesApp(t)
  await addUser(p.app, 'kevin', 'kevin-password', { email: 'kevin@example.com' })
  await addUser(p.app, 'susie', 'susie-password', { email: 'susie@example.com' })
  const jar = new CookieJar()
  assert.equal((await submit(p, jar, '/login', '/login', { login: 'kevin', password: 'kevin-password' })).statusCode, 303)
  const wrong = await submit(p, jar, '/account', '/account/email', { email: 'new@example.com', current: 'not-my-password' })
  assert.equal(wrong.statusCode, 400)
  assert.match(wrong.body, /role="alert">current password is incorrect/)
  assert.equal((await submit(p, jar, '/account', '/account/email', { email: 'SUSIE@example.com', current: 'kevin-password' })).statusCode, 409)
  assert.equal((await submit(p, jar, '/account', '/account/email', { email: 'not an email', current: 'kevin-password' })).statusCode, 400)
  assert.equal((await p.store.getUser('kevin'))?.email, 'kevin@example.com', 'nothing changed so far')
  const changed = await submit(p, jar, '/account', '/account/email', { email: 'kevin@new.example', current: 'kevin-password' })
  assert.equal(changed.statusCode, 303)
  const user = await p.store.getUser('kevin')
  assert.equal(user?.email, 'kevin@new.example')
  assert.equal(user?.confirmed, false)
  assert.match(p.mailer.last('kevin@new.example')?.text ?? '', /\/confirm\/[A-Za-z0-9._-]+/)
  assert.match(p.mailer.last('kevin@example.com')?.subject ?? '', /email address was changed/)
  assert.equal((await submit(p, new CookieJar(), '/login', '/login', { login: 'kevin@new.example', password: 'kevin-password' })).statusCode, 303)
})
