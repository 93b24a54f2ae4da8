/**
 * The password layer of fastify-simple-auth: options, the manager, and the pieces it is built
 * from (for the CLI and tests). `plugins/secure.ts` needs only the first two lines.
 */
export { PasswordOptionsSchema, resolvePasswordOptions, PASSWORD_DEFAULTS, OWASP_ARGON2ID, meetsOwasp } from './options.js'
export type { PasswordOptions, ResolvedPasswordOptions, QualityCheck, PasswordCheck, PasswordRule } from './options.js'
export { createPasswordManager } from './manager.js'
export type { PasswordManager, VerifyResult, CheckUserResult } from './manager.js'
export { WorkQueue } from './queue.js'
export type { QueueStats } from './queue.js'
export { argon2Backend, parseArgon2Hash, argon2NeedsRehash } from './argon2.js'
export type { Argon2Backend, Argon2BackendName, Argon2Params, Argon2HashInfo } from './argon2.js'
export { isBcryptHash, verifyBcrypt } from './bcrypt.js'
export { checkPasswordQuality, codePointLength, isTooLong } from './quality.js'
