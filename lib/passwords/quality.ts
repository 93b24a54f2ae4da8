/**
 * Password quality rules, applied before hashing a new password: length, every regular
 * expression, then the application's own `quality` callback. The first failure is a 400 with a
 * message for the user; the password itself never appears in it.
 */
import {
  FSA_ERR_PASSWORD_COMMON, FSA_ERR_PASSWORD_LONG, FSA_ERR_PASSWORD_QUALITY, FSA_ERR_PASSWORD_REGEX, FSA_ERR_PASSWORD_SHORT
} from '../errors/catalogue.js'
import type { ResolvedPasswordOptions } from './options.js'
import { isCommonPassword } from './common.js'
import { hasControl } from '../core/control.js'

/**
 * Length in Unicode code points ("é" and "😀" count one each), counting no further than `limit + 1`
 * so that a megabyte-long input costs no more than a normal one.
 */
export function codePointLength (s: string, limit = Infinity): number {
  // UTF-16 length is an upper bound of the code point count: most inputs need no loop.
  if (s.length <= limit && !/[\uD800-\uDBFF]/.test(s)) return s.length
  let n = 0
  for (const _ of s) {
    if (++n > limit) break
  }
  return n
}

/** Whether `password` is longer than `maxLength` code points: such inputs are never hashed. */
export function isTooLong (password: string, maxLength: number): boolean {
  return codePointLength(password, maxLength) > maxLength
}

/**
 * Throw FSA_ERR_PASSWORD_LONG (400) when `password` exceeds `maxLength`: applied even when the
 * quality rules are skipped, since it guards the hasher.
 */
export function assertNotTooLong (password: string, maxLength: number): void {
  if (isTooLong(password, maxLength)) throw new FSA_ERR_PASSWORD_LONG(maxLength)
}

/**
 * Apply the quality rules of `opts` to `password`, in order: minLength ("too short"), maxLength
 * ("too long"), each regex ("must match <pattern>"), the common-password list with
 * `refuseCommon` ("too common"), then the quality callback ("password quality
 * too low", or "password quality too low: <reason>" when it throws). All are 400 errors.
 *
 * @example
 *   await checkPasswordQuality('abc', resolvePasswordOptions({ minLength: 8 })) // throws FSA_ERR_PASSWORD_SHORT
 */
export async function checkPasswordQuality (password: string, opts: ResolvedPasswordOptions): Promise<void> {
  if (typeof password !== 'string') throw new FSA_ERR_PASSWORD_QUALITY(': not a string')
  const length = codePointLength(password, opts.maxLength)
  if (length < opts.minLength) throw new FSA_ERR_PASSWORD_SHORT(opts.minLength)
  if (length > opts.maxLength) throw new FSA_ERR_PASSWORD_LONG(opts.maxLength)
  // refused at login too (lib/passwords/credentials.ts): such a password could never be used
  if (hasControl(password)) throw new FSA_ERR_PASSWORD_QUALITY(': no control characters')
  for (const rule of opts.regex) {
    if (!rule.re.test(password)) throw new FSA_ERR_PASSWORD_REGEX(rule.label)
  }
  if (opts.refuseCommon && await isCommonPassword(password)) throw new FSA_ERR_PASSWORD_COMMON()
  if (opts.quality === undefined) return
  let good: unknown
  try {
    good = await opts.quality(password)
  } catch (e) {
    throw new FSA_ERR_PASSWORD_QUALITY(`: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (!good) throw new FSA_ERR_PASSWORD_QUALITY('')
}
