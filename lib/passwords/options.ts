/**
 * The `password` options of fastify-simple-auth: a TypeBox schema the plugin composes into its own
 * option schema, the matching TypeScript type, and {@link resolvePasswordOptions} which fills the
 * defaults, compiles regular expressions once and refuses hashing parameters below OWASP's.
 */
import { availableParallelism } from 'node:os'
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { FSA_ERR_OPT_INVALID } from '../errors/catalogue.js'

// Refine keeps the check in Value.Check (a bare `{}` schema would accept anything).
const isRegExp = (v: unknown): boolean => v instanceof RegExp
const compiles = (v: string): boolean => {
  try { new RegExp(v, 'u'); return true } catch { return false }
}
const Pattern = Type.Refine(Type.String(), compiles, () => 'must be a valid regular expression (unicode mode)')
const RegExpValue = Type.Refine(Type.Unsafe<RegExp>({}), isRegExp, () => 'must be a RegExp')
const OneRegex = Type.Union([Pattern, RegExpValue])

/** Sync or async function fields: `Type.Function` makes Value.Check accept any function. */
const QualityFn = Type.Function([Type.String()], Type.Any())
const CheckFn = Type.Function([Type.String(), Type.String()], Type.Any())

/** The JSON-ish schema of the `password` option (unknown keys rejected). */
export const PasswordOptionsSchema = Type.Object({
  backend: Type.Optional(Type.Union([Type.Literal('argon2'), Type.Literal('@node-rs/argon2')])),
  memoryCost: Type.Optional(Type.Integer({ minimum: 8, maximum: 4194304 })),
  timeCost: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  parallelism: Type.Optional(Type.Integer({ minimum: 1, maximum: 255 })),
  allowWeak: Type.Optional(Type.Boolean()),
  minLength: Type.Optional(Type.Integer({ minimum: 0 })),
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 65536 })),
  regex: Type.Optional(Type.Union([OneRegex, Type.Array(OneRegex)])),
  quality: Type.Optional(QualityFn),
  check: Type.Optional(CheckFn),
  concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
  queueLimit: Type.Optional(Type.Integer({ minimum: 0 }))
}, { additionalProperties: false })

/** A quality rule: `false` (or any falsy value) means too weak, a throw gives its message as the reason. */
export type QualityCheck = (password: string) => boolean | Promise<boolean>
/** Alternate check (LDAP, recovery codes): `true` accepts, `false`/`null` refuses. */
export type PasswordCheck = (login: string, password: string) => boolean | null | Promise<boolean | null>

/**
 * Options of the password layer (the plugin's `password` key).
 *
 * @example
 *   { minLength: 12, regex: ['[0-9]', /[A-Z]/], quality: (pwd) => !breached.has(pwd) }
 */
export type PasswordOptions = Omit<Static<typeof PasswordOptionsSchema>, 'regex' | 'quality' | 'check'> & {
  /** Every pattern must match (searched, not anchored). String patterns are compiled with the `u` flag. @default [] */
  regex?: string | RegExp | Array<string | RegExp>
  /** @default undefined */
  quality?: QualityCheck
  /** @default undefined */
  check?: PasswordCheck
}

/** A compiled `regex` rule; `label` is what the error message shows. */
export interface PasswordRule { readonly re: RegExp, readonly label: string }

/** Password options with every default applied, frozen. */
export interface ResolvedPasswordOptions {
  /** @default 'argon2' */
  readonly backend: 'argon2' | '@node-rs/argon2'
  /** KiB of memory per hash. @default 19456 (19 MiB, OWASP) */
  readonly memoryCost: number
  /** Passes over memory. @default 2 */
  readonly timeCost: number
  /** Lanes. @default 1 */
  readonly parallelism: number
  /** Accept parameters below OWASP's minimum (tests, migrations). @default false */
  readonly allowWeak: boolean
  /** Minimum length in Unicode code points. @default 0 */
  readonly minLength: number
  /** Maximum length in Unicode code points; longer passwords are never hashed. @default 1024 */
  readonly maxLength: number
  /** @default [] */
  readonly regex: readonly PasswordRule[]
  readonly quality: QualityCheck | undefined
  readonly check: PasswordCheck | undefined
  /** Hash and verify operations running at once. @default min(4, CPU count) */
  readonly concurrency: number
  /** Operations allowed to wait; one more is a 503. @default 1000 */
  readonly queueLimit: number
}

