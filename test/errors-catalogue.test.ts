// docs/reference/errors.md must list every FSA_ERR_* code of lib/errors/catalogue.ts, with its status, and
// nothing else: a new code without documentation, or a documented code that no longer exists,
// fails here (as Fastify does for its own FST_ERR_* catalogue).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { errors } from '../lib/index.js'

const doc = readFileSync(new URL('../docs/reference/errors.md', import.meta.url), 'utf8')

/** Rows of the catalogue table: code → status column. */
function documented (): Map<string, string> {
  const rows = new Map<string, string>()
  for (const line of doc.split('\n')) {
    const m = /^\|\s*`?(FSA_ERR_[A-Z0-9_]+)`?\s*\|\s*([^|]*?)\s*\|/.exec(line)
    if (m !== null) {
      assert.ok(!rows.has(m[1] as string), `${m[1]} is documented twice`)
      rows.set(m[1] as string, m[2] as string)
    }
  }
  return rows
}

type ErrorClass = new (...args: unknown[]) => Error & { code: string, statusCode?: number }
const catalogue = Object.entries(errors).filter(([name]) => name.startsWith('FSA_ERR_')) as Array<[string, ErrorClass]>
// err() raises ErrorResponse, whose code is not an export of its own
const extra = [new errors.ErrorResponse('x').code]

test('the error catalogue is not empty and every export is a code of its own name', () => {
  assert.ok(catalogue.length > 30)
  for (const [name, E] of catalogue) assert.equal(new E('a', 'b', 'c').code, name)
})

test('every FSA_ERR_* code of lib/errors/catalogue.ts is documented in docs/reference/errors.md', () => {
  const rows = documented()
  const missing = catalogue.map(([name]) => name).filter((name) => !rows.has(name))
  assert.deepEqual(missing, [], `add rows for: ${missing.join(', ')}`)
})

test('every code documented in docs/reference/errors.md still exists', () => {
  const known = new Set([...catalogue.map(([name]) => name), ...extra])
  const stale = [...documented().keys()].filter((code) => !known.has(code))
  assert.deepEqual(stale, [], `remove rows for: ${stale.join(', ')}`)
})

test('the documented status of each code is the status the error carries', () => {
  const rows = documented()
  for (const [name, E] of catalogue) {
    const status = rows.get(name)
    if (status === undefined) continue // reported by the completeness test
    assert.equal(status, String(new E('a', 'b', 'c').statusCode), name)
  }
})

test('the table keeps its four columns: code, status, message, when', () => {
  assert.match(doc, /^\| code \| status \| message \| when \|$/m)
  for (const line of doc.split('\n').filter((l) => l.startsWith('| FSA_ERR_'))) {
    // four cells: five pipes outside inline code (a message may show a `|` inside backticks)
    const cells = line.replace(/`[^`]*`/g, '').split('|').length - 2
    assert.equal(cells, 4, line)
  }
})
