/**
 * Moving parameters between request parts without prototype pollution: properties are defined,
 * never assigned, so a key named `__proto__` is an ordinary own property, and presence is an
 * own-property check.
 */

/** A request part as a plain record. */
export type Bag = Record<string, unknown>

/** Set an own property, whatever its name. */
export function setOwn (target: Bag, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/** Whether `value` is an object of named parameters (not a list, a string or a buffer). */
export function isBag (value: unknown): value is Bag {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)
}

const FORM = 'application/x-www-form-urlencoded'

/** Whether a content type is a form body (case-insensitive, parameters ignored). */
export function isFormType (contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.length >= FORM.length &&
    contentType.slice(0, FORM.length).toLowerCase() === FORM
}
