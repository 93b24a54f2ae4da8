/**
 * The password manager: hashes new passwords with argon2id, verifies argon2 and legacy bcrypt
 * hashes, says when a stored hash should be replaced, and runs every hash computation through a
 * bounded queue. Nothing is cached here: caching verified credentials is the plugin's decision.
 */
import { randomBytes } from 'node:crypto'
import { FSA_ERR_CALLBACK, FSA_ERR_CALLBACK_RESULT, FSA_ERR_PASSWORD_HASH, FSA_ERR_PASSWORD_QUALITY, hasStatus } from '../errors/catalogue.js'
import { argon2Backend, argon2NeedsRehash, parseArgon2Hash } from './argon2.js'
import { isBcryptHash, verifyBcrypt } from './bcrypt.js'
import type { ResolvedPasswordOptions } from './options.js'
import { assertNotTooLong, checkPasswordQuality, isTooLong } from './quality.js'
import { WorkQueue } from './queue.js'
import type { QueueStats } from './queue.js'

/** Outcome of {@link PasswordManager.verify}. */
export interface VerifyResult {
  /** the password matches */
  ok: boolean
  /** the password matched a legacy or weaker hash: store `hash(password)` in its place */
  rehash: boolean
  /** set when the stored hash could not be decoded (log it; it never contains the hash or the password) */
  error?: Error
}

/** Outcome of {@link PasswordManager.checkUser}. */
export interface CheckUserResult extends VerifyResult {
  /** what accepted the password: the stored hash or the alternate `check` callback */
  via?: 'hash' | 'check'
}

/** Hash, verify and quality-check passwords with one configuration. */
export interface PasswordManager {
  /** argon2id hash; applies quality rules first unless check === false (throws the 400 FSA_ERR_PASSWORD_*) */
  hash (password: string, opts?: { check?: boolean }): Promise<string>
  /** verify against an argon2 (any variant) or bcrypt hash; rehash true when params are weaker than configured or legacy */
  verify (password: string, hash: string): Promise<VerifyResult>
  /** run a verification against a fixed dummy hash and return false: unknown logins take the same time as wrong passwords */
  dummyVerify (password: string): Promise<false>
  /** throws the 400 quality error (async because the quality callback may be async) */
  checkQuality (password: string): Promise<void>
  /**
   * Load the argon2 binding now: start-up calls it when the application verifies passwords, so a
   * missing or broken binding fails `ready()` instead of every login. Otherwise the first hash loads it.
   */
  load (): Promise<void>
  /**
   * Full login check, FlaskSimpleAuth's check_user_password: verify against `hash` when there is
   * one, then try the alternate `check` callback when there is no hash or it does not match.
   * Without hash nor callback, runs {@link dummyVerify} so that unknown logins are not faster.
   */
  checkUser (login: string, password: string, hash: string | null | undefined): Promise<CheckUserResult>
  readonly options: ResolvedPasswordOptions
  stats (): QueueStats
}

const NO = Object.freeze({ ok: false, rehash: false })

type Backend = ReturnType<typeof argon2Backend>
type Params = { memoryCost: number, timeCost: number, parallelism: number }

/** `verify(password, hash)`: argon2 (any variant) or legacy bcrypt, through the queue. */
function makeVerify (backend: Backend, queue: WorkQueue, params: Params, maxLength: number): PasswordManager['verify'] {
  return async (password, hash) => {
    if (typeof password !== 'string' || typeof hash !== 'string') return NO
    if (isTooLong(password, maxLength)) return NO
    if (hash.startsWith('$argon2')) {
      const info = parseArgon2Hash(hash)
      if (info === null) return { ok: false, rehash: false, error: new FSA_ERR_PASSWORD_HASH('malformed argon2 hash') }
      try {
        const ok = await queue.run(() => backend.verify(hash, password))
        return { ok, rehash: ok && argon2NeedsRehash(info, params) }
      } catch (e) {
        if (hasStatus(e)) throw e // FSA_ERR_PASSWORD_BUSY
        return { ok: false, rehash: false, error: new FSA_ERR_PASSWORD_HASH('argon2 hash rejected by the backend') }
      }
    }
    if (isBcryptHash(hash)) {
      const ok = await queue.run(() => verifyBcrypt(password, hash))
      return { ok, rehash: ok }
    }
    const kind = hash.startsWith('$2') ? 'malformed bcrypt hash' : hash === '' ? 'empty hash' : 'neither argon2 nor bcrypt'
    return { ok: false, rehash: false, error: new FSA_ERR_PASSWORD_HASH(kind) }
  }
}

