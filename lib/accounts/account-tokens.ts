/**
 * Password-reset and email-confirmation tokens: stateless, time-limited, and bound to the account
 * state they act on, so nothing has to be stored to make them single-use.
 *
 *   token = base64url(login) "." expiry (epoch seconds, base 36) "." base64url(HMAC-SHA256(key, purpose, login, expiry, binding))
 *
 * The binding of a reset token is the current password hash: once the password changes (by this
 * token or otherwise) the token no longer verifies. A confirmation token is bound to the email it
 * was sent to and the confirmed flag, so it dies when the email changes or once used. The key is
 * derived from the configured secret for this purpose only (never the raw token secret).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { hasControl } from '../core/control.js'

/** What a token is for; part of the MAC so a confirmation token cannot reset a password. */
export type TokenPurpose = 'reset' | 'confirm'

/** Signs and checks account tokens with one key. */
export interface AccountTokens {
  /** A token for `login`, valid `minutes`, bound to `binding`. */
  create (purpose: TokenPurpose, login: string, binding: string, minutes: number): string
  /** The login a token names, or `null` when it is not even well-formed (no MAC check yet). */
  peek (token: string): { login: string, expiry: number } | null
  /** Whether `token` is valid now for this purpose, login and current binding (constant-time MAC check). */
  verify (purpose: TokenPurpose, token: string, binding: string, now?: number): boolean
}

const FIELD = /^[A-Za-z0-9_-]+$/

/** Derive the account-token key from a secret (or a random one when `secret` is undefined). */
export function accountKey (secret: string | undefined): Buffer {
  const material = secret ?? randomBytes(32).toString('base64url')
  return createHmac('sha256', material).update('fastify-simple-auth/accounts/v1').digest()
}

/**
 * Build the signer.
 *
 * @example
 *   const tokens = createAccountTokens(accountKey(process.env.ACME_SECRET))
 *   const t = tokens.create('reset', 'calvin', currentHash, 30)
 *   tokens.verify('reset', t, currentHash)   // true until the hash changes or 30 minutes pass
 */
export function createAccountTokens (key: Buffer): AccountTokens {
  const mac = (purpose: TokenPurpose, login64: string, expiry: string, binding: string): Buffer =>
    createHmac('sha256', key).update(`${purpose}\0${login64}\0${expiry}\0${binding}`).digest()

  function split (token: string): [string, string, string] | null {
    if (typeof token !== 'string' || token.length > 2048) return null
    const parts = token.split('.')
    if (parts.length !== 3 || !parts.every((p) => FIELD.test(p))) return null
    return parts as [string, string, string]
  }

  return {
    create (purpose, login, binding, minutes) {
      const login64 = Buffer.from(login, 'utf8').toString('base64url')
      const expiry = Math.floor(Date.now() / 1000 + minutes * 60).toString(36)
      return `${login64}.${expiry}.${mac(purpose, login64, expiry, binding).toString('base64url')}`
    },
    peek (token) {
      const parts = split(token)
      if (parts === null) return null
      const expiry = parseInt(parts[1], 36)
      const login = Buffer.from(parts[0], 'base64url').toString('utf8')
      // a login no store can hold (control characters, a NUL included) names nobody: no lookup
      if (!Number.isSafeInteger(expiry) || login === '' || hasControl(login)) return null
      return { login, expiry }
    },
    verify (purpose, token, binding, now = Date.now()) {
      const parts = split(token)
      if (parts === null) return false
      const expected = mac(purpose, parts[0], parts[1], binding)
      const given = Buffer.from(parts[2], 'base64url')
      const ok = given.length === expected.length && timingSafeEqual(given, expected)
      return ok && parseInt(parts[1], 36) * 1000 > now
    }
  }
}
