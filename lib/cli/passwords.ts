/**
 * Password hashing for the CLI: the plugin's own password manager (argon2id at OWASP parameters:
 * memoryCost 19456 KiB, timeCost 2, parallelism 1), so hashes made here verify in the
 * application. New passwords go through the library's default quality rules (at least 8
 * characters) unless the command is given the application's: `--min-length N` and `--regex RE`
 * (repeatable). The CLI cannot read the application's options, so when neither is given it says
 * on stderr which rules it applied.
 */
import { createPasswordManager, resolvePasswordOptions } from '../passwords/index.js'
import type { PasswordManager } from '../passwords/index.js'
import { PASSWORD_DEFAULTS } from '../passwords/options.js'
import type { ParsedArgs } from './command.js'
import { UsageError } from './errors.js'
import type { CliIo } from './io.js'

/** Quality rules given on the command line. */
export interface CliPasswordRules {
  minLength?: number
  regex?: string[]
}

/** The options of the commands that take a new password. */
export const PASSWORD_RULE_OPTIONS = {
  'min-length': { type: 'string' },
  regex: { type: 'string', multiple: true }
} as const

/** Usage text of {@link PASSWORD_RULE_OPTIONS}. */
export const PASSWORD_RULE_USAGE = '[--min-length N] [--regex RE]...'

/** The rules given with `--min-length` and `--regex`. */
export function rulesOf (args: ParsedArgs): CliPasswordRules {
  const rules: CliPasswordRules = {}
  const min = args.values['min-length']
  if (typeof min === 'string') {
    if (!/^\d{1,5}$/.test(min)) throw new UsageError(`--min-length must be a whole number, not "${min}"`)
    rules.minLength = Number(min)
  }
  const regex = args.values.regex
  if (Array.isArray(regex) && regex.length > 0) rules.regex = regex
  return rules
}

/** Tell (stderr) which rules apply when the command line gave none of the application's. */
export function noteRules (io: CliIo, rules: CliPasswordRules): void {
  if (rules.minLength !== undefined || rules.regex !== undefined) return
  io.stderr.write(`fsa: the library's default password rules apply (at least ${PASSWORD_DEFAULTS.minLength} characters), ` +
    'not necessarily the application\'s: give --min-length and --regex to apply those\n')
}

const managers = new Map<string, PasswordManager>()

/** Hash a clear password under `rules`; quality failures throw the 400 `FSA_ERR_PASSWORD_*` errors. */
export async function hashPassword (password: string, rules: CliPasswordRules = {}): Promise<string> {
  const key = JSON.stringify(rules)
  let manager = managers.get(key)
  if (manager === undefined) {
    manager = createPasswordManager(resolvePasswordOptions({ minLength: rules.minLength, regex: rules.regex }))
    managers.set(key, manager)
  }
  return await manager.hash(password)
}
