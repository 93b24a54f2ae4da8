/**
 * Optional peer dependencies: backends an application may not need (database drivers, Redis,
 * SMTP, Swagger, the second argon2 binding). They are declared in package.json as optional peers
 * and loaded here on first use, so an application pays, in install size and start-up time, only
 * for what it configures. A missing one is `FSA_ERR_OPT_PEER_MISSING`, naming the package and
 * what needed it, instead of Node's bare "Cannot find package".
 *
 * Every import of an optional peer goes through {@link loadPeer} (or {@link requirePeer} where a
 * synchronous constructor must fail early); docs/architecture.md ("Packaging") states the rule.
 */
import { FSA_ERR_OPT_PEER_MISSING } from '../errors/catalogue.js'

/** The optional peer dependencies of package.json (`peerDependenciesMeta`: optional). */
export type OptionalPeer = 'better-sqlite3' | 'pg' | 'ioredis' | 'nodemailer' | '@fastify/swagger' | '@fastify/swagger-ui' | 'argon2' |
  '@zxcvbn-ts/language-common' | '@fastify/cors' | '@fastify/multipart' |
  '@fastify/view' | 'eta' | '@fastify/csrf-protection'

/** Whether `e` is Node's "package not found" for `name` itself (not for one of its own dependencies). */
function isMissing (e: unknown, name: string): boolean {
  const code = (e as { code?: unknown } | null)?.code
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false
  const message = (e as Error).message
  return message.includes(`'${name}'`) || message.includes(`"${name}"`)
}

/**
 * Fail with FSA_ERR_OPT_PEER_MISSING unless `name` can be resolved, without loading it: for
 * synchronous constructors (`new SmtpMailer()`) and option checks that must fail at start-up
 * rather than at the first request. `why` completes "install NAME to use …".
 *
 * @example
 *   requirePeer('nodemailer', 'SmtpMailer')
 */
export function requirePeer (name: OptionalPeer, why: string): void {
  try {
    import.meta.resolve(name)
  } catch (e) {
    if (isMissing(e, name)) throw new FSA_ERR_OPT_PEER_MISSING(name, why, { cause: e })
    throw e
  }
}

/**
 * Load an optional peer: `load` is the literal `import()` (so bundlers and the type checker see
 * the module); a missing package becomes FSA_ERR_OPT_PEER_MISSING, any other failure (a broken
 * native binding, a missing dependency of the peer) is rethrown as is.
 *
 * @example
 *   const { default: pg } = await loadPeer('pg', 'a postgres:// store', () => import('pg'))
 */
export async function loadPeer<T> (name: OptionalPeer, why: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load()
  } catch (e) {
    if (isMissing(e, name)) throw new FSA_ERR_OPT_PEER_MISSING(name, why, { cause: e })
    throw e
  }
}
