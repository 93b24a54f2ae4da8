/** `fsa user remove LOGIN`: delete a user and its memberships. */
import type { UserStore } from '../store/store.js'
import type { Command } from './command.js'
import { CliFailure } from './errors.js'
import type { CliIo } from './io.js'
import { say } from './io.js'
import { withStore } from './store.js'

/** Delete the user; unknown login: failure. */
export async function removeUserAction (store: UserStore, io: CliIo, login: string): Promise<void> {
  if (!await store.deleteUser(login)) throw new CliFailure(`no such user "${login}"`)
  say(io, `removed user ${login}`)
}

/** The `user remove` command. */
export const userRemoveCommand: Command = {
  name: 'user remove',
  summary: 'delete a user and its memberships',
  usage: 'fsa user remove LOGIN',
  options: {},
  positionals: 1,
  async run (args, io) {
    await withStore(args, io, (store) => removeUserAction(store, io, args.positionals[0] as string))
    return 0
  }
}
