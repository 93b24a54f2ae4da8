/** `fsa hash`: print the argon2id hash of a password (prompted, or the first line of stdin). */
import type { Command } from './command.js'
import type { CliIo } from './io.js'
import { readPassword, say } from './io.js'
import { hashPassword } from './passwords.js'

/** Read a password and print its hash, e.g. for a `getUserPass` table or a SQL insert. */
export async function hashAction (io: CliIo): Promise<string> {
  const hash = await hashPassword(await readPassword(io, { confirm: true }))
  say(io, hash)
  return hash
}

/** The `hash` command (needs no database). */
export const hashCommand: Command = {
  name: 'hash',
  summary: 'hash a password with argon2id (OWASP parameters)',
  usage: 'fsa hash',
  options: {},
  positionals: 0,
  async run (_args, io) {
    await hashAction(io)
    return 0
  }
}
