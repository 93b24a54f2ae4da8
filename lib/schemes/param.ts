/**
 * `param`: login and password as request parameters (query string, form or JSON body), named by
 * the `param` option (`USER`/`PASS` by default, `username`/`password` in the tutorial). It needs
 * the parsed body, so it runs in `preValidation`, after the schemes that read headers.
 */
import { FSA_ERR_AUTH_INVALID, FSA_ERR_AUTH_PARAM_MISSING } from '../errors/catalogue.js'
import { Type } from '../options/schema.js'
import type { SchemeDefinition } from './scheme.js'

/** The `param` option: names of the login and password parameters. */
export const ParamOptionsSchema = Type.Object({
  /** Name of the login parameter. @default 'USER' */
  user: Type.Optional(Type.String({ minLength: 1 })),
  /** Name of the password parameter. @default 'PASS' */
  pass: Type.Optional(Type.String({ minLength: 1 }))
}, { additionalProperties: false })

function field (source: unknown, name: string): unknown {
  if (source === null || typeof source !== 'object') return undefined
  return Object.prototype.hasOwnProperty.call(source, name) ? (source as Record<string, unknown>)[name] : undefined
}

export const param: SchemeDefinition = {
  name: 'param',
  // the credentials may be in the body, parsed after onRequest
  stage: 'body',
  option: { key: 'param', schema: ParamOptionsSchema },
  needs: { passwords: true },
  create: (ctx) => {
    const { user, pass } = ctx.param
    return {
      challenge: () => undefined,
      authenticate (request) {
        const login = field(request.body, user) ?? field(request.query, user)
        if (login === undefined) return null
        const password = field(request.body, pass) ?? field(request.query, pass)
        if (password === undefined) throw new FSA_ERR_AUTH_PARAM_MISSING(pass)
        // repeated keys, numbers or objects are not credentials: same answer as a wrong password
        if (typeof login !== 'string' || typeof password !== 'string' || login === '') throw new FSA_ERR_AUTH_INVALID()
        return ctx.checkCredentials(login, password, request)
      }
    }
  },
  credentialParams: (s) => [s.param.user, s.param.pass]
  // OpenAPI cannot express a login and a password as two parameters: basic's description says it
}
