/** `fsa group add NAME` and `fsa group remove NAME`. */
import type { UserStore } from '../store/store.js'
import type { Command } from './command.js'
import { CliFailure } from './errors.js'
import type { CliIo } from './io.js'
import { say } from './io.js'
import { withStore } from './store.js'
import { notifyChange } from './notify.js'

/** Create a group (existing name: the store's 409 error). */
export async function addGroupAction (store: UserStore, io: CliIo, name: string): Promise<void> {
  await store.createGroup(name)
  say(io, `created group ${name}`)
}

/** Delete a group and its memberships; unknown group: failure. */
export async function removeGroupAction (store: UserStore, io: CliIo, name: string): Promise<void> {
  if (!await store.deleteGroup(name)) throw new CliFailure(`no such group "${name}"`)
  say(io, `removed group ${name}`)
}

/** The `group add` command. */
export const groupAddCommand: Command = {
  name: 'group add',
  summary: 'create a group',
  usage: 'fsa group add NAME',
  options: {},
  positionals: 1,
  async run (args, io) {
    await withStore(args, io, (store) => addGroupAction(store, io, args.positionals[0] as string))
    return 0
  }
}

/** The `group remove` command. */
export const groupRemoveCommand: Command = {
  name: 'group remove',
  summary: 'delete a group and its memberships',
  usage: 'fsa group remove NAME',
  options: {},
  positionals: 1,
  async run (args, io) {
    const name = args.positionals[0] as string
    // the members lose the group: their cached answers go
    const members = await withStore(args, io, async (store) => {
      const logins = await store.membersOf(name).catch(() => [])
      await removeGroupAction(store, io, name)
      return logins
    })
    await notifyChange(args, io, members)
    return 0
  }
}
