// Swagger UI in a real browser (Chromium, 127.0.0.1 only) on the acme demo: the secured operations
// show a lock, the open ones none, and POST /token (param scheme) shows its two credential fields.
// The screenshot kept in docs/ is refreshed on demand (FSA_UPDATE_SCREENSHOTS=1) so that a test run
// does not leave a modified binary in the work tree; otherwise it goes to test/.tmp/.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { chromium, type Page } from 'playwright-core'
import { buildApp } from '../examples/acme/app.js'

const CHROMIUM = '/usr/bin/chromium'
const SCREENSHOT = fileURLToPath(new URL(process.env.FSA_UPDATE_SCREENSHOTS === '1' ? '../docs/openapi-swagger-ui.png' : './.tmp/openapi-swagger-ui.png', import.meta.url))
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} not found: apt-get install -y chromium to run the browser test`
const CHEAP = { memoryCost: 64, timeCost: 1, allowWeak: true }

/** Swagger UI of a fresh acme demo, opened in Chromium; `use` runs on the loaded page. */
async function withSwaggerUi (t: { after: (fn: () => Promise<void>) => void }, use: (page: Page) => Promise<void>): Promise<void> {
  const app = await buildApp({ db: 'sqlite::memory:', adminPassword: 'Acme1', secret: randomBytes(32).toString('hex'), hashing: CHEAP })
  t.after(() => app.close())
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    // only the test server is reachable
    await page.route('**/*', (route) => route.request().url().startsWith(address) ? route.continue() : route.abort())
    await page.goto(`${address}/docs`)
    await page.waitForSelector('.opblock-summary-path', { timeout: 20_000 })
    await use(page)
  } finally {
    await browser.close()
  }
}

/** The operation block of `method path`. */
const operation = (page: Page, method: string, path: string) => page.locator(`.opblock-${method}`, { has: page.locator(`[data-path="${path}"]`) })

test('Swagger UI shows the demo\'s operations with summaries, tags and locks in a real browser', { skip, timeout: 60_000 }, async (t) => {
  await withSwaggerUi(t, async (page) => {
    const paths = await page.locator('.opblock-summary-path').allInnerTexts()
    for (const path of ['/hello', '/stuff/{sid}', '/token', '/user', '/auth/login']) assert.ok(paths.some((p) => p.includes(path)), `${path} in ${paths.join(', ')}`)
    const tags = await page.locator('.opblock-tag').allInnerTexts()
    for (const tag of ['hello', 'stuff', 'tokens', 'users', 'compute']) assert.ok(tags.some((text) => text.startsWith(tag)), `tag ${tag} in ${tags.join(', ')}`)
    assert.equal(await page.locator('.btn.authorize').count(), 1)
    // the secured operation shows a lock, the open one none
    assert.equal(await operation(page, 'patch', '/stuff/{sid}').locator('.authorization__btn').count(), 1)
    assert.equal(await operation(page, 'get', '/hello').locator('.authorization__btn').count(), 0)
    assert.match(await operation(page, 'get', '/hello').innerText(), /Say hello to anyone/)
    assert.equal(await page.locator('.info .title').first().innerText().then((title) => title.startsWith('Acme')), true)
    // the screenshot shows POST /token opened, and stops before the account routes
    await operation(page, 'post', '/token').locator('.opblock-summary').first().click()
    await operation(page, 'post', '/token').locator('.parameter__name').first().waitFor()
    const accounts = await page.locator('.opblock-tag-section', { has: page.locator('[data-tag="accounts"]') }).boundingBox()
    await page.screenshot({ path: SCREENSHOT, fullPage: true, ...(accounts !== null ? { clip: { x: 0, y: 0, width: 1200, height: accounts.y } } : {}) })
  })
  assert.ok(existsSync(SCREENSHOT))
})

test('POST /token in Swagger UI shows its two credential fields, required, saying they authenticate', { skip, timeout: 60_000 }, async (t) => {
  await withSwaggerUi(t, async (page) => {
    const token = operation(page, 'post', '/token')
    await token.locator('.opblock-summary').first().click()
    await token.locator('.parameter__name').first().waitFor()
    const names = await token.locator('.parameters .parameter__name').allInnerTexts()
    assert.deepEqual(names.map((n) => n.replace(/\s+/g, ' ').trim()), ['username *', 'password *'])
    const text = await token.innerText()
    assert.match(text, /Login: with password, authenticates the request/)
    assert.match(text, /Password: with username, authenticates the request/)
    assert.match(text, /application\/x-www-form-urlencoded/)
    // Try it out: two inputs to fill, the password one masked
    await token.locator('.try-out__btn').click()
    assert.equal(await token.locator('.parameters input[type="text"]').count(), 1)
    assert.equal(await token.locator('.parameters input[type="password"]').count(), 1)
  })
})
