/**
 * What every page route shares: the users plugin's context, the resolved options, and `render`
 * (the template with the common data: the signed-in login, a CSRF token bound to it, the flash
 * message, the error). Also the form-body parser and the CSRF check the pages use.
 */
import { createHmac, randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify'
import { loadPeer } from '../core/peers.js'
import type { AccountContext } from '../accounts/context.js'
import type { ResolvedPagesOptions } from './options.js'
import { setPageHeaders, takeFlash, VIEW } from './render.js'

/** Shared state of one registration of the pages plugin. */
export interface PageKit {
  readonly ctx: AccountContext
  readonly options: ResolvedPagesOptions
  readonly appName: string
  /**
   * Render template `name` with the common data and `data`, with the page headers and `status`;
   * `csp` replaces the pages' Content-Security-Policy (a page of the application with scripts).
   */
  render (request: FastifyRequest, reply: FastifyReply, name: string, data?: Record<string, unknown>, status?: number, csp?: string): FastifyReply
  /** The CSRF check of the pages' POST routes (and of the application's own JSON routes). */
  readonly csrf: preHandlerHookHandler
  /** `prefix + path`. */
  url (path: string): string
}

/** The name of the cookie holding the CSRF secret (the pre-session cookie). */
export const CSRF_COOKIE = 'fsa_csrf'

/** What a CSRF token is bound to: the signed-in login (logins have no colon), or nobody yet. */
export function csrfUser (request: FastifyRequest): string {
  return request.authUser == null ? 'anonymous' : `user:${request.authUser}`
}

/**
 * Register @fastify/csrf-protection on `fastify` (app-wide decorators, so the application's own
 * routes can use the check too): the secret in an HttpOnly, SameSite=Strict cookie, tokens bound
 * to the signed-in login ("anonymous" before sign-in), so a token taken before sign-in or from another
 * account does not pass.
 */
export async function registerCsrf (fastify: FastifyInstance, secret: string | undefined): Promise<preHandlerHookHandler> {
  const { default: csrf } = await loadPeer('@fastify/csrf-protection', 'the pages plugin (CSRF tokens)', () => import('@fastify/csrf-protection'))
  const hmacKey = createHmac('sha256', secret ?? randomBytes(32)).update('fastify-simple-auth pages csrf').digest('base64url')
  await fastify.register(csrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: 'auto' },
    getUserInfo: csrfUser,
    csrfOpts: { hmacKey }
  })
  return fastify.csrfProtection
}

/** Build the kit. */
export function createPageKit (ctx: AccountContext, options: ResolvedPagesOptions, csrf: preHandlerHookHandler): PageKit {
  const appName = options.appName ?? ctx.appName
  const url = (path: string): string => `${options.prefix}${path}`
  return {
    ctx,
    options,
    appName,
    csrf,
    url,
    render (request, reply, name, data = {}, status = 200, csp = undefined) {
      setPageHeaders(reply, csp)
      const user = request.authUser ?? null
      const it = {
        title: name,
        appName,
        prefix: options.prefix,
        home: options.home,
        routes: ctx.options.routes,
        user,
        csrf: reply.generateCsrf({ userInfo: csrfUser(request) }),
        flash: takeFlash(request, reply),
        error: null,
        fields: {},
        ...data
      }
      const view = (reply as unknown as Record<typeof VIEW, (page: string, data: object) => FastifyReply>)[VIEW]
      return view.call(reply.code(status).type('text/html; charset=utf-8'), name, it)
    }
  }
}

/**
 * Parse `application/x-www-form-urlencoded` bodies in `scope` (unless the application already
 * does): a plain object without prototype, the last value of a repeated field.
 */
export function addFormParser (scope: FastifyInstance): void {
  const type = 'application/x-www-form-urlencoded'
  if (scope.hasContentTypeParser(type)) return
  scope.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    const fields: Record<string, string> = Object.create(null)
    for (const [k, v] of new URLSearchParams(body as string)) fields[k] = v
    done(null, fields)
  })
}
