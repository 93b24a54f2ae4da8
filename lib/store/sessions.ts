/**
 * The session half of the user store (migration 004): login sessions that tokens name by id, and
 * the revocation list of stateless tokens (their SHA-256). The token check asks
 * {@link SessionStore.getSession} on a cache miss, so "revoked", "expired" and "unknown" all
 * refuse the token: the store is the truth, caches only delay it by a documented bound.
 */
import { randomBytes } from 'node:crypto'

/** A session id: 16 random bytes, base64url (22 characters). */
export const SESSION_ID = /^[A-Za-z0-9_-]{22}$/

/** A new random session id. */
export function newSessionId (): string {
  return randomBytes(16).toString('base64url')
}

/** Whether a value is shaped like a session id (checked before any store access). */
export function isSessionId (v: unknown): v is string {
  return typeof v === 'string' && SESSION_ID.test(v)
}

/** A session as stored. Dates are floored to the minute for `lastSeenAt`. */
export interface SessionRecord {
  id: string
  /** The login as stored. */
  login: string
  createdAt: Date
  lastSeenAt: Date
  /** When its last token expires (grace included): the row may be purged after. */
  expiresAt: Date
  /** `null` while the session is live. */
  revokedAt: Date | null
  ip: string | null
  userAgent: string | null
}

/** What {@link SessionStore.createSession} needs. */
export interface NewSession {
  login: string
  expiresAt: Date
  ip?: string | null
  userAgent?: string | null
}

/** Sessions and token revocations; `UserStore.sessions`. */
export interface SessionStore {
  /** Record a new live session for an existing login (404 otherwise); its id is random. */
  createSession (s: NewSession): Promise<SessionRecord>
  /** The session with this id, live, revoked or expired, or `null` (malformed ids too). */
  getSession (id: string): Promise<SessionRecord | null>
  /** The live (not revoked, not expired) sessions of a login, newest first. */
  listSessions (login: string, now?: Date): Promise<SessionRecord[]>
  /** Record activity: `lastSeenAt` set to `at` (a minute) when later than the stored one. */
  touchSession (id: string, at: Date): Promise<void>
  /** Push the expiry of a live session of `login` to `expiresAt` when later; `false` when not live or not theirs. */
  extendSession (id: string, login: string, expiresAt: Date): Promise<boolean>
  /** Revoke one session of `login` (only theirs); `false` when there is no such live session of theirs. */
  revokeSession (id: string, login: string): Promise<boolean>
  /** Revoke every live session of `login`; how many. */
  revokeSessions (login: string): Promise<number>
  /** Put a stateless token (its SHA-256, hex) on the revocation list until `expiresAt`. */
  revokeToken (hash: string, expiresAt: Date): Promise<void>
  /** Whether a token hash is on the revocation list. */
  isTokenRevoked (hash: string): Promise<boolean>
  /** Delete sessions and revocations expired before `now`; how many rows went. */
  purgeExpired (now?: Date): Promise<number>
}
