/** `fsa group list` and `fsa group members NAME`. */
import type { UserStore } from '../store/store.js'
import type { Command } from './command.js'
import type { CliIo } from './io.js'
import { say } from './io.js'
import { withStore } from './store.js'

/** Print every group name, one per line. */
export async function listGroupsAction (store: UserStore, io: CliIo): Promise<string[]> {
  const groups = await store.listGroups()
  for (const g of groups) say(io, g)
  return groups
}

/** Print the logins of a group, one per line (unknown group: the store's 404 error). */
export async function groupMembersAction (store: UserStore, io: CliIo, name: string): Promise<string[]> {
  const members = await store.membersOf(name)
  for (const m of members) say(io, m)
  return members
}

/** The `group list` command. */
export const groupListCommand: Command = {
  name: 'group list',
  summary: 'list groups',
  usage: 'fsa group list',
  options: {},
  positionals: 0,
  async run (args, io) {
    await withStore(args, io, (store) => listGroupsAction(store, io))
    return 0
  }
}

/** The `group members` command. */
export const groupMembersCommand: Command = {
  name: 'group members',
  summary: 'list the members of a group',
  usage: 'fsa group members NAME',
  options: {},
  positionals: 1,
  async run (args, io) {
    await withStore(args, io, (store) => groupMembersAction(store, io, args.positionals[0] as string))
    return 0
  }
}
