/**
 * Telling running applications about a change made by the CLI. Applications cache user records
 * and memberships (kinds `user`, `group`) for at most `cache.userTtl` (5 s by default); with Redis
 * (`--redis URL` or FSA_REDIS_URL, `--redis-prefix` or FSA_REDIS_PREFIX, default `fsa:`) the CLI
 * also does what the application does on a change: it deletes the user's entries from Redis and
 * publishes the invalidation every instance listens to, so the change takes effect at once.
 * Entry names on Redis are keyed with the application's cache secret: FSA_CACHE_SECRET (its
 * `cache.secret`), else FSA_TOKEN_SECRET (its `token.secret`, from which it derives it).
 *
 * Every message says what is true: notified through Redis, or within the TTL when Redis was not
 * given or could not be reached.
 */
import { createCacheLayer } from '../cache/layer.js'
import { CACHE_DEFAULTS, resolveCacheOptions } from '../cache/options.js'
import { redactUrl } from '../store/open.js'
import type { UserStore } from '../store/store.js'
import type { ParsedArgs } from './command.js'
import { str } from './command.js'
import { UsageError } from './errors.js'
import type { CliIo } from './io.js'
import { say } from './io.js'

/** The common options of every command that changes users or memberships. */
export const NOTIFY_OPTIONS = { redis: { type: 'string' }, 'redis-prefix': { type: 'string' } } as const

/** The logins a change concerns, as given and as stored (entries are tagged with the stored spelling). */
export async function spellingsOf (store: UserStore, login: string): Promise<string[]> {
  const stored = (await store.getUser(login))?.login
  return stored === undefined || stored === login ? [login] : [login, stored]
}

const env = (io: CliIo, name: string): string | undefined => io.env[name] !== '' ? io.env[name] : undefined

/** What the line says when no invalidation went out: the bound applications guarantee anyway. */
export const WITHIN_TTL = `takes effect within ${CACHE_DEFAULTS.userTtl} s on running instances (their cache.userTtl, ${CACHE_DEFAULTS.userTtl} s by default)`

/**
 * Invalidate the cached entries of `logins` on every running instance through Redis when one is
 * configured, and say what holds. Resolves to `true` when the invalidation went out.
 *
 * @example
 *   await store.setActive('bob', false)
 *   await notifyChange(args, io, ['bob'])   // "running instances notified through Redis (prefix fsa:)"
 */
export async function notifyChange (args: ParsedArgs, io: CliIo, logins: Iterable<string>): Promise<boolean> {
  const url = str(args, 'redis') ?? env(io, 'FSA_REDIS_URL')
  if (url === undefined) {
    say(io, `${WITHIN_TTL}; without Redis (--redis) nothing tells them sooner`)
    return false
  }
  const prefix = str(args, 'redis-prefix') ?? env(io, 'FSA_REDIS_PREFIX') ?? CACHE_DEFAULTS.prefix
  const secret = env(io, 'FSA_CACHE_SECRET')
  const tokenSecret = env(io, 'FSA_TOKEN_SECRET')
  if (secret === undefined && tokenSecret === undefined) {
    throw new UsageError('--redis needs the application\'s cache secret: set FSA_CACHE_SECRET (its cache.secret) or FSA_TOKEN_SECRET (its token.secret)')
  }
  const options = resolveCacheOptions({ type: 'redis', redis: url, prefix, secret, localTtl: 0 }, tokenSecret)
  const quiet = { warn: () => {}, info: () => {} }
  const cache = await createCacheLayer(options, quiet)
  try {
    for (const login of new Set(logins)) await cache.uncacheUser(login)
    if ((cache.stats().redisErrors ?? 0) === 0) {
      say(io, `running instances notified through Redis (prefix ${prefix})`)
      return true
    }
  } finally {
    await cache.close()
  }
  io.stderr.write(`fsa: warning: could not reach Redis at ${redactUrl(url)}: the change ${WITHIN_TTL}\n`)
  return false
}
