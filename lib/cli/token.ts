/**
 * `fsa token LOGIN --realm REALM [--delay MINUTES]`: an fsa token
 * `realm:login:YYYYMMDDHHmmSS:signature` made by the plugin's own codec (`lib/tokens/fsa.ts`,
 * HMAC-SHA256 truncated to 32 hex characters). The secret comes from FSA_TOKEN_SECRET (or
 * `--secret`, visible in `ps`: prefer the variable). With a database, the user must exist and be
 * active, and the token is made for the stored spelling of the login and signs the user's current
 * token version and uniquifier, as the plugin's `createToken` does (otherwise the first password
 * change would make every CLI token look forged).
 */
import { createFsaCodec, fsaRealmPart } from '../tokens/fsa.js'
import { MIN_SECRET_BYTES } from '../tokens/options.js'
import type { UserStore } from '../store/store.js'
import type { Command } from './command.js'
import { str } from './command.js'
import { CliFailure, UsageError } from './errors.js'
import type { CliIo } from './io.js'
import { say } from './io.js'
import { dbUrlOf, withStore } from './store.js'

/** What {@link tokenAction} needs. */
export interface TokenInput {
  login: string
  realm: string
  secret: string
  /** Minutes of validity. @default 60 */
  delay?: number
  /** Issue time, epoch ms. @default Date.now() */
  now?: number
}

/** Create and print a token; with a `store`, refuse unknown or inactive users. */
export async function tokenAction (store: UserStore | null, io: CliIo, input: TokenInput): Promise<string> {
  if (Buffer.byteLength(input.secret) < MIN_SECRET_BYTES) throw new UsageError(`the token secret must be at least ${MIN_SECRET_BYTES} bytes`)
  let login = input.login
  let version = 0
  let uniquifier: string | undefined
  if (store !== null) {
    const user = await store.getPasswordHash(input.login)
    if (user === null) throw new CliFailure(`no such user "${input.login}"`)
    if (!user.active) throw new CliFailure(`user "${input.login}" is not active`)
    login = user.login
    version = user.tokenVersion
    uniquifier = user.uniquifier === '' ? undefined : user.uniquifier
  }
  const limit = (input.now ?? Date.now()) + (input.delay ?? 60) * 60_000
  const token = createFsaCodec(input.secret, 32, 0).create(fsaRealmPart(input.realm, undefined), login, limit, version, uniquifier)
  say(io, token)
  return token
}

/** The `token` command. */
export const tokenCommand: Command = {
  name: 'token',
  summary: 'create an fsa token for a user (secret from FSA_TOKEN_SECRET)',
  usage: 'fsa token LOGIN --realm REALM [--delay MINUTES] [--secret SECRET]',
  options: { realm: { type: 'string' }, delay: { type: 'string' }, secret: { type: 'string' } },
  positionals: 1,
  async run (args, io) {
    const realm = str(args, 'realm')
    if (realm === undefined || realm === '') throw new UsageError('--realm is required')
    const secret = str(args, 'secret') ?? io.env.FSA_TOKEN_SECRET
    if (secret === undefined || secret === '') throw new UsageError('no secret: set FSA_TOKEN_SECRET or use --secret')
    const delayText = str(args, 'delay') ?? '60'
    if (!/^\d+$/.test(delayText) || Number(delayText) === 0) throw new UsageError('--delay must be a positive number of minutes')
    const input = { login: args.positionals[0] as string, realm, secret, delay: Number(delayText) }
    if (dbUrlOf(args, io) === undefined) await tokenAction(null, io, input)
    else await withStore(args, io, (store) => tokenAction(store, io, input))
    return 0
  }
}
