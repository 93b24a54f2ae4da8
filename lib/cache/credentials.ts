/**
 * Keys of the verified-credentials cache (kind `credentials`). A successful password verification
 * (argon2: tens of milliseconds by design) can be remembered for a short while under a key that
 * is an HMAC of login and password with a secret of this process, so basic and param
 * authentication do not pay the hash on every request.
 *
 * Nothing reversible is stored: the key is a keyed hash, the secret never leaves the process
 * (entries of kind `credentials` are never written to Redis), and the secret is lost on restart.
 */
import { hash, randomBytes } from 'node:crypto'

/** Bytes of the per-process secret: one SHA-256 block, the longest HMAC key used as is. */
export const CREDENTIALS_SECRET_BYTES = 64

/**
 * The per-process key of {@link credentialsKey}, with its two HMAC pads precomputed as strings.
 * Every byte of `key` is below 0x80, so the pads (key XOR 0x36, key XOR 0x5c) are ASCII and their
 * UTF-8 encoding is the bytes themselves: two one-shot `crypto.hash` calls then compute exactly
 * HMAC-SHA256(key, message), without the `Hmac` object (and its native handle, which the garbage
 * collector pays for) that `createHmac` allocates on every cached basic or param request.
 */
export interface CredentialsSecret {
  /** The HMAC key (448 random bits: 64 bytes of 7 bits). */
  readonly key: Buffer
  /** key XOR 0x36 repeated, padded to the block. */
  readonly inner: string
  /** key XOR 0x5c repeated, padded to the block. */
  readonly outer: string
}

/**
 * Prepare `key` (at most 64 bytes, each below 0x80) for {@link credentialsKey}.
 *
 * @example
 *   const secret = prepareCredentialsSecret(Buffer.alloc(32, 7))   // tests; createCredentialsSecret() otherwise
 */
export function prepareCredentialsSecret (key: Buffer): CredentialsSecret {
  if (key.length > CREDENTIALS_SECRET_BYTES || key.some((b) => b >= 0x80)) throw new RangeError('a credentials secret is at most 64 bytes, each below 0x80')
  const block = Buffer.alloc(CREDENTIALS_SECRET_BYTES)
  key.copy(block)
  const pad = (x: number): string => Buffer.from(block.map((b) => b ^ x)).toString('latin1')
  return { key, inner: pad(0x36), outer: pad(0x5c) }
}

/**
 * A fresh random secret for {@link credentialsKey}; create one per process at start-up.
 *
 * @example
 *   const secret = createCredentialsSecret()
 */
export function createCredentialsSecret (): CredentialsSecret {
  const key = randomBytes(CREDENTIALS_SECRET_BYTES)
  for (let i = 0; i < key.length; i++) key[i] = (key[i] as number) & 0x7f
  return prepareCredentialsSecret(key)
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
export function credentialsKey (secret: CredentialsSecret, login: string, password: string): string {
  // HMAC by its definition, H(outer || H(inner || message)), in two one-shot hashes: this runs on
  // every cached basic/param request ('binary' is latin1: the inner digest's 32 bytes as they are,
  // which must not go through UTF-8, hence the Buffer of the outer input)
  const inner = hash('sha256', `${secret.inner}${login.length}:${login}${password}`, 'binary')
  return hash('sha256', Buffer.from(secret.outer + inner, 'latin1'), 'base64url')
}