/** The alternate `password.check` callback: `true` accepts, `false`/`null` refuses, anything else is a bug. */
async function alternate (check: NonNullable<ResolvedPasswordOptions['check']>, login: string, password: string): Promise<boolean> {
  let res: unknown
  try {
    res = await check(login, password)
  } catch (e) {
    if (hasStatus(e)) throw e
    throw new FSA_ERR_CALLBACK('password check', { cause: e })
  }
  if (res === true) return true
  if (res === false || res === null || res === undefined) return false
  throw new FSA_ERR_CALLBACK_RESULT('password check', typeof res, 'boolean or null')
}

/**
 * `dummyVerify(password)`: a verification against a hash nobody knows the password of, so that an
 * unknown login costs what a wrong password costs.
 */
function makeDummyVerify (backend: Backend, queue: WorkQueue, hashNow: (password: string) => Promise<string>, maxLength: number): PasswordManager['dummyVerify'] {
  let dummy: Promise<string> | undefined
  return async (password) => {
    if (typeof password !== 'string' || isTooLong(password, maxLength)) return false
    // Computed once, with the configured parameters, from a random secret nobody knows.
    dummy ??= hashNow(randomBytes(16).toString('base64'))
    let digest: string
    try {
      digest = await dummy
    } catch (e) {
      dummy = undefined // a busy queue must not poison the dummy for good
      throw e
    }
    await queue.run(() => backend.verify(digest, password))
    return false
  }
}

/**
 * Build a password manager from resolved options (see `resolvePasswordOptions`).
 *
 * @example
 *   const passwords = createPasswordManager(resolvePasswordOptions({ minLength: 10 }))
 *   const digest = await passwords.hash('correct horse battery')
 *   const { ok, rehash } = await passwords.verify('correct horse battery', digest) // ok: true, rehash: false
 */
export function createPasswordManager (opts: ResolvedPasswordOptions): PasswordManager {
  const backend = argon2Backend(opts.backend)
  const params = { memoryCost: opts.memoryCost, timeCost: opts.timeCost, parallelism: opts.parallelism }
  const queue = new WorkQueue(opts.concurrency, opts.queueLimit)

  const hashNow = (password: string): Promise<string> => queue.run(() => backend.hash(password, params))
  const verify = makeVerify(backend, queue, params, opts.maxLength)
  const dummyVerify = makeDummyVerify(backend, queue, hashNow, opts.maxLength)

  async function checkQuality (password: string): Promise<void> {
    await checkPasswordQuality(password, opts)
  }

  async function hash (password: string, hashOpts?: { check?: boolean }): Promise<string> {
    if (typeof password !== 'string') throw new FSA_ERR_PASSWORD_QUALITY(': not a string')
    if (hashOpts?.check === false) assertNotTooLong(password, opts.maxLength)
    else await checkPasswordQuality(password, opts)
    return hashNow(password)
  }

  async function checkUser (login: string, password: string, stored: string | null | undefined): Promise<CheckUserResult> {
    let result: VerifyResult = NO
    if (typeof stored === 'string') {
      result = await verify(password, stored)
      if (result.ok) return { ...result, via: 'hash' }
    }
    if (opts.check !== undefined) {
      if (await alternate(opts.check, login, password)) return { ok: true, rehash: false, via: 'check' }
    } else if (typeof stored !== 'string') {
      await dummyVerify(password)
    }
    return result
  }

  return Object.freeze({
    hash,
    verify,
    dummyVerify,
    checkQuality,
    checkUser,
    load: () => backend.load(),
    options: opts,
    stats: () => queue.stats()
  })
}
