/** `fsa user passwd LOGIN [--keep-tokens]`: set a new password, revoking tokens unless told not to. */
import type { UserStore } from '../store/store.js'
import type { Command } from './command.js'
import { flag } from './command.js'
import { CliFailure } from './errors.js'
import type { CliIo } from './io.js'
import { readPassword, say } from './io.js'
import { hashPassword, noteRules, PASSWORD_RULE_OPTIONS, PASSWORD_RULE_USAGE, rulesOf } from './passwords.js'
import type { CliPasswordRules } from './passwords.js'
import { withStore } from './store.js'
import { notifyChange, spellingsOf } from './notify.js'

/** Read, hash and store a new password; by default bumps the token version (revokes tokens). */
export async function passwdAction (store: UserStore, io: CliIo, login: string, keepTokens = false, rules: CliPasswordRules = {}): Promise<void> {
  // fail before prompting when the user does not exist
  if (await store.getUser(login) === null) throw new CliFailure(`no such user "${login}"`)
  noteRules(io, rules)
  const hash = await hashPassword(await readPassword(io, { confirm: true }), rules)
  await store.setPassword(login, hash, { bumpTokenVersion: !keepTokens })
  say(io, `password changed for ${login}${keepTokens ? '' : ', tokens revoked'}`)
}

/** The `user passwd` command. */
export const userPasswdCommand: Command = {
  name: 'user passwd',
  summary: 'change a password (revokes the user\'s tokens unless --keep-tokens)',
  usage: `fsa user passwd LOGIN [--keep-tokens] ${PASSWORD_RULE_USAGE}`,
  options: { 'keep-tokens': { type: 'boolean' }, ...PASSWORD_RULE_OPTIONS },
  positionals: 1,
  async run (args, io) {
    const login = args.positionals[0] as string
    const logins = await withStore(args, io, async (store) => {
      await passwdAction(store, io, login, flag(args, 'keep-tokens'), rulesOf(args))
      return await spellingsOf(store, login)
    })
    await notifyChange(args, io, logins)
    return 0
  }
}
