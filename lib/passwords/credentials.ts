/**
 * Login and password verification shared by the `basic` and `param` schemes.
 * - The hash comes from `getUserPass` (or the store), cached (kind `user`); unknown logins are not
 *   cached so that a user created a moment ago can log in.
 * - An unknown login costs a verification against a dummy hash (PasswordManager.checkUser) and gets
 *   the same 401 message as a wrong password, so neither the answer nor its timing tells which
 *   logins exist. The alternate `password.check` callback runs when no hash matches.
 * - With the verified-credentials cache on, a successful check is remembered under an HMAC of the
 *   login and password (kind `credentials`, short TTL) so password schemes do not pay argon2 per request.
 * - A legacy or weaker hash is replaced after a successful login when a writer is available.
 */
import { FSA_ERR_AUTH_INACTIVE, FSA_ERR_AUTH_INVALID, FSA_ERR_CALLBACK_RESULT } from '../errors/catalogue.js'
import { callbackFailure, describe } from '../authz/check-result.js'
import { credentialsKey, type CredentialsSecret } from '../cache/credentials.js'
import { hasControl } from '../core/control.js'
import type { CacheLayer } from '../cache/layer.js'
import type { Throttle } from '../throttle/throttle.js'
import type { FastifyRequest } from 'fastify'
import type { PasswordManager } from './manager.js'
import type { GetUserPassFn, MaybePromise, UserPass } from '../core/types.js'

/** The normalized answer of `getUserPass`. */
export interface UserSecret { login: string | undefined, password: string, active: boolean, tokenVersion: number | undefined, uniquifier: string | undefined }

/** What the checker needs. */
export interface CredentialSources {
  getUserPass: GetUserPassFn | undefined
  passwords: PasswordManager
  cache: CacheLayer
  /** Secret of the verified-credentials cache, or `undefined` when that cache is off. */
  credentialsSecret: CredentialsSecret | undefined
  /** Store a better hash after a successful login with a legacy or weaker one. */
  rehash: ((login: string, hash: string) => Promise<void>) | undefined
  log: { warn (o: unknown, msg?: string): void }
  /** Throttling of failed checks, `undefined` when off. */
  throttle?: Throttle | undefined
}

function normalize (up: UserPass): UserSecret | undefined {
  if (up === null || up === undefined) return undefined
  if (typeof up === 'string') return { login: undefined, password: up, active: true, tokenVersion: undefined, uniquifier: undefined }
  if (typeof up === 'object' && typeof up.password === 'string') {
    return {
      login: typeof up.login === 'string' && up.login !== '' ? up.login : undefined,
      password: up.password,
      active: up.active !== false,
      tokenVersion: up.tokenVersion,
      uniquifier: typeof up.uniquifier === 'string' && up.uniquifier !== '' ? up.uniquifier : undefined
    }
  }
  throw new FSA_ERR_CALLBACK_RESULT('getUserPass', describe(up), 'a string, null or { password }')
}

/** Cached lookup of a login's secret: `undefined` for an unknown login. */
export function makeUserSecretLookup (getUserPass: GetUserPassFn | undefined, cache: CacheLayer): (login: string) => MaybePromise<UserSecret | undefined> {
  if (getUserPass === undefined) return () => undefined
  // tagged with the canonical login, so uncacheUser('calvin') also drops what 'CALVIN' cached
  return (login) => cache.memo<UserSecret | undefined>('user', login, (s) => s?.login ?? login, () => {
    let r: MaybePromise<UserPass>
    try { r = getUserPass(login) } catch (e) { throw callbackFailure('getUserPass', e) }
    return r instanceof Promise ? r.then(normalize, (e) => { throw callbackFailure('getUserPass', e) }) : normalize(r)
  })
}

/**
 * Build `checkCredentials(login, password)`: the canonical login, or a 401. A hit in the
 * verified-credentials cache answers synchronously, so a cached basic login costs no promise.
 */
export function makeCredentialChecker (src: CredentialSources): CredentialCheck {
  const check = makeUnthrottledChecker(src)
  return src.throttle === undefined ? check : throttled(check, src.throttle)
}

/** A credential check; with the request, failures are throttled per client address. */
export type CredentialCheck = (login: string, password: string, request?: FastifyRequest) => MaybePromise<string>

/** Whether an error is a wrong login or password (what throttling counts). */
const isInvalid = (e: unknown): boolean => e instanceof FSA_ERR_AUTH_INVALID

/**
 * `check` behind the throttle: a refused (login, address) gets its 429 before anything else, a
 * cached password included (otherwise 200 against 429 would tell a guess right); a wrong password
 * is counted (an unknown login too, the same way) before its 401 goes out.
 */
