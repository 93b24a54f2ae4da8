/**
 * Install the pages: check that the users plugin runs with the cookie token carrier, point its
 * mails at the pages, register the CSRF protection (app-wide, so the application's JSON routes
 * can use the same check) and, in an encapsulated prefixed scope, the form parser, the views, the
 * stylesheet and the page routes.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { accountContextOf } from '../accounts/install.js'
import { FSA_ERR_OPT_INVALID } from '../errors/catalogue.js'
import { accountPages } from './account-pages.js'
import { addFormParser, createPageKit, registerCsrf, type PageKit } from './kit.js'
import { resolvePagesOptions, type PagesOptions } from './options.js'
import { BUILTIN_TEMPLATES, registerViews } from './render.js'
import { sessionPages } from './session-pages.js'

/** Mailed tokens sit in page paths: logged as `***`. */
export function redactTokenPath (url: string): string {
  return url.replace(/\/(confirm|reset)\/[^/?#]+/, '/$1/***')
}

/** Register the pages described by `options` on `fastify` (which has the secure and users plugins). */
export async function installPages (fastify: FastifyInstance, options: PagesOptions = {}): Promise<PageKit> {
  const opts = resolvePagesOptions(options)
  const ctx = accountContextOf(fastify)
  if (ctx === undefined) throw new FSA_ERR_OPT_INVALID('pages', 'register the users plugin before the pages plugin')
  const tokens = fastify.fsa.tokens
  if (tokens?.options.carrier !== 'cookie') {
    throw new FSA_ERR_OPT_INVALID('pages', `the pages keep the session in the auth cookie: set token.carrier: 'cookie' in the secure plugin (current: '${tokens?.options.carrier ?? 'none'}')`)
  }
  if (!fastify.hasReplyDecorator('setCookie')) await fastify.register(import('@fastify/cookie'))
  // the mails link to the pages
  const base = `${opts.origin}${opts.prefix}`
  ctx.options.confirmLink = (t) => `${base}/confirm/${t}`
  ctx.options.resetLink = (t) => `${base}/reset/${t}`

  const secret = ctx.options.secret ?? (tokens.options.randomSecret ? undefined : tokens.options.secret)
  const csrf = await registerCsrf(fastify, secret)
  const kit = createPageKit(ctx, opts, csrf)
  const cssFile = opts.templates !== undefined && existsSync(join(opts.templates, 'pages.css')) ? join(opts.templates, 'pages.css') : join(BUILTIN_TEMPLATES, 'pages.css')
  const css = readFileSync(cssFile, 'utf8')

  await registerViews(fastify, opts.templates)
  await fastify.register(async (scope) => {
    addFormParser(scope)
    scope.addHook('onRoute', (route) => {
      if (!/\/(confirm|reset)\/:token$/.test(route.url)) return
      route.logSerializers = { req: (req: { method: string, url: string }) => ({ method: req.method, url: redactTokenPath(req.url) }) } as never
    })
    scope.get('/pages.css', { config: { authorize: 'OPEN' } }, async (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css))
    sessionPages(scope, kit)
    accountPages(scope, kit)
  }, { prefix: opts.prefix })
  return kit
}
