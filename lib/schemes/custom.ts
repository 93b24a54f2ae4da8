/**
 * A custom scheme from the `schemes` option: the application's function receives the request and
 * returns a login, `null` to let the next scheme try, or throws `err(message, 401)`.
 */
import { FSA_ERR_CALLBACK_RESULT } from '../errors/catalogue.js'
import type { SchemeDefinition } from './scheme.js'

/** The definition of a custom scheme named `name` (its function comes with the context). */
export function customScheme (name: string): SchemeDefinition {
  return {
    name,
    stage: 'request',
    create: (ctx) => {
      const fn = ctx.custom
      if (fn === undefined) throw new Error(`custom scheme ${ctx.name} has no function`)
      const check = (login: unknown): string | null => {
        if (login === null || login === undefined) return null
        if (typeof login !== 'string' || login === '') {
          throw new FSA_ERR_CALLBACK_RESULT(`scheme "${ctx.name}"`, typeof login, 'a non-empty string or null')
        }
        return login
      }
      return {
        challenge: () => undefined,
        authenticate (request) {
          const r = fn(request)
          return r instanceof Promise ? r.then(check) : check(r)
        }
      }
    }
    // OpenAPI knows nothing of an application's own credentials: not documented
  }
}