function throttled (check: CredentialCheck, throttle: Throttle): CredentialCheck {
  const counted = (login: string, request: FastifyRequest | undefined, e: unknown, flight: string | undefined): Promise<never> => {
    if (!isInvalid(e)) { throttle.release(flight); return Promise.reject(e) }
    return throttle.failed(login, request).finally(() => { throttle.release(flight) }).then(() => { throw e })
  }
  const succeeded = (login: string, request: FastifyRequest | undefined, canonical: string, verified: boolean, flight: string | undefined): string => {
    throttle.release(flight)
    throttle.succeeded(login, request, verified)
    return canonical
  }
  return (login, password, request) => {
    const flight = throttle.check(login, request)
    let r: MaybePromise<string>
    try { r = check(login, password) } catch (e) { return counted(login, request, e, flight) }
    if (r instanceof Promise) return r.then((c) => succeeded(login, request, c, true, flight), (e: unknown) => counted(login, request, e, flight))
    return succeeded(login, request, r, false, flight)
  }
}

function makeUnthrottledChecker (src: CredentialSources): (login: string, password: string) => MaybePromise<string> {
  const lookup = makeUserSecretLookup(src.getUserPass, src.cache)

  /** Resolves to the canonical login (the source's spelling), rejects with a 401. */
  async function verify (login: string, password: string): Promise<string> {
    const secret = await lookup(login)
    const result = await src.passwords.checkUser(login, password, secret?.password)
    if (result.error !== undefined) src.log.warn({ err: result.error, login }, 'fastify-simple-auth: stored password hash unusable')
    if (!result.ok) throw new FSA_ERR_AUTH_INVALID()
    if (secret !== undefined && !secret.active) throw new FSA_ERR_AUTH_INACTIVE()
    if (result.rehash && src.rehash !== undefined) {
      const write = src.rehash
      src.passwords.hash(password, { check: false })
        .then((h) => write(login, h))
        .then(() => src.cache.delete('user', login))
        .catch((e: unknown) => src.log.warn({ err: e }, 'fastify-simple-auth: could not store the rehashed password'))
    }
    return secret?.login ?? login
  }

  // Control characters (a NUL included) in a login or password are refused before any cache or
  // store access: no stored login has one, and PostgreSQL answers a NUL in text with an error.
  const secret = src.credentialsSecret
  if (secret === undefined) {
    return (login, password) => {
      if (hasControl(login) || hasControl(password)) throw new FSA_ERR_AUTH_INVALID()
      return verify(login, password)
    }
  }
  const cached = makeCachedCheck(secret, src.cache, lookup, verify)
  return (login, password) => {
    if (hasControl(login) || hasControl(password)) throw new FSA_ERR_AUTH_INVALID()
    return cached(login, password)
  }
}

/** What the verified-credentials cache remembers: the login and the hash the password matched. */
interface Verified { login: string, hash: string | undefined }

/**
 * The verified-credentials cache in front of `verify`. An entry lives `credentials.ttl`, but every
 * hit is checked against the user record (kind `user`, at most `cache.userTtl` old, a cheap
 * lookup rather than a hash): a changed hash or a deactivated account drops the entry and the
 * password is verified again. So a password change or a deactivation takes effect within
 * `userTtl` whatever `credentials.ttl` says, and argon2 still runs once per `credentials.ttl`.
 */
function makeCachedCheck (secret: CredentialsSecret, cache: CacheLayer, lookup: (login: string) => MaybePromise<UserSecret | undefined>, verify: (login: string, password: string) => Promise<string>): (login: string, password: string) => MaybePromise<string> {
  const tag = (v: Verified): string => v.login
  const remember = async (login: string, password: string): Promise<Verified> => {
    const canonical = await verify(login, password)
    return { login: canonical, hash: (await lookup(login))?.password }
  }
  // no closure per call on the synchronous path: a cached basic request allocates nothing more than before
  const judge = (s: UserSecret | undefined, v: Verified, login: string, password: string, key: string, retry: boolean): MaybePromise<string> => {
    if (s?.password === v.hash && s?.active !== false) return v.login
    if (!retry) throw new FSA_ERR_AUTH_INVALID()
    void cache.delete('credentials', key)
    return check(login, password, false)
  }
  const confirm = (v: Verified, login: string, password: string, key: string, retry: boolean): MaybePromise<string> => {
    const current = lookup(login)
    return current instanceof Promise
      ? current.then((s) => judge(s, v, login, password, key, retry))
      : judge(current, v, login, password, key, retry)
  }
  function check (login: string, password: string, retry: boolean): MaybePromise<string> {
    const key = credentialsKey(secret, login, password)
    const v = cache.memo<Verified>('credentials', key, tag, () => remember(login, password))
    return v instanceof Promise ? v.then((x) => confirm(x, login, password, key, retry)) : confirm(v, login, password, key, retry)
  }
  return (login, password) => check(login, password, true)
}
