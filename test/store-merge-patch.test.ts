// RFC 7396 appendix A examples, plus the prototype-pollution guard.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mergePatch, sanitizeJson } from '../lib/store/merge-patch.js'

test('RFC 7396 appendix A test cases all give the expected result', () => {
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }]
  ]
  for (const [target, patch, expected] of cases) assert.deepEqual(mergePatch(target, patch), expected)
})

test('merge patches modify neither their target nor their patch', () => {
  const target = { a: { b: 1 } }
  const patch = { a: { c: 2 } }
  mergePatch(target, patch)
  assert.deepEqual(target, { a: { b: 1 } })
  assert.deepEqual(patch, { a: { c: 2 } })
})

test('__proto__, constructor and prototype keys are dropped at every depth, inherited names are not read', () => {
  const attack = JSON.parse('{"__proto__": {"x": 1}, "a": [{"constructor": 1, "ok": 2}], "b": {"prototype": {}}, "toString": {"y": 1}}')
  const merged = mergePatch({}, attack) as Record<string, unknown>
  assert.deepEqual(merged, { a: [{ ok: 2 }], b: {}, toString: { y: 1 } })
  assert.equal(Object.getPrototypeOf(merged), Object.prototype)
  assert.deepEqual(sanitizeJson(attack), merged)
  assert.equal(({} as Record<string, unknown>).x, undefined)
})
