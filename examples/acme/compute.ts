/**
 * The small computations behind the open routes of the acme demo: age in days, primality and
 * the length of any JSON value. Pure functions, no Fastify here.
 */
import type { JsonValue } from '../../lib/index.js'

const DAY = 24 * 60 * 60 * 1000

/**
 * Whole days from `born` (`YYYY-MM-DD`, already validated as a date) to `today` (UTC dates).
 *
 * @example
 *   daysSince('2020-07-29', new Date('2020-08-01T12:00:00Z'))   // 3
 */
export function daysSince (born: string, today: Date = new Date()): number {
  const start = Date.parse(born + 'T00:00:00Z')
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())
  return Math.round((end - start) / DAY)
}

// Deterministic Miller-Rabin: these bases are exact for every n < 3.3e24, so for any JS integer.
const BASES = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n]

function powMod (base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n
  base %= mod
  for (; exp > 0n; exp >>= 1n) {
    if ((exp & 1n) === 1n) result = result * base % mod
    base = base * base % mod
  }
  return result
}

/**
 * Whether the integer `n` is prime (false below 2), exact for every safe integer.
 *
 * @example
 *   [1, 2, 10, 11].filter(isPrime)   // [2, 11]
 */
export function isPrime (n: number): boolean {
  if (!Number.isSafeInteger(n) || n < 2) return false
  const big = BigInt(n)
  for (const p of BASES) {
    if (big === p) return true
    if (big % p === 0n) return false
  }
  let d = big - 1n
  let r = 0
  while ((d & 1n) === 0n) { d >>= 1n; r++ }
  witness: for (const a of BASES) {
    let x = powMod(a, d, big)
    if (x === 1n || x === big - 1n) continue
    for (let i = 1; i < r; i++) {
      x = x * x % big
      if (x === big - 1n) continue witness
    }
    return false
  }
  return true
}

/**
 * Python's `len()` of a JSON value: keys of an object, items of a list, characters (code
 * points) of a string; `null` for numbers, booleans and null, which have no length.
 *
 * @example
 *   jsonLength({ hi: 'w!' })   // 1
 *   jsonLength(3.14)           // null
 */
export function jsonLength (value: JsonValue): number | null {
  if (typeof value === 'string') return [...value].length
  if (Array.isArray(value)) return value.length
  if (value !== null && typeof value === 'object') return Object.keys(value).length
  return null
}
