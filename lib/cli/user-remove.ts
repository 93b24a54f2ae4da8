/** `fsa user remove LOGIN`: delete a user and its memberships. */
import type { UserStore } from '../store/store.js'
import type { Command } from './command.js'
import { CliFailure } from './errors.js'
import type { CliIo } from './io.js'
import { say } from './io.js'
import { withStore } from './store.js'
import { notifyChange, spellingsOf } from './notify.js'

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
    const login = args.positionals[0] as string
    const logins = await withStore(args, io, async (store) => {
      const spellings = await spellingsOf(store, login)
      await removeUserAction(store, io, login)
      return spellings
    })
    await notifyChange(args, io, logins)
    return 0
  }
}
