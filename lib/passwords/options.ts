/**
 * The `password` options of fastify-simple-auth: a schema the plugin composes into its own
 * option schema, the matching TypeScript type, and {@link resolvePasswordOptions} which fills the
 * defaults, compiles regular expressions once and refuses hashing parameters below OWASP's.
 */
import { availableParallelism } from 'node:os'
import { Type, Fn, type Static } from '../options/schema.js'
import { checkOptions } from '../options/check.js'
import { FSA_ERR_OPT_INVALID } from '../errors/catalogue.js'
import { requirePeer } from '../core/peers.js'

/** A quality rule: `false` (or any falsy value) means too weak, a throw gives its message as the reason. */
export type QualityCheck = (password: string) => boolean | Promise<boolean>
/** Alternate check (LDAP, recovery codes): `true` accepts, `false`/`null` refuses. */
export type PasswordCheck = (login: string, password: string) => boolean | null | Promise<boolean | null>

/** A pattern: a string compiled with the `u` flag, or a RegExp. */
const OneRegex = Type.Union([Type.String({ format: 'regex' }), Type.Unsafe<RegExp>({ type: 'object', instanceOf: 'RegExp' })])

/** The schema of the `password` option (unknown keys rejected); docs/reference/passwords.md tells more. */
export const PasswordOptionsSchema = Type.Object({
  /** argon2 binding. @default 'argon2' */
  backend: Type.Optional(Type.Union([Type.Literal('argon2'), Type.Literal('@node-rs/argon2')])),
  /** KiB of memory per hash. @default 19456 (19 MiB, OWASP) */
  memoryCost: Type.Optional(Type.Integer({ minimum: 8, maximum: 4194304 })),
  /** Passes over memory. @default 2 */
  timeCost: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  /** Lanes. @default 1 */
  parallelism: Type.Optional(Type.Integer({ minimum: 1, maximum: 255 })),
  /** Accept parameters below OWASP's minimum (tests, migrations). @default false */
  allowWeak: Type.Optional(Type.Boolean()),
  /** Minimum length in Unicode code points (NIST SP 800-63B's floor; 15 when the password is the only factor, per its revision 4). @default 8 */
  minLength: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Maximum length in Unicode code points; longer passwords are never hashed. @default 1024 */
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 65536 })),
  /** Every pattern must match (searched, not anchored). String patterns are compiled with the `u` flag. @default [] */
  regex: Type.Optional(Type.Union([OneRegex, Type.Array(OneRegex)], {
    expected: 'a regular expression (a string, compiled with the u flag, or a RegExp) or a list of them'
  })),
  /** Refuse new passwords found (case-insensitively) in the common-password list of the optional peer `@zxcvbn-ts/language-common`. @default false */
  refuseCommon: Type.Optional(Type.Boolean()),
  /** A quality rule run on new passwords. @default undefined */
  quality: Type.Optional(Fn<QualityCheck>()),
  /** Alternate check tried when no stored hash matches (LDAP, recovery codes). @default undefined */
  check: Type.Optional(Fn<PasswordCheck>()),
  /** Hash and verify operations running at once. @default min(4, CPU count) */
  concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
  /** Operations allowed to wait; one more is a 503. @default 1000 */
  queueLimit: Type.Optional(Type.Integer({ minimum: 0 }))
}, { additionalProperties: false })

/**
 * Options of the password layer (the plugin's `password` key).
 *
 * @example
 *   { minLength: 12, regex: ['[0-9]', /[A-Z]/], quality: (pwd) => !breached.has(pwd) }
 */
export type PasswordOptions = Static<typeof PasswordOptionsSchema>

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
  /** Minimum length in Unicode code points. @default 8 */
  readonly minLength: number
  /** Maximum length in Unicode code points; longer passwords are never hashed. @default 1024 */
  readonly maxLength: number
  /** @default [] */
  readonly regex: readonly PasswordRule[]
  /** Refuse common passwords (case-insensitively). @default false */
  readonly refuseCommon: boolean
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
  minLength: 8,
  maxLength: 1024,
  refuseCommon: false,
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

/** A checked rule (the schema refused strings that do not compile) ready to test passwords. */
function compileRule (rule: string | RegExp): PasswordRule {
  if (typeof rule === 'string') return { re: new RegExp(rule, 'u'), label: rule }
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
  checkOptions(PasswordOptionsSchema, opts, 'password')
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
    refuseCommon: opts.refuseCommon ?? d.refuseCommon,
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
  // the dictionary loads on the first new password; a missing package must fail at start-up
  if (r.refuseCommon) requirePeer('@zxcvbn-ts/language-common', 'password.refuseCommon')
  if (r.minLength > r.maxLength) {
    throw new FSA_ERR_OPT_INVALID('password.minLength', `minLength ${r.minLength} exceeds maxLength ${r.maxLength}`)
  }
  return Object.freeze(r)
}
