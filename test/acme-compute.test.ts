// The computations behind the acme demo's open routes: primes, days since a date, JSON length.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { daysSince, isPrime, jsonLength } from '../examples/acme/compute.js'

/** Primality by trial division: slow, obviously right, the reference for small numbers. */
function naivePrime (n: number): boolean {
  if (n < 2) return false
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false
  return true
}

test('isPrime agrees with trial division on every integer from -10 to 20000', () => {
  for (let n = -10; n <= 20000; n++) assert.equal(isPrime(n), naivePrime(n), String(n))
})

test('isPrime agrees with trial division on large numbers around 2^31 and 10^12', () => {
  for (const base of [2 ** 31 - 200, 1e12]) {
    for (let n = base; n < base + 200; n++) assert.equal(isPrime(n), naivePrime(n), String(n))
  }
})

test('isPrime is not fooled by Carmichael numbers and strong pseudoprimes', () => {
  // 561, 1105, 1729 are Carmichael numbers; the others are the smallest strong pseudoprimes to
  // bases 2; 2..7; 2..11; 2..13; 2..17 (OEIS A014233)
  for (const n of [561, 1105, 1729, 2047, 3215031751, 2152302898747, 3474749660383, 341550071728321]) assert.equal(isPrime(n), false, String(n))
})

test('isPrime recognises the largest prime below 2^53 and refuses unsafe or fractional numbers', () => {
  assert.equal(isPrime(9007199254740881), true)
  assert.equal(isPrime(2 ** 53 + 1), false)
  assert.equal(isPrime(7.5), false)
  assert.equal(isPrime(Number.NaN), false)
})

test('daysSince counts whole UTC days up to today', () => {
  assert.equal(daysSince('2020-07-29', new Date('2020-08-01T23:59:59Z')), 3)
  assert.equal(daysSince('2020-02-28', new Date('2020-03-01T00:00:00Z')), 2, 'a leap year')
  assert.equal(daysSince('2024-01-01', new Date('2024-01-01T10:00:00Z')), 0)
  assert.equal(daysSince('2030-01-02', new Date('2030-01-01T10:00:00Z')), -1, 'born tomorrow')
  const today = new Date().toISOString().slice(0, 10)
  assert.equal(daysSince(today), 0)
})

test('jsonLength is Python\'s len() on JSON: keys, items, code points, or none', () => {
  assert.equal(jsonLength({ hi: 'w!' }), 1)
  assert.equal(jsonLength([1, [2, 3]]), 2)
  assert.equal(jsonLength('hi!'), 3)
  assert.equal(jsonLength('😀é'), 2)
  assert.equal(jsonLength(''), 0)
  assert.equal(jsonLength(3.14), null)
  assert.equal(jsonLength(true), null)
  assert.equal(jsonLength(null), null)
})
