/**
 * Legacy bcrypt hashes (`$2a$`, `$2b$`, `$2y$`, the FlaskSimpleAuth default), verified with
 * bcryptjs so that users migrated from an older system can still log in. They are never written:
 * a successful verification flags the hash for replacement by argon2id.
 */
import type bcryptjs from 'bcryptjs'

// bcryptjs (pure JavaScript) is loaded when the first legacy hash is met, not at start-up.
let bcrypt: Promise<{ default: typeof bcryptjs }> | undefined

// $2<minor>$<cost>$ then 22 characters of salt and 31 of digest, in bcrypt's own base64 alphabet.
const BCRYPT = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/

/**
 * Whether `digest` is a well-formed bcrypt hash with a cost bcrypt accepts (4 to 31).
 *
 * @example
 *   isBcryptHash('$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy') // true
 */
export function isBcryptHash (digest: string): boolean {
  const m = BCRYPT.exec(digest)
  if (m === null) return false
  const cost = Number(m[1])
  return cost >= 4 && cost <= 31
}

/**
 * Whether `password` matches the bcrypt `digest` (check {@link isBcryptHash} first).
 * bcrypt only reads the first 72 bytes of a password: longer ones match on that prefix.
 */
export async function verifyBcrypt (password: string, digest: string): Promise<boolean> {
  const { default: lib } = await (bcrypt ??= import('bcryptjs'))
  return await lib.compare(password, digest)
}
