// Cross-site request forgery in a real browser (Debian's Chromium through playwright-core): a page
// served from another loopback port auto-submits a form to the application while the browser
// holds the admin's Basic credentials (the acme demo) or the auth cookie (an app with the cookie
// carrier). The forged requests are refused with 403 and create nothing; the same requests from a
// plain HTTP client with the same credentials succeed; login CSRF is refused too.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'
import { buildApp as buildAcme } from '../examples/acme/app.js'
import { addUser, buildAccountsApp } from './helpers/accounts-app.js'

const CHROMIUM = '/usr/bin/chromium'
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} not found: apt-get install -y chromium to run the browser test`
const TMP = fileURLToPath(new URL('./.tmp/', import.meta.url))
const CHEAP = { memoryCost: 64, timeCost: 1, allowWeak: true }
const ADMIN = { username: 'acme', password: 'Acme1' }
const FORGED_USER = { login: 'mallory', password: 'Mall0ry1', groups: 'admin' }

/** The attacker's site: one page whose form posts `fields` to `action` as soon as it loads. */
async function attackerSite (action: string, fields: Record<string, string>): Promise<{ url: string, close: () => Promise<void> }> {
  const inputs = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`).join('')
  const html = `<!doctype html><title>cute cats</title><body onload="document.forms[0].submit()"><form method="POST" action="${action}">${inputs}</form></body>`
  const server: Server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }).end(html) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/cats.html`, close: async () => await new Promise<void>((resolve) => server.close(() => resolve())) }
}

/** Open the attacker's page in `context` and return the status of the forged request to `target`. */
async function visit (context: BrowserContext, page: string, target: string, screenshot: string): Promise<number> {
  const tab = await context.newPage()
  // only the two loopback servers are reachable
  await tab.route('**/*', (route) => route.request().url().startsWith('http://127.0.0.1:') ? route.continue() : route.abort())
  const forged = tab.waitForResponse((r) => r.url() === target && r.request().method() === 'POST', { timeout: 20_000 })
  await tab.goto(page)
  const status = (await forged).status()
  // the form's navigation must have landed on the answer before the screenshot: during it,
  // Chromium cannot capture the page (seen under load)
  await tab.waitForURL(target, { waitUntil: 'load' })
  mkdirSync(TMP, { recursive: true })
  await tab.screenshot({ path: TMP + screenshot })
  await tab.close()
  return status
}

async function launch (): Promise<Browser> {
  return await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
}

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString()

test('acme: another site cannot make the admin\'s browser create an admin user with its Basic credentials', { skip, timeout: 90_000 }, async (t) => {
  const app = await buildAcme({ db: 'sqlite::memory:', adminPassword: ADMIN.password, secret: randomBytes(32).toString('hex'), hashing: CHEAP })
  t.after(() => app.close())
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const attacker = await attackerSite(`${address}/auth/users`, FORGED_USER)
  t.after(attacker.close)
  const browser = await launch()
  t.after(() => browser.close())
  const context = await browser.newContext({ httpCredentials: ADMIN })
  // the admin opened the demo: the browser now holds the Basic credentials
  const tab = await context.newPage()
  assert.equal((await tab.goto(`${address}/hello-me`))?.status(), 200)
  assert.match(await tab.innerText('body'), /"user":"acme"/)
  await tab.close()

  assert.equal(await visit(context, attacker.url, `${address}/auth/users`, 'cross-site-basic.png'), 403)
  assert.equal(await app.fsa.store?.getUser('mallory'), null, 'nothing created')

  // the same request from a plain HTTP client, with the same credentials: created
  const basic = 'Basic ' + Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')
  const plain = await fetch(`${address}/auth/users`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: form(FORGED_USER) })
  assert.equal(plain.status, 201, await plain.text())
  assert.deepEqual(await app.fsa.store?.groupsOf('mallory'), ['admin'])
})

test('cookie carrier: another site cannot make the browser use the admin\'s auth cookie to create an admin user', { skip, timeout: 90_000 }, async (t) => {
  const { app, store } = await buildAccountsApp(t, { secure: { token: { carrier: 'cookie' } }, users: { loginToken: 'cookie' } })
  await addUser(app, 'root', 'R00t!pass', { groups: ['admin'] })
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const browser = await launch()
  t.after(() => browser.close())
  const context = await browser.newContext()
  // the admin logged in: the browser holds the auth cookie
  const login = await context.request.post(`${address}/auth/login`, { form: { login: 'root', password: 'R00t!pass' } })
  assert.equal(login.status(), 200)
  const [cookie] = await context.cookies(address)
  assert.equal(cookie?.name, 'auth')

  const forgeUser = await attackerSite(`${address}/auth/users`, FORGED_USER)
  t.after(forgeUser.close)
  assert.equal(await visit(context, forgeUser.url, `${address}/auth/users`, 'cross-site-cookie.png'), 403)
  assert.equal(await store.getUser('mallory'), null, 'nothing created')
  const plain = await fetch(`${address}/auth/users`, { method: 'POST', headers: { cookie: `auth=${cookie?.value ?? ''}`, 'content-type': 'application/x-www-form-urlencoded' }, body: form(FORGED_USER) })
  assert.equal(plain.status, 201, await plain.text())
})

test('login CSRF: another site cannot log the browser in as the attacker', { skip, timeout: 90_000 }, async (t) => {
  const { app } = await buildAccountsApp(t, { secure: { token: { carrier: 'cookie' } }, users: { loginToken: 'cookie' } })
  await addUser(app, 'eve', 'Ev3!pass')
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const browser = await launch()
  t.after(() => browser.close())
  const victim = await browser.newContext()
  const forgeLogin = await attackerSite(`${address}/auth/login`, { login: 'eve', password: 'Ev3!pass' })
  t.after(forgeLogin.close)
  assert.equal(await visit(victim, forgeLogin.url, `${address}/auth/login`, 'cross-site-login.png'), 403)
  assert.deepEqual(await victim.cookies(address), [], 'no auth cookie')
  const curl = await fetch(`${address}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ login: 'eve', password: 'Ev3!pass' }) })
  assert.equal(curl.status, 200)
  assert.match(curl.headers.get('set-cookie') ?? '', /^auth=/)
})
