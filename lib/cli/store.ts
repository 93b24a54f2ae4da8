/**
 * How commands reach the store: `--db URL` or the `FSA_DB_URL` environment variable, opened
 * for the duration of one command and always closed.
 */
import { openStore } from '../store/open.js'
import type { UserStore } from '../store/store.js'
import type { ParsedArgs } from './command.js'
import { str } from './command.js'
import { UsageError } from './errors.js'
import type { CliIo } from './io.js'

/** The database URL of this run, or `undefined` when neither `--db` nor `FSA_DB_URL` gives one. */
export function dbUrlOf (args: ParsedArgs, io: CliIo): string | undefined {
  return str(args, 'db') ?? (io.env.FSA_DB_URL !== '' ? io.env.FSA_DB_URL : undefined)
}

/**
 * Open the store, run `fn`, close the store. `migrate` applies pending migrations first (every
 * command but `fsa migrate`, which reports them itself).
 */
export async function withStore<T> (args: ParsedArgs, io: CliIo, fn: (store: UserStore) => Promise<T>, migrate = true): Promise<T> {
  const url = dbUrlOf(args, io)
  if (url === undefined) throw new UsageError('no database: use --db URL or set FSA_DB_URL')
  const schema = str(args, 'schema') ?? (io.env.FSA_DB_SCHEMA !== '' ? io.env.FSA_DB_SCHEMA : undefined)
  const store = await openStore(url, { migrate, schema })
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}
