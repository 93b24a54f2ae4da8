/** `fsa migrate [--down]`: apply pending migrations, or revert the last one. */
import type { UserStore } from '../store/store.js'
import type { Command } from './command.js'
import { flag } from './command.js'
import { CliFailure, describeError } from './errors.js'
import type { CliIo } from './io.js'
import { say } from './io.js'
import { withStore } from './store.js'

/** Apply (or with `down`, revert one) migration and print what changed; a failure throws. */
export async function migrateAction (store: UserStore, io: CliIo, down = false): Promise<string[]> {
  const result = await store.migrate(down ? 'down' : 'up')
  const failure = result.errors[0]
  if (failure !== undefined) throw new CliFailure(`migration ${failure.migration} failed: ${describeError(failure.error)}`)
  if (result.applied.length === 0) say(io, down ? 'nothing to revert' : 'database is up to date')
  for (const name of result.applied) say(io, `${down ? 'reverted' : 'applied'} ${name}`)
  return result.applied
}

/** The `migrate` command. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply pending migrations (--down: revert the last one)',
  usage: 'fsa migrate [--down]',
  options: { down: { type: 'boolean' } },
  positionals: 0,
  async run (args, io) {
    await withStore(args, io, (store) => migrateAction(store, io, flag(args, 'down')), false)
    return 0
  }
}
