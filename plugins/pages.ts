/**
 * fastify-simple-auth pages: server-rendered sign-in, registration and account pages on top of
 * the users plugin, with the session in the auth cookie and a CSRF token on every form. Needs
 * the optional peers @fastify/view, eta and @fastify/csrf-protection:
 *
 * ```ts
 * await app.register(secure, { store, auth: ['token', 'none'], token: { carrier: 'cookie', secret }, redirect401: true })
 * await app.register(users, { prefix: '/auth' })
 * await app.register(pages, { home: '/' })
 * app.get('/', { config: { authorize: 'AUTH' } }, ...)   // signed-out browsers land on /login?next=%2F
 * ```
 *
 * Page logic lives in lib/pages/; this file only wraps it. The app gets `fsaPages` (the page kit:
 * `render`, `csrf` for its own routes).
 */
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { installPages } from '../lib/pages/install.js'
import type { PageKit } from '../lib/pages/kit.js'
import type { PagesOptions } from '../lib/pages/options.js'
import '../lib/core/augment.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The pages plugin's kit: `render(request, reply, template, data)`, `csrf` (a preHandler). */
    fsaPages: PageKit
  }
}

async function pages (fastify: FastifyInstance, options: PagesOptions): Promise<void> {
  fastify.decorate('fsaPages', await installPages(fastify, options))
}

/** The pages plugin; register it after the `secure` and `users` plugins. */
export const pagesPlugin = fp(pages, { fastify: '5.x', name: 'fastify-simple-auth-pages', dependencies: ['fastify-simple-auth', 'fastify-simple-auth-users'] })
export { pagesPlugin as pages }
export default pagesPlugin
export type { PagesOptions } from '../lib/pages/options.js'
export type { PageKit } from '../lib/pages/kit.js'
export { PAGE_CSP, setPageHeaders } from '../lib/pages/render.js'
export { safeNext, wantsHtml } from '../lib/http/login-redirect.js'
