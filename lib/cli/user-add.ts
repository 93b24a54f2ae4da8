/** `fsa user add LOGIN [--email EMAIL] [--group GROUP]... [--inactive] [--confirmed]`. */
import type { UserRecord, UserStore } from '../store/store.js'
import type { Command } from './command.js'
import { flag, str } from './command.js'
import { CliFailure } from './errors.js'
import type { CliIo } from './io.js'
import { readPassword, say } from './io.js'
import { hashPassword, noteRules, PASSWORD_RULE_OPTIONS, PASSWORD_RULE_USAGE, rulesOf } from './passwords.js'
import type { CliPasswordRules } from './passwords.js'
import { withStore } from './store.js'
import { notifyChange } from './notify.js'

/** What {@link addUserAction} needs besides the password, which it reads from `io`. */
export interface AddUserInput {
  login: string
  email?: string
  groups?: string[]
  active?: boolean
  confirmed?: boolean
  /** Password rules from the command line (the library's defaults otherwise). */
  rules?: CliPasswordRules
}

/** Read and hash a password, create the user and its memberships (groups checked first). */
export async function addUserAction (store: UserStore, io: CliIo, input: AddUserInput): Promise<UserRecord> {
  const groups = input.groups ?? []
  const known = new Set(await store.listGroups())
  const missing = groups.filter((g) => !known.has(g))
  if (missing.length > 0) throw new CliFailure(`no such group: ${missing.join(', ')}`)
  noteRules(io, input.rules ?? {})
  const hash = await hashPassword(await readPassword(io, { confirm: true }), input.rules)
  const user = await store.createUser({ login: input.login, email: input.email ?? null, password: hash, active: input.active, confirmed: input.confirmed })
  for (const group of groups) await store.addToGroup(user.login, group)
  say(io, `created user ${user.login}`)
  return user
}

/** The `user add` command. */
export const userAddCommand: Command = {
  name: 'user add',
  summary: 'create a user (password prompted, or read from stdin)',
  usage: `fsa user add LOGIN [--email EMAIL] [--group GROUP]... [--inactive] [--confirmed] ${PASSWORD_RULE_USAGE}`,
  options: { email: { type: 'string' }, group: { type: 'string', multiple: true }, inactive: { type: 'boolean' }, confirmed: { type: 'boolean' }, ...PASSWORD_RULE_OPTIONS },
  positionals: 1,
  async run (args, io) {
    const groups = args.values.group
    // a new account: drop what instances may still hold of an earlier one with this login
    const user = await withStore(args, io, (store) => addUserAction(store, io, {
      login: args.positionals[0] as string,
      email: str(args, 'email'),
      groups: Array.isArray(groups) ? groups : [],
      active: !flag(args, 'inactive'),
      confirmed: flag(args, 'confirmed'),
      rules: rulesOf(args)
    }))
    await notifyChange(args, io, [user.login])
    return 0
  }
}
