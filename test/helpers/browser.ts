/**
 * Fixtures of the browser tests of the pages and the todo example: Debian's chromium through
 * playwright-core (skipped cleanly when missing), the todo example listening on 127.0.0.1 with
 * its dev-mode mail log captured, sign-in through the page, axe-core injected into a page, and
 * screenshots written to docs/ only with FSA_UPDATE_SCREENSHOTS=1 (else to test/.tmp/).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { start } from '../../examples/todo/server.js'
import { FAST_PASSWORD } from './accounts-app.js'

export const CHROMIUM = '/usr/bin/chromium'
/** The `skip` of a browser test. */
export const skipBrowser = existsSync(CHROMIUM) ? false : `${CHROMIUM} not found: apt-get install -y chromium to run the browser tests`
/** The seed user's password in these tests. */
export const KEVIN = 'kevin-password'

/** A running todo example and the lines it printed (dev-mode mails included). */
export interface RunningTodo { app: FastifyInstance, url: string, lines: string[] }

/** Start the todo example on a free loopback port (in-memory SQLite, dev mode); closed after the test. */
export async function startTodo (t: TestContext): Promise<RunningTodo> {
  const lines: string[] = []
  const { app, url } = await start({
    env: { TODO_MODE: 'dev' }, port: 0, host: '127.0.0.1', db: 'sqlite::memory:', secret: 's'.repeat(40), seedPassword: KEVIN,
    print: (l) => lines.push(l), logger: false, hashing: { ...FAST_PASSWORD, memoryCost: 1024, timeCost: 1, minLength: 8 }
  })
  t.after(() => app.close())
  return { app, url, lines }
}

/** Chromium, headless; closed after the test. */
export async function launch (t: TestContext): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  t.after(() => browser.close())
  return browser
}

/** A new page (own cookies) that can reach only the given origins. */
export async function newPage (browser: Browser, origins: string[], width = 800): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 760 } })
  const page = await context.newPage()
  await page.route('**/*', (route) => origins.some((o) => route.request().url().startsWith(o)) ? route.continue() : route.abort())
  return page
}

/** Sign in through the login form (from wherever the page is: it goes to /login first unless there). */
export async function signIn (page: Page, url: string, login: string, password: string): Promise<void> {
  if (!page.url().startsWith(`${url}/login`)) await page.goto(`${url}/login`)
  await page.fill('#login', login)
  await page.fill('#password', password)
  await Promise.all([page.waitForLoadState('load'), page.click('form.card button[type=submit]')])
}

const AXE = readFileSync(fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8')

/** Run axe-core on the page; the serious and critical violations (id: help, first target). */
export async function axeProblems (page: Page): Promise<string[]> {
  // through the DevTools protocol: the page's CSP (no inline script) does not apply
  await page.evaluate(AXE)
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string, impact: string, help: string, nodes: Array<{ target: string[] }> }> }> } }).axe.run()
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, target: String(v.nodes[0]?.target ?? '') }))
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.target}`)
}

/** Where the screenshot `name` goes: docs/ with FSA_UPDATE_SCREENSHOTS=1, else test/.tmp/. */
export function screenshotPath (name: string): string {
  const dir = fileURLToPath(new URL(process.env.FSA_UPDATE_SCREENSHOTS === '1' ? '../../docs/' : '../.tmp/', import.meta.url))
  mkdirSync(dir, { recursive: true })
  return `${dir}${name}.png`
}

/** No horizontal scroll at a phone's 390 px: the page fits its width. */
export async function assertFitsPhone (page: Page, url: string): Promise<void> {
  const phone = await page.context().browser()!.newPage({ viewport: { width: 390, height: 844 } })
  await phone.context().addCookies(await page.context().cookies())
  await phone.goto(url)
  const width = await phone.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)
  assert.ok(width <= 390, `${url}: ${width}px wide at 390px`)
  await phone.close()
}
