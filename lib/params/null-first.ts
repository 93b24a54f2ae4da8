/**
 * Nullable unions as the parameters reference promises them. Ajv's type coercion tries the
 * branches of an `anyOf` in order and coerces in place, so `Type.Union([Type.Integer(),
 * Type.Null()])` turns a JSON `null` into `0` (and `""` for a string) before the null branch is
 * tried. The plugin's validator compiles a copy of each schema whose `anyOf` lists the null branch
 * first: `null` stays `null`, and other values are coerced as before (the null branch only coerces
 * empty text, which no integer or number branch accepts).
 */

const MAX_DEPTH = 64

type Schema = Record<string, unknown>

const isObject = (v: unknown): v is Schema => v !== null && typeof v === 'object'
const isNull = (v: unknown): boolean => isObject(v) && v.type === 'null'

/**
 * The schema with the null branch of every `anyOf` moved first; the schema itself (not a copy)
 * when no union needs it, so most schemas are compiled as given.
 *
 * @example
 *   nullFirst({ anyOf: [{ type: 'integer' }, { type: 'null' }] })
 *   // { anyOf: [{ type: 'null' }, { type: 'integer' }] }
 */
export function nullFirst<T> (schema: T, depth = 0): T {
  if (!isObject(schema) || depth > MAX_DEPTH) return schema
  let copy: Schema | unknown[] | undefined
  const entries: Array<[string | number, unknown]> = Array.isArray(schema) ? schema.map((v, i) => [i, v]) : Object.entries(schema)
  for (const [key, value] of entries) {
    let next = nullFirst(value, depth + 1)
    if (key === 'anyOf' && Array.isArray(next) && next.length > 1 && !isNull(next[0]) && next.some(isNull)) {
      next = [...next.filter(isNull), ...next.filter((m) => !isNull(m))]
    }
    if (next === value) continue
    copy ??= Array.isArray(schema) ? [...schema] : { ...schema }
    ;(copy as Record<string | number, unknown>)[key] = next
  }
  return (copy ?? schema) as T
}
