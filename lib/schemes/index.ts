/**
 * The built-in authentication schemes, in one list: adding a scheme is one file that exports its
 * {@link SchemeDefinition} and one line here. The plugin enables them by name (`auth`), builds
 * them, exempts their credential parameters and documents them in OpenAPI from these definitions.
 */
import { basic } from './basic.js'
import { none } from './none.js'
import { oauth } from './oauth.js'
import { param } from './param.js'
import { token } from './token.js'
import type { SchemeDefinition } from './scheme.js'

/** Every built-in scheme. */
export const SCHEMES: readonly SchemeDefinition[] = [none, basic, param, token, oauth]

const BY_NAME = new Map(SCHEMES.map((s) => [s.name, s]))

/** The built-in scheme of that name. */
export function builtinScheme (name: string): SchemeDefinition | undefined {
  return BY_NAME.get(name)
}

export { customScheme } from './custom.js'
export { buildScheme, stageOf, type AuthScheme, type SchemeContext, type SchemeDefinition, type SchemeSettings } from './scheme.js'
