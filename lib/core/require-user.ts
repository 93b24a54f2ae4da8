/**
 * `requireUser(request)`: the login of an authenticated request as a `string`, for handlers of
 * routes that require authentication, without a cast, whatever types `request.user`.
 */
import { requireLogin } from '../schemes/chain.js'

/**
 * The authenticated login (`request.authUser`). On an `AUTH` route (or a group or permission
 * route) it is always there; elsewhere, a request that was not authenticated is refused with the
 * catalogue's 401 `FSA_ERR_AUTH_MISSING`.
 *
 * @example
 *   import { requireUser } from 'fastify-simple-auth'
 *   app.get('/token', { config: { authorize: 'AUTH' } }, async (req) => ({ token: await app.createToken(requireUser(req)) }))
 */
export function requireUser (request: { readonly authUser: string | null }): string {
  return requireLogin(request.authUser)
}
