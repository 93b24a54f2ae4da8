/**
 * Entries of a shared (Redis) cache bound to the application: their names are keyed hashes and
 * their values carry a seal, both HMAC-SHA256 with the cache secret. Two applications on one Redis
 * prefix with different secrets neither find nor accept each other's entries, and whoever can
 * write to Redis without the secret cannot forge one (`SET fsa:token:… {"login":"root"}` is a
 * miss: the seal does not match). The in-process layer needs neither: it is not shared.
 *
 * The seal covers the entry's name too, so a sealed value copied under another name (another
 * user's record, another token) does not verify there.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { CacheKind } from './kinds.js'

/** Characters of a seal: base64url of the 32-byte HMAC. */
export const SEAL_LENGTH = 43

// domain separation: a cache secret given as the token secret never signs what tokens sign
const DERIVATION_LABEL = 'fastify-simple-auth cache secret v1'

const mac = (secret: Buffer, text: string): string => createHmac('sha256', secret).update(text, 'utf8').digest('base64url')

/**
 * The cache key from configured material (`cache.secret`, or the token secret): the same
 * material gives the same key in every instance and in the `fsa` CLI.
 *
 * @example
 *   const secret = cacheSecretOf(process.env.ACME_TOKEN_SECRET)
 */
export function cacheSecretOf (material: string): Buffer {
  return createHmac('sha256', Buffer.from(material, 'utf8')).update(DERIVATION_LABEL).digest()
}

/** The member name of an entry on Redis (after the prefix): `kind:` and a keyed hash of the key. */
export function sealedMember (secret: Buffer, kind: CacheKind, key: string): string {
  return kind + ':' + mac(secret, kind + '\0' + key)
}

/** The name of a login's set of members on Redis (after the prefix). */
export function loginSetName (secret: Buffer, login: string): string {
  return 'L:' + mac(secret, 'L\0' + login)
}

/** `seal + json`: what is written under `name` (the full Redis key). */
export function seal (secret: Buffer, name: string, json: string): string {
  return mac(secret, name + '\0' + json) + json
}

/** The JSON text of a sealed value read under `name`, or `undefined` when the seal does not match. */
export function unseal (secret: Buffer, name: string, text: string): string | undefined {
  if (text.length < SEAL_LENGTH) return undefined
  const json = text.slice(SEAL_LENGTH)
  const given = Buffer.from(text.slice(0, SEAL_LENGTH), 'latin1')
  const expected = Buffer.from(mac(secret, name + '\0' + json), 'latin1')
  return given.length === expected.length && timingSafeEqual(given, expected) ? json : undefined
}
