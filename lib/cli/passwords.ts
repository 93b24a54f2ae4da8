/**
 * Password hashing for the CLI: the plugin's own password manager with default options
 * (argon2id at OWASP parameters: memoryCost 19456 KiB, timeCost 2, parallelism 1, and the
 * default quality rules), so hashes made here verify in the application.
 */
import { createPasswordManager, resolvePasswordOptions } from '../passwords/index.js'
import type { PasswordManager } from '../passwords/index.js'

let manager: PasswordManager | undefined

/** Hash a clear password; quality failures throw the 400 `FSA_ERR_PASSWORD_*` errors. */
export async function hashPassword (password: string): Promise<string> {
  manager ??= createPasswordManager(resolvePasswordOptions({}))
  return await manager.hash(password)
}
