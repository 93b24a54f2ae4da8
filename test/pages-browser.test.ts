// The pages in a real browser (Debian's chromium) on the todo example: registration with the
// confirmation link from the dev-mode log, sign-in by login name, password change, sign-out; CSRF
// from a page on another loopback port and a form without the token; axe-core and screenshots of
// the registration and account pages.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { assertFitsPhone, axeProblems, KEVIN, launch, newPage, screenshotPath, signIn, skipBrowser, startTodo } from './helpers/browser.js'

const opts = { skip: skipBrowser, timeout: 90_000 }

test('register, confirm by the logged link, sign in by login name, change password, sign out, sign in again: the old password fails', opts, async (t) => {
  const { url, lines } = await startTodo(t)
  const browser = await launch(t)
  const page = await newPage(browser, [url])
  await page.goto(`${url}/register`)
  assert.deepEqual(await axeProblems(page), [], 'axe on the registration page')
  await page.fill('#email', 'susie@example.com')
  await page.fill('#login', 'susie')
  await page.fill('#password', 'first-password')
  await page.fill('#confirm', 'first-password')
  await page.screenshot({ path: screenshotPath('pages-register'), fullPage: true })
  await assertFitsPhone(page, `${url}/register`)
  await Promise.all([page.waitForLoadState('load'), page.click('form.card button[type=submit]')])
  assert.match(await page.locator('h1').innerText(), /Check your mail/)
  const link = lines.map((l) => /^ {2}link: (\S+)$/.exec(l)?.[1]).find((l) => l?.includes('/confirm/'))
  assert.ok(link?.startsWith(`${url}/confirm/`), lines.join('\n'))
  await page.goto(link as string)
  assert.equal(page.url(), `${url}/login`)
  assert.match(await page.locator('[role=status]').innerText(), /confirmed/)
  await signIn(page, url, 'susie', 'first-password')
  assert.equal(page.url(), `${url}/`)
  await page.goto(`${url}/account`)
  assert.match(await page.locator('main').innerText(), /susie@example\.com/)
  assert.equal(await page.locator('.sessions li').count(), 1)
  assert.deepEqual(await axeProblems(page), [], 'axe on the account page')
  await page.screenshot({ path: screenshotPath('pages-account'), fullPage: true })
  await assertFitsPhone(page, `${url}/account`)
  await page.fill('#current', 'first-password')
  await page.fill('#password', 'second-password')
  await page.fill('#confirm', 'second-password')
  await Promise.all([page.waitForLoadState('load'), page.click('section[aria-labelledby=change-password] button')])
  assert.equal(page.url(), `${url}/login`, 'the password change ends the sessions')
  assert.match(await page.locator('[role=status]').innerText(), /Password changed/)
  await signIn(page, url, 'susie@example.com', 'second-password')
  assert.equal(page.url(), `${url}/`)
  await Promise.all([page.waitForLoadState('load'), page.click('header form button')])
  assert.equal(page.url(), `${url}/login`)
  assert.match(await page.locator('[role=status]').innerText(), /signed out/)
  await page.goto(`${url}/`)
  assert.equal(page.url(), `${url}/login?next=%2F`, 'signed out for real')
  await signIn(page, url, 'susie', 'first-password')
  assert.match(await page.locator('[role=alert]').innerText(), /Wrong login or password/)
  await signIn(page, url, 'susie', 'second-password')
  assert.equal(page.url(), `${url}/`)
})

/** A page on another loopback port that posts a form to `action` as soon as it loads. */
async function attacker (action: string, fields: Record<string, string>): Promise<{ url: string, close: () => Promise<void> }> {
  const inputs = Object.entries(fields).map(([k, v]) => `<input name="${k}" value="${v}">`).join('')
  const html = `<!doctype html><title>cute cats</title><body onload="document.forms[0].submit()"><form method="POST" action="${action}">${inputs}</form></body>`
  const server: Server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }).end(html) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}/cats.html`, close: async () => await new Promise<void>((resolve) => server.close(() => resolve())) }
}

test('CSRF: another loopback port\'s page posting to /todos and /logout, and a form without the token, are refused', opts, async (t) => {
  const { url } = await startTodo(t)
  const browser = await launch(t)
  const page = await newPage(browser, ['http://127.0.0.1:'])
  await signIn(page, url, 'kevin', KEVIN)
  await page.waitForSelector('body[data-ready="true"]')
  for (const [path, fields] of [['/todos', { title: 'forged todo' }], ['/logout', {}]] as const) {
    const evil = await attacker(`${url}${path}`, fields)
    t.after(evil.close)
    const refused = page.waitForResponse((r) => r.url() === `${url}${path}` && r.request().method() === 'POST')
    // the attacker's page navigates away at once (its form posts): goto is interrupted by design
    await page.goto(evil.url).catch(() => {})
    assert.equal((await refused).status(), 403, path)
    await page.waitForURL(`${url}${path}`)
    await page.waitForLoadState('load')
  }
  // a form of our own origin without the CSRF token (the Origin check passes, the token check does not)
  await page.goto(`${url}/account`)
  const noToken = page.waitForResponse((r) => r.url() === `${url}/logout` && r.request().method() === 'POST')
  await page.evaluate(() => {
    const d = (globalThis as any).document
    const form = d.createElement('form')
    form.method = 'POST'
    form.action = '/logout'
    d.body.append(form)
    form.submit()
  })
  assert.equal((await noToken).status(), 403)
  await page.waitForURL(`${url}/logout`)
  await page.waitForLoadState('load')
  await page.goto(`${url}/`)
  assert.equal(page.url(), `${url}/`, 'still signed in')
  await page.waitForSelector('body[data-ready="true"]')
  assert.equal(await page.locator('.todo-list li').count(), 0, 'nothing added')
})
