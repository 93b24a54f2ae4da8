/**
 * Running the schemes of a route in order. The first scheme that returns a login wins. When none
 * does, the error of the first scheme that found bad credentials is the answer (it names the real
 * reason: a wrong password is not reported as "missing token"); with no credentials at all, the
 * answer is "missing authentication". Synchronous when every scheme answers synchronously (a
 * cached token), so the common path allocates no promise.
 */
import type { FastifyRequest } from 'fastify'
import { FSA_ERR_AUTH_MISSING } from '../errors/catalogue.js'
import type { AuthScheme } from './scheme.js'

function accept (request: FastifyRequest, scheme: AuthScheme, login: string): string {
  request.authUser = login
  request.authScheme = scheme.name
  return login
}

/**
 * Try `schemes[i..]` on the request. Resolves to the login (also set on `request.authUser` and
 * `request.authScheme`), or `null` when no scheme found credentials; throws when credentials were
 * found but rejected and no later scheme succeeded.
 */
export function runSchemes (request: FastifyRequest, schemes: readonly AuthScheme[], realm: string, i = 0, firstError?: unknown): string | null | Promise<string | null> {
  for (; i < schemes.length; i++) {
    const scheme = schemes[i] as AuthScheme
    let r: string | null | Promise<string | null>
    try {
      r = scheme.authenticate(request, realm)
    } catch (e) {
      firstError ??= e
      continue
    }
    if (r instanceof Promise) {
      const next = i + 1
      const failed = firstError
      return r.then(
        (login) => login !== null && login !== undefined ? accept(request, scheme, login) : runSchemes(request, schemes, realm, next, failed),
        (e: unknown) => runSchemes(request, schemes, realm, next, failed ?? e)
      )
    }
    if (r !== null && r !== undefined) return accept(request, scheme, r)
  }
  if (firstError !== undefined) throw firstError
  return null
}

/** `runSchemes` that turns "no credentials" into the 401 `missing authentication`. */
export function requireLogin (login: string | null): string {
  if (login === null) throw new FSA_ERR_AUTH_MISSING()
  return login
}
