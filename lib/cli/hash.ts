/** `fsa hash`: print the argon2id hash of a password (prompted, or the first line of stdin). */
import type { Command } from './command.js'
import type { CliIo } from './io.js'
import { readPassword, say } from './io.js'
import { hashPassword, noteRules, PASSWORD_RULE_OPTIONS, PASSWORD_RULE_USAGE, rulesOf } from './passwords.js'
import type { CliPasswordRules } from './passwords.js'

/** Read a password and print its hash, e.g. for a `getUserPass` table or a SQL insert. */
export async function hashAction (io: CliIo, rules: CliPasswordRules = {}): Promise<string> {
  noteRules(io, rules)
  const hash = await hashPassword(await readPassword(io, { confirm: true }), rules)
  say(io, hash)
  return hash
}

/** The `hash` command (needs no database). */
export const hashCommand: Command = {
  name: 'hash',
  summary: 'hash a password with argon2id (OWASP parameters)',
  usage: `fsa hash ${PASSWORD_RULE_USAGE}`,
  options: { ...PASSWORD_RULE_OPTIONS },
  positionals: 0,
  async run (args, io) {
    await hashAction(io, rulesOf(args))
    return 0
  }
}
