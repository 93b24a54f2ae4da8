/** `fsa user show LOGIN [--json]`: the record, groups and custom data of one user. */
import type { UserStore } from '../store/store.js'
import type { Command } from './command.js'
import { flag } from './command.js'
import { CliFailure } from './errors.js'
import type { CliIo } from './io.js'
import { say } from './io.js'
import { withStore } from './store.js'

/** Print one user (never the password hash); unknown login: failure. */
export async function showUserAction (store: UserStore, io: CliIo, login: string, json = false): Promise<void> {
  const user = await store.getUser(login)
  if (user === null) throw new CliFailure(`no such user "${login}"`)
  const full = { ...user, groups: await store.groupsOf(login), data: await store.getData(login) }
  if (json) {
    say(io, JSON.stringify(full, null, 2))
    return
  }
  for (const [key, value] of Object.entries(full)) {
    const text = value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(', ') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)
    say(io, `${key}: ${text}`)
  }
}

/** The `user show` command. */
export const userShowCommand: Command = {
  name: 'user show',
  summary: 'show one user, its groups and custom data',
  usage: 'fsa user show LOGIN [--json]',
  options: { json: { type: 'boolean' } },
  positionals: 1,
  async run (args, io) {
    await withStore(args, io, (store) => showUserAction(store, io, args.positionals[0] as string, flag(args, 'json')))
    return 0
  }
}
