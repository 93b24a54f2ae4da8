/**
 * The common-password list of `password.refuseCommon`: the passwords list of
 * `@zxcvbn-ts/language-common` (about 49 000 entries from public breach corpora, maintained with
 * zxcvbn-ts), an optional peer loaded on the first new password checked, then kept as a set of
 * lower-case strings: `Password1` is as common as `password1`.
 */
import { loadPeer } from '../core/peers.js'

let common: Promise<ReadonlySet<string>> | undefined

async function load (): Promise<ReadonlySet<string>> {
  const { dictionary } = await loadPeer('@zxcvbn-ts/language-common', 'password.refuseCommon', () => import('@zxcvbn-ts/language-common'))
  const words = dictionary['passwords-common'] as unknown
  if (!Array.isArray(words)) throw new TypeError('@zxcvbn-ts/language-common: no passwords-common list')
  return new Set(words.map((w) => String(w).toLowerCase()))
}

/**
 * Whether `password` is in the common-password list, ignoring case. The first call loads the list
 * (a few tens of milliseconds); a failed load is retried by the next call.
 *
 * @example
 *   await isCommonPassword('Dragon')   // true
 */
export async function isCommonPassword (password: string): Promise<boolean> {
  common ??= load().catch((e: unknown) => { common = undefined; throw e })
  return (await common).has(password.toLowerCase())
}
