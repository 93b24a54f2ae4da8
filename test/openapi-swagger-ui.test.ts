import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Type } from 'typebox'
import { chromium } from 'playwright-core'
import docs from '../plugins/docs.js'
import { buildApp } from './helpers/app.js'

const CHROMIUM = '/usr/bin/chromium'
// the screenshot kept in docs/ is refreshed on demand (FSA_UPDATE_SCREENSHOTS=1) so that a test run
// does not leave a modified binary in the work tree; otherwise it goes to test/.tmp/
const SCREENSHOT = fileURLToPath(new URL(process.env.FSA_UPDATE_SCREENSHOTS === '1' ? '../docs/openapi-swagger-ui.png' : './.tmp/openapi-swagger-ui.png', import.meta.url))
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} not found: apt-get install -y chromium to run the browser test`

test('Swagger UI shows the secured operations in a real browser', { skip, timeout: 60_000 }, async (t) => {
  const app = await buildApp(t, { auth: ['token', 'basic', 'none'], token: { type: 'jwt', secret: 's'.repeat(40) }, getUserPass: async () => null, errorResponse: 'json:error' }, async (app) => {
    await app.register(docs, { errorResponse: 'json:error', openapi: { info: { title: 'Acme stuff', version: '1.0.0' } } })
    app.get('/hello', { config: { authorize: 'OPEN' }, schema: { summary: 'Say hello', querystring: Type.Object({ who: Type.Optional(Type.String()) }) } }, async () => 'hi')
    app.patch('/stuff/:sid', { config: { authorize: 'AUTH' }, schema: { summary: 'Change a stuff', params: Type.Object({ sid: Type.Integer() }), body: Type.Object({ price: Type.Number() }) } }, async () => 'ok')
  })
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    // only the test server is reachable
    await page.route('**/*', (route) => route.request().url().startsWith(address) ? route.continue() : route.abort())
    await page.goto(`${address}/docs`)
    await page.waitForSelector('.opblock-summary-path', { timeout: 20_000 })
    const paths = await page.locator('.opblock-summary-path').allInnerTexts()
    assert.ok(paths.some((p) => p.includes('/stuff/{sid}')), paths.join(', '))
    assert.ok(paths.some((p) => p.includes('/hello')), paths.join(', '))
    assert.equal(await page.locator('.btn.authorize').count(), 1)
    // the secured operation shows a lock, the open one none
    const lockOf = (path: string) => page.locator('.opblock', { has: page.locator(`[data-path="${path}"]`) }).locator('.authorization__btn')
    assert.equal(await lockOf('/stuff/{sid}').count(), 1)
    assert.equal(await lockOf('/hello').count(), 0)
    assert.equal(await page.locator('.info .title').first().innerText().then((t) => t.startsWith('Acme stuff')), true)
    await page.screenshot({ path: SCREENSHOT, fullPage: true })
  } finally {
    await browser.close()
  }
  assert.ok(existsSync(SCREENSHOT))
})
