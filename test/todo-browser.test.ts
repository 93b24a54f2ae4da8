// The todo example in a real browser (Debian's chromium): signed out, / leads to the login page
// and back; TodoMVC behaviour persisted; another user sees nothing and the JSON API refuses them;
// open redirects land home; keyboard-only sign-in; axe-core; screenshots of login and todo page.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { assertFitsPhone, axeProblems, KEVIN, launch, newPage, screenshotPath, signIn, skipBrowser, startTodo } from './helpers/browser.js'

const opts = { skip: skipBrowser, timeout: 90_000 }

test('signed out, / lands on /login?next=%2F; the email signs in back to /; todos added, toggled, filtered, deleted persist', opts, async (t) => {
  const { url } = await startTodo(t)
  const browser = await launch(t)
  const page = await newPage(browser, [url])
  await page.goto(`${url}/`)
  assert.equal(page.url(), `${url}/login?next=%2F`)
  assert.deepEqual(await axeProblems(page), [], 'axe on the login page')
  await page.screenshot({ path: screenshotPath('pages-login'), fullPage: true })
  await assertFitsPhone(page, `${url}/login`)
  await signIn(page, url, 'kevin@example.com', KEVIN)
  assert.equal(page.url(), `${url}/`)
  await page.waitForSelector('body[data-ready="true"]')
  for (const title of ['Buy milk', 'Walk the dog', 'Write the tutorial']) {
    await page.fill('.new-todo', title)
    await page.press('.new-todo', 'Enter')
    await page.waitForSelector(`.todo-list li label:text-is("${title}")`)
  }
  await page.locator('.todo-list li', { hasText: 'Walk the dog' }).locator('input.toggle').check()
  await page.waitForSelector('.todo-list li.completed')
  assert.equal(await page.locator('.todo-count').innerText(), '2 items left')
  await page.click('a[href="#/completed"]')
  assert.deepEqual(await page.locator('.todo-list li label').allInnerTexts(), ['Walk the dog'])
  await page.click('a[href="#/"]')
  await page.locator('.todo-list li', { hasText: 'Buy milk' }).locator('button.destroy').click()
  await page.waitForSelector('.todo-list li label:text-is("Buy milk")', { state: 'detached' })
  await page.reload()
  await page.waitForSelector('body[data-ready="true"]')
  assert.deepEqual(await page.locator('.todo-list li label').allInnerTexts(), ['Walk the dog', 'Write the tutorial'])
  assert.deepEqual(await page.locator('.todo-list li.completed label').allInnerTexts(), ['Walk the dog'])
  assert.deepEqual(await axeProblems(page), [], 'axe on the todo page')
  await page.screenshot({ path: screenshotPath('todo-page'), fullPage: true })
  await assertFitsPhone(page, `${url}/`)
})

test('a second user sees none of kevin\'s todos and cannot read or change them through the JSON API', opts, async (t) => {
  const { app, url } = await startTodo(t)
  await app.fsa.store!.createUser({ login: 'susie', email: 'susie@example.com', password: await app.fsa.passwords.hash('susie-password', { check: false }), confirmed: true })
  const browser = await launch(t)
  const kevin = await newPage(browser, [url])
  await signIn(kevin, url, 'kevin', KEVIN)
  await kevin.waitForSelector('body[data-ready="true"]')
  await kevin.fill('.new-todo', 'Secret plan')
  await kevin.press('.new-todo', 'Enter')
  await kevin.waitForSelector('.todo-list li')
  const id = await kevin.locator('.todo-list li').first().getAttribute('data-id')
  const susie = await newPage(browser, [url])
  await signIn(susie, url, 'susie@example.com', 'susie-password')
  await susie.waitForSelector('body[data-ready="true"]')
  assert.equal(await susie.locator('.todo-list li').count(), 0)
  const statuses = await susie.evaluate(async (todo) => {
    const csrf = (globalThis as any).document.querySelector('meta[name="csrf-token"]').getAttribute('content') as string
    const headers = { 'content-type': 'application/json', 'x-csrf-token': csrf }
    return [
      (await fetch('/todos')).status === 200 ? ((await (await fetch('/todos')).json()) as unknown[]).length : -1,
      (await fetch(`/todos/${todo}`)).status,
      (await fetch(`/todos/${todo}`, { method: 'PATCH', headers, body: JSON.stringify({ title: 'mine' }) })).status,
      (await fetch(`/todos/${todo}`, { method: 'DELETE', headers: { 'x-csrf-token': csrf } })).status,
      (await fetch('/todos/424242')).status
    ]
  }, id)
  assert.deepEqual(statuses, [0, 403, 403, 403, 404])
  await kevin.reload()
  await kevin.waitForSelector('body[data-ready="true"]')
  assert.deepEqual(await kevin.locator('.todo-list li label').allInnerTexts(), ['Secret plan'])
})

test('open redirects: next=//evil.example, https://evil.example, /\\evil.example land on the home page', opts, async (t) => {
  const { url } = await startTodo(t)
  const browser = await launch(t)
  for (const next of ['//evil.example', 'https://evil.example', '/\\evil.example', '/%2F%2Fevil.example']) {
    const page = await newPage(browser, [url])
    await page.goto(`${url}/login?next=${encodeURIComponent(next)}`)
    await signIn(page, url, 'kevin', KEVIN)
    assert.equal(page.url(), `${url}/`, next)
    await page.context().close()
  }
})

test('keyboard only: the login form is filled and submitted with Tab and Enter', opts, async (t) => {
  const { url } = await startTodo(t)
  const browser = await launch(t)
  const page = await newPage(browser, [url])
  await page.goto(`${url}/`)
  // the login field has the focus on arrival (autofocus); then Tab to the password, Enter submits
  assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement?.id), 'login')
  await page.keyboard.type('kevin')
  await page.keyboard.press('Tab')
  assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement?.id), 'password')
  await page.keyboard.type(KEVIN)
  await Promise.all([page.waitForURL(`${url}/`), page.keyboard.press('Enter')])
  await page.waitForSelector('body[data-ready="true"]')
  // and the todo input takes the focus, Enter adds
  await page.keyboard.type('Typed only')
  await page.keyboard.press('Enter')
  await page.waitForSelector('.todo-list li label:text-is("Typed only")')
})
