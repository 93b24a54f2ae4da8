/**
 * This repository registers @fastify/jwt beside the plugin (coexistence tests, the bench's peer),
 * so its programs type `request.user` as @fastify/jwt does: the plugin's typing of it is turned
 * off here, as the docs tell such applications to do. Our own code reads `request.authUser` or
 * `requireUser(request)`. The default typing is checked by test/fixtures/types.
 */
import type {} from '../../lib/index.js'

declare module '../../lib/index.js' {
  interface FsaTypes { requestUser: false }
}
