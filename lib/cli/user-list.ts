/** `fsa user list [--search TEXT] [--offset N] [--limit N] [--json]`. */
import type { ListUsersOptions, UserRecord, UserStore } from '../store/store.js'
import type { Command } from './command.js'
import { flag, str } from './command.js'
import { UsageError } from './errors.js'
import type { CliIo } from './io.js'
import { say } from './io.js'
import { withStore } from './store.js'

/** One tab-separated line: login, email (`-` when none), state words, login count. */
export function userLine (u: UserRecord): string {
  return [u.login, u.email ?? '-', u.active ? 'active' : 'inactive', u.confirmed ? 'confirmed' : 'unconfirmed', `logins=${u.loginCount}`].join('\t')
}

/** Print users, one line each or a JSON array. */
export async function listUsersAction (store: UserStore, io: CliIo, opts: ListUsersOptions & { json?: boolean } = {}): Promise<UserRecord[]> {
  const users = await store.listUsers(opts)
  if (opts.json === true) say(io, JSON.stringify(users, null, 2))
  else for (const u of users) say(io, userLine(u))
  return users
}

function count (args: Parameters<typeof str>[0], name: string): number | undefined {
  const v = str(args, name)
  if (v === undefined) return undefined
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a non-negative integer`)
  return Number(v)
}

/** The `user list` command. */
export const userListCommand: Command = {
  name: 'user list',
  summary: 'list users (tab-separated, or --json)',
  usage: 'fsa user list [--search TEXT] [--offset N] [--limit N] [--json]',
  options: { search: { type: 'string' }, offset: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  positionals: 0,
  async run (args, io) {
    const opts = { search: str(args, 'search'), offset: count(args, 'offset'), limit: count(args, 'limit'), json: flag(args, 'json') }
    await withStore(args, io, (store) => listUsersAction(store, io, opts))
    return 0
  }
}
