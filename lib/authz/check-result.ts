/**
 * Callback results are checked, not trusted: a group check must say true or false, an object
 * permission true, false or null. Anything else is a bug in the application, reported as a 500
 * with the detail in the log.
 */
import { FSA_ERR_CALLBACK, FSA_ERR_CALLBACK_RESULT } from '../errors/catalogue.js'
import { isDeliberate } from '../errors/failure.js'

/** Wrap a non-deliberate error of a callback so the client sees `internal error in <what>`. */
export function callbackFailure (what: string, e: unknown): Error {
  if (isDeliberate(e)) return e
  const wrapped = new FSA_ERR_CALLBACK(what)
  ;(wrapped as Error & { cause?: unknown }).cause = e
  return wrapped
}

/** Throw unless `value` is a boolean. */
export function expectBoolean (what: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new FSA_ERR_CALLBACK_RESULT(what, describe(value), 'a boolean')
  return value
}

/** A short description of a wrong value for the log and the 500 message (never the value itself). */
export function describe (value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
}
