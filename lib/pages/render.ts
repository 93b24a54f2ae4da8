/**
 * Rendering of the pages: eta templates through @fastify/view (both optional peers, loaded only
 * by the pages plugin), the application's templates folder first, then the built-in ones; the
 * security headers of every page; flash messages carried across a redirect in a short cookie.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { loadPeer } from '../core/peers.js'
import { FSA_ERR_OPT_INVALID } from '../errors/catalogue.js'

/** The reply decorator rendering the pages' templates (registered app-wide, so the application's pages can use the kit). */
export const VIEW = 'fsaPageView'

/** The built-in templates and stylesheet. */
export const BUILTIN_TEMPLATES = fileURLToPath(new URL('./templates/', import.meta.url))

/**
 * The Content-Security-Policy of the pages: nothing but this origin's stylesheet (and, for pages
 * of the application that say so, its scripts); no frames, forms only to this origin.
 */
export const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/** Set the headers every page carries: CSP, no referrer (tokens live in page URLs), no caching, no sniffing. */
export function setPageHeaders (reply: FastifyReply, csp = PAGE_CSP): void {
  void reply.header('content-security-policy', csp)
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
}

/** Messages shown once after a redirect; the cookie carries only the key, never text. */
export const FLASH = {
  registered: 'Account created: check your mail to confirm your address.',
  confirmed: 'Email address confirmed: you can sign in.',
  'password-changed': 'Password changed: sign in with the new one.',
  'password-reset': 'Password reset: sign in with the new one.',
  'signed-out': 'You are signed out.',
  'session-ended': 'That session is signed out.',
  'data-saved': 'Your data is saved.',
  'email-changed': 'Email address changed: open the link we sent to it to confirm it.'
} as const
/** One flash message key. */
export type FlashKey = keyof typeof FLASH
const FLASH_COOKIE = 'fsa_flash'

/** Show `key` on the next page rendered for this browser. */
export function setFlash (reply: FastifyReply, key: FlashKey): void {
  void reply.setCookie(FLASH_COOKIE, key, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60 })
}

/** The pending flash message (cleared), or null. */
export function takeFlash (request: FastifyRequest, reply: FastifyReply): string | null {
  const key = request.cookies?.[FLASH_COOKIE]
  if (key === undefined) return null
  void reply.clearCookie(FLASH_COOKIE, { path: '/' })
  return Object.prototype.hasOwnProperty.call(FLASH, key) ? FLASH[key as FlashKey] : null
}

/**
 * Register @fastify/view with eta on `fastify` (as `reply.fsaPageView`): a template name resolves to `<templates>/<name>.eta`
 * when the application's folder has it, else to the built-in one. Names are plain words, so no
 * path leaves either folder.
 */
export async function registerViews (fastify: FastifyInstance, templates: string | undefined): Promise<void> {
  if (templates !== undefined && !existsSync(templates)) throw new FSA_ERR_OPT_INVALID('templates', `folder not found: ${templates}`)
  const { Eta } = await loadPeer('eta', 'the pages plugin (templates)', () => import('eta'))
  const { default: view } = await loadPeer('@fastify/view', 'the pages plugin', () => import('@fastify/view'))
  const eta = new Eta({ views: BUILTIN_TEMPLATES, autoEscape: true, cache: true })
  const folders = templates === undefined ? [BUILTIN_TEMPLATES] : [templates, BUILTIN_TEMPLATES]
  eta.resolvePath = (template: string): string => {
    const name = template.replace(/^[./\\]*/, '').replace(/\.eta$/, '')
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`template name "${template}" is not a plain word`)
    for (const folder of folders) {
      const file = join(folder, `${name}.eta`)
      if (existsSync(file)) return file
    }
    throw new Error(`template "${name}" not found`)
  }
  // under its own name: the application may use @fastify/view (reply.view) for its own templates
  await fastify.register(view, { engine: { eta }, root: BUILTIN_TEMPLATES, production: true, propertyName: VIEW })
}
