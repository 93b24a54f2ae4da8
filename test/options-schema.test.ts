// The option schemas are built with lib/options/schema.ts, a small copy of the part of TypeBox's
// Type builder they use (TypeBox's own builder costs hundreds of ES modules at start-up). It must
// build exactly what TypeBox builds, hidden marks included, so the schemas stay TypeBox schemas.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Type as TypeBox } from 'typebox'
import { Type, Fn } from '../lib/options/schema.js'

/** Own keys and values, enumerable or not (TypeBox's `~kind`, `~optional` are not), recursively. */
function full (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(full)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Reflect.ownKeys(value).map((k) => [String(k), full((value as Record<PropertyKey, unknown>)[k])]))
}

test('each builder function gives what TypeBox gives, hidden marks included', () => {
  const pairs: Array<[string, unknown, unknown]> = [
    ['Any', Type.Any(), TypeBox.Any()],
    ['Boolean', Type.Boolean(), TypeBox.Boolean()],
    ['String', Type.String({ minLength: 1, pattern: '^a' }), TypeBox.String({ minLength: 1, pattern: '^a' })],
    ['Number', Type.Number({ exclusiveMinimum: 0 }), TypeBox.Number({ exclusiveMinimum: 0 })],
    ['Integer', Type.Integer({ minimum: 1, maximum: 9 }), TypeBox.Integer({ minimum: 1, maximum: 9 })],
    ['Literal', Type.Literal('jwt'), TypeBox.Literal('jwt')],
    ['Union', Type.Union([Type.Literal('a'), Type.Boolean()]), TypeBox.Union([TypeBox.Literal('a'), TypeBox.Boolean()])],
    ['Array', Type.Array(Type.String()), TypeBox.Array(TypeBox.String())],
    ['Record', Type.Record(Type.Boolean()), TypeBox.Record(TypeBox.String(), TypeBox.Boolean())],
    ['Optional', Type.Optional(Type.String()), TypeBox.Optional(TypeBox.String())],
    ['Unsafe', Type.Unsafe({ type: 'function' }), TypeBox.Unsafe({ type: 'function' })],
    ['Fn', Fn(), TypeBox.Unsafe({ type: 'function' })],
    ['Object', Type.Object({ a: Type.Optional(Type.Integer()), b: Type.String() }, { additionalProperties: false }),
      TypeBox.Object({ a: TypeBox.Optional(TypeBox.Integer()), b: TypeBox.String() }, { additionalProperties: false })],
    ['Object of optionals', Type.Object({ a: Type.Optional(Type.Boolean()) }), TypeBox.Object({ a: TypeBox.Optional(TypeBox.Boolean()) })]
  ]
  for (const [name, ours, theirs] of pairs) assert.deepEqual(full(ours), full(theirs), name)
})

test('Optional copies: the schema it was given is left as it was', () => {
  const s = Type.String()
  const o = Type.Optional(s)
  assert.equal((o as { '~optional'?: boolean })['~optional'], true)
  assert.equal((s as { '~optional'?: boolean })['~optional'], undefined)
})
