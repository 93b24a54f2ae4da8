/**
 * Control characters (C0, DEL and C1) in credentials, tokens and names: refused before any store
 * access, since they have no business there, break logs and token formats, and PostgreSQL refuses
 * a NUL in text with an error that would otherwise surface as a 500.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

/** Whether `s` contains a control character (Unicode general category Cc). */
export function hasControl (s: string): boolean {
  return CONTROL.test(s)
}
