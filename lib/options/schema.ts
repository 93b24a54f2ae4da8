/**
 * The part of TypeBox's `Type` builder the option schemas use, producing the very schemas TypeBox
 * produces (same JSON Schema, same hidden `~kind` and `~optional` marks, checked against TypeBox
 * in test/options-schema.test.ts) and typed with TypeBox's own types, so `Static<typeof Schema>`
 * derives the option types as usual. Why not `import { Type } from 'typebox'`: the builder is some
 * 300 ES modules, and loading them is most of what importing TypeBox costs at start-up (see
 * docs/architecture.md); the secure plugin's main entry must not pay that for its option schemas.
 * Account routes (./users) use TypeBox itself.
 *
 * Keywords beyond JSON Schema that lib/options/check.ts understands: `type: 'function'` (as
 * TypeBox's `Type.Function`), `instanceOf: 'RegExp'`, and `expected`, the words an error message
 * uses for what is allowed (instead of a description built from the schema).
 */
import type {
  TAny, TArray, TArrayOptions, TBoolean, TInteger, TLiteral, TLiteralValue, TNumber, TNumberOptions, TObject,
  TObjectOptions, TOptional, TProperties, TRecord, TSchema, TSchemaOptions, TString, TStringOptions, TUnion, TUnsafe
} from 'typebox'

export type { Static, TSchema } from 'typebox'

/** Options every schema takes, plus `expected` (see the file comment). */
export type Options<O = TSchemaOptions> = O & { expected?: string }

/** `schema` with TypeBox's hidden marks (non-enumerable, as TypeBox sets them). */
function mark<T> (schema: object, marks: Record<string, unknown>): T {
  for (const [key, value] of Object.entries(marks)) {
    Object.defineProperty(schema, key, { value, writable: true, enumerable: false, configurable: true })
  }
  return schema as T
}

const kind = <T>(name: string, schema: object): T => mark<T>(schema, { '~kind': name })

function object<P extends TProperties> (properties: P, options: Options<TObjectOptions> = {}): TObject<P> {
  const required = Object.keys(properties).filter((k) => (properties[k] as { '~optional'?: boolean })['~optional'] !== true)
  return kind('Object', { type: 'object', ...(required.length > 0 ? { required } : {}), properties, ...options })
}

function optional<T extends TSchema> (schema: T): TOptional<T> {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(schema))
  return mark<TOptional<T>>(copy, { '~optional': true })
}

function unsafe<T> (schema: object): TUnsafe<T> {
  return mark<TUnsafe<T>>({ ...schema }, { '~unsafe': null })
}

/** TypeBox's `Type`, for the kinds of schema the options need. */
export const Type = {
  Any: (): TAny => kind('Any', {}),
  Array: <T extends TSchema>(items: T, options: Options<TArrayOptions> = {}): TArray<T> => kind('Array', { type: 'array', items, ...options }),
  Boolean: (options: Options = {}): TBoolean => kind('Boolean', { type: 'boolean', ...options }),
  Integer: (options: Options<TNumberOptions> = {}): TInteger => kind('Integer', { type: 'integer', ...options }),
  Literal: <V extends TLiteralValue>(value: V, options: Options = {}): TLiteral<V> => kind('Literal', { type: typeof value, const: value, ...options }),
  Number: (options: Options<TNumberOptions> = {}): TNumber => kind('Number', { type: 'number', ...options }),
  Object: object,
  Optional: optional,
  /** A record with string keys: TypeBox's `Type.Record(Type.String(), value)`. */
  Record: <V extends TSchema>(value: V, options: Options<TObjectOptions> = {}): TRecord<'^.*$', V> =>
    kind('Record', { type: 'object', patternProperties: { '^.*$': value }, ...options }),
  String: (options: Options<TStringOptions> = {}): TString => kind('String', { type: 'string', ...options }),
  Union: <T extends TSchema[]>(anyOf: [...T], options: Options = {}): TUnion<T> => kind('Union', { anyOf, ...options }),
  Unsafe: unsafe
}

/** A function-valued option, typed as `F` (TypeBox: `Type.Unsafe<F>({ type: 'function' })`). */
export const Fn = <F extends (...args: any[]) => unknown>(options: Options = {}): TUnsafe<F> => unsafe<F>({ type: 'function', ...options })