/** Defaults of the password options, exported for docs and tests. */
export const PASSWORD_DEFAULTS = Object.freeze({
  backend: '@node-rs/argon2' as const,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
  allowWeak: false,
  minLength: 0,
  maxLength: 1024,
  // argon2 is CPU-bound and runs on libuv's 4-thread pool (shared with fs, dns.lookup, zlib):
  // more slots than cores buys no throughput (bench/argon2.ts) and would starve those users.
  concurrency: Math.min(4, availableParallelism()),
  queueLimit: 1000
})

/**
 * OWASP Password Storage Cheat Sheet, argon2id: any one of these (memory KiB, passes) pairs, with
 * parallelism 1, is the minimum. They trade memory for time at roughly equal attacker cost.
 */
export const OWASP_ARGON2ID: ReadonlyArray<{ memoryCost: number, timeCost: number }> = [
  { memoryCost: 47104, timeCost: 1 },
  { memoryCost: 19456, timeCost: 2 },
  { memoryCost: 12288, timeCost: 3 },
  { memoryCost: 9216, timeCost: 4 },
  { memoryCost: 7168, timeCost: 5 }
]

/** Whether (memoryCost, timeCost) is at least one of the OWASP argon2id configurations. */
export function meetsOwasp (memoryCost: number, timeCost: number): boolean {
  return OWASP_ARGON2ID.some((o) => memoryCost >= o.memoryCost && timeCost >= o.timeCost)
}

function compileRule (rule: string | RegExp): PasswordRule {
  if (typeof rule === 'string') {
    try {
      return { re: new RegExp(rule, 'u'), label: rule }
    } catch (e) {
      throw new FSA_ERR_OPT_INVALID('password.regex', `${JSON.stringify(rule)} is not a valid regular expression: ${(e as Error).message}`)
    }
  }
  if (!(rule instanceof RegExp)) throw new FSA_ERR_OPT_INVALID('password.regex', 'expected a string or a RegExp')
  // `g` and `y` make test() stateful through lastIndex: a copy without them answers the same every time.
  const re = /[gy]/.test(rule.flags) ? new RegExp(rule.source, rule.flags.replace(/[gy]/g, '')) : new RegExp(rule)
  return { re, label: rule.source }
}

/**
 * Apply the defaults to the `password` option, compile `regex` once, and check the combinations a
 * schema cannot express. Never mutates `opts`.
 *
 * Throws FSA_ERR_OPT_INVALID when the argon2 parameters are below OWASP's minimum (unless
 * `allowWeak`), when `minLength > maxLength`, or when `memoryCost < 8 × parallelism`.
 *
 * @example
 *   const resolved = resolvePasswordOptions({ minLength: 10, regex: '[0-9]' })
 *   resolved.memoryCost // 19456
 */
export function resolvePasswordOptions (opts: PasswordOptions = {}): ResolvedPasswordOptions {
  const d = PASSWORD_DEFAULTS
  const r = {
    backend: opts.backend ?? d.backend,
    memoryCost: opts.memoryCost ?? d.memoryCost,
    timeCost: opts.timeCost ?? d.timeCost,
    parallelism: opts.parallelism ?? d.parallelism,
    allowWeak: opts.allowWeak ?? d.allowWeak,
    minLength: opts.minLength ?? d.minLength,
    maxLength: opts.maxLength ?? d.maxLength,
    regex: Object.freeze((opts.regex === undefined ? [] : Array.isArray(opts.regex) ? opts.regex : [opts.regex]).map(compileRule)),
    quality: opts.quality,
    check: opts.check,
    concurrency: opts.concurrency ?? d.concurrency,
    queueLimit: opts.queueLimit ?? d.queueLimit
  }
  if (!r.allowWeak && !meetsOwasp(r.memoryCost, r.timeCost)) {
    throw new FSA_ERR_OPT_INVALID('password.memoryCost/timeCost',
      `argon2id with m=${r.memoryCost} KiB, t=${r.timeCost} is below the OWASP minimum (e.g. m=19456, t=2 or m=12288, t=3); set allowWeak: true only for tests`)
  }
  if (r.memoryCost < 8 * r.parallelism) {
    throw new FSA_ERR_OPT_INVALID('password.memoryCost', `argon2 needs at least 8 KiB per lane (parallelism ${r.parallelism})`)
  }
  if (r.minLength > r.maxLength) {
    throw new FSA_ERR_OPT_INVALID('password.minLength', `minLength ${r.minLength} exceeds maxLength ${r.maxLength}`)
  }
  if (r.quality !== undefined && typeof r.quality !== 'function') throw new FSA_ERR_OPT_INVALID('password.quality', 'expected a function')
  if (r.check !== undefined && typeof r.check !== 'function') throw new FSA_ERR_OPT_INVALID('password.check', 'expected a function')
  return Object.freeze(r)
}
