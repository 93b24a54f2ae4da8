/** `fsa group adduser GROUP LOGIN...` and `fsa group deluser GROUP LOGIN...`. */
import type { UserStore } from '../store/store.js'
import type { Command } from './command.js'
import type { CliIo } from './io.js'
import { say } from './io.js'
import { withStore } from './store.js'
import { notifyChange, spellingsOf } from './notify.js'

/** Add logins to a group; already a member is reported, not an error. */
export async function addUsersAction (store: UserStore, io: CliIo, group: string, logins: string[]): Promise<void> {
  for (const login of logins) {
    say(io, await store.addToGroup(login, group) ? `added ${login} to ${group}` : `${login} already in ${group}`)
  }
}

/** Remove logins from a group; not a member is reported, not an error. */
export async function delUsersAction (store: UserStore, io: CliIo, group: string, logins: string[]): Promise<void> {
  for (const login of logins) {
    say(io, await store.removeFromGroup(login, group) ? `removed ${login} from ${group}` : `${login} not in ${group}`)
  }
}

/** The `group adduser` command. */
export const groupAddUserCommand: Command = {
  name: 'group adduser',
  summary: 'add users to a group',
  usage: 'fsa group adduser GROUP LOGIN...',
  options: {},
  positionals: [2, Infinity],
  async run (args, io) {
    const [group, ...logins] = args.positionals as [string, ...string[]]
    const spellings = await withStore(args, io, async (store) => {
      await addUsersAction(store, io, group, logins)
      return (await Promise.all(logins.map((l) => spellingsOf(store, l)))).flat()
    })
    await notifyChange(args, io, spellings)
    return 0
  }
}

/** The `group deluser` command. */
export const groupDelUserCommand: Command = {
  name: 'group deluser',
  summary: 'remove users from a group',
  usage: 'fsa group deluser GROUP LOGIN...',
  options: {},
  positionals: [2, Infinity],
  async run (args, io) {
    const [group, ...logins] = args.positionals as [string, ...string[]]
    const spellings = await withStore(args, io, async (store) => {
      await delUsersAction(store, io, group, logins)
      return (await Promise.all(logins.map((l) => spellingsOf(store, l)))).flat()
    })
    await notifyChange(args, io, spellings)
    return 0
  }
}
