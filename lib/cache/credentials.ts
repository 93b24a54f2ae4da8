/**
 * Keys of the verified-credentials cache (kind `credentials`). A successful password verification
 * (argon2: tens of milliseconds by design) can be remembered for a short while under a key that
 * is an HMAC of login and password with a secret of this process, so basic and param
 * authentication do not pay the hash on every request.
 *
 * Nothing reversible is stored: the key is a keyed hash, the secret never leaves the process
 * (entries of kind `credentials` are never written to Redis), and the secret is lost on restart.
 */
import { createHmac, randomBytes } from 'node:crypto'

/** Bytes of the per-process secret (the HMAC-SHA256 block-size-friendly 256 bits). */
export const CREDENTIALS_SECRET_BYTES = 32

/**
 * A fresh random secret for {@link credentialsKey}; create one per process at start-up.
 *
 * @example
 *   const secret = createCredentialsSecret()
 */
export function createCredentialsSecret (): Buffer {
  return randomBytes(CREDENTIALS_SECRET_BYTES)
}

/**
 * The cache key of a (login, password) pair: base64url of HMAC-SHA256(secret, len ':' login
 * password) in UTF-8, where len is the login's length in UTF-16 code units, in decimal. The length
 * prefix makes the encoding unambiguous: ('a:b', 'c') and ('a', 'b:c') get different keys, which
 * a plain `login + ':' + password` would not guarantee.
 *
 * @example
 *   const key = credentialsKey(secret, 'calvin', 'hobbes')   // 43 characters
 *   const login = await cache.memo('credentials', key, 'calvin', () => verify('calvin', 'hobbes'))
 */
export function credentialsKey (secret: Buffer, login: string, password: string): string {
  // one update of one string: this runs on every cached basic/param request
  return createHmac('sha256', secret).update(`${login.length}:${login}${password}`, 'utf8').digest('base64url')
}
