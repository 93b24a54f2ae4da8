/** `fsa user activate LOGIN` and `fsa user deactivate LOGIN`. */
import type { UserStore } from '../store/store.js'
import type { Command } from './command.js'
import type { CliIo } from './io.js'
import { say } from './io.js'
import { withStore } from './store.js'
import { notifyChange, spellingsOf } from './notify.js'

/** Enable or disable an account (unknown login: the store's 404 error). */
export async function setActiveAction (store: UserStore, io: CliIo, login: string, active: boolean): Promise<void> {
  await store.setActive(login, active)
  say(io, `${active ? 'activated' : 'deactivated'} ${login}`)
}

function command (active: boolean): Command {
  const name = active ? 'activate' : 'deactivate'
  return {
    name: `user ${name}`,
    summary: active ? 'enable an account' : 'disable an account (its logins and tokens are refused)',
    usage: `fsa user ${name} LOGIN`,
    options: {},
    positionals: 1,
    async run (args, io) {
      const login = args.positionals[0] as string
      const logins = await withStore(args, io, async (store) => {
        await setActiveAction(store, io, login, active)
        return await spellingsOf(store, login)
      })
      await notifyChange(args, io, logins)
      return 0
    }
  }
}

/** The `user activate` command. */
export const userActivateCommand = command(true)
/** The `user deactivate` command. */
export const userDeactivateCommand = command(false)
