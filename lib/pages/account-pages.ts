/**
 * The account pages: registration (then "check your mail"), email confirmation, forgotten and
 * reset password, and the account page (profile, password change, sessions with sign-out
 * buttons). Each runs the users plugin's own flow (lib/accounts/), so rules, mails and
 * revocations are the same as through the JSON routes. Every POST needs the CSRF token.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { confirmToken } from '../accounts/confirm.js'
import { changePassword } from '../accounts/password.js'
import { createAccount } from '../accounts/register.js'
import { resetPassword, sendReset } from '../accounts/reset.js'
import { requireUser } from '../core/require-user.js'
import { isDeliberate } from '../errors/failure.js'
import { clearTokenCookie } from '../tokens/carriers.js'
import type { PageKit } from './kit.js'
import { emailPage } from './email-page.js'
import { setFlash } from './render.js'

const Csrf = Type.Optional(Type.String({ maxLength: 512 }))
const Field = (max: number) => Type.String({ maxLength: max })
const RegisterForm = Type.Object({ _csrf: Csrf, email: Field(255), login: Field(255), password: Field(4096), confirm: Field(4096) }, { additionalProperties: false })
const ForgotForm = Type.Object({ _csrf: Csrf, email: Field(255) }, { additionalProperties: false })
const PasswordForm = Type.Object({ _csrf: Csrf, password: Field(4096), confirm: Field(4096) }, { additionalProperties: false })
const ChangeForm = Type.Object({ _csrf: Csrf, username: Type.Optional(Field(255)), current: Field(4096), password: Field(4096), confirm: Field(4096) }, { additionalProperties: false })
const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 2048 }) }, { additionalProperties: false })
const SessionParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' }) }, { additionalProperties: false })
const CsrfForm = Type.Object({ _csrf: Csrf }, { additionalProperties: false })
const NoQuery = Type.Object({}, { additionalProperties: false })

type Form = Record<string, string | undefined>
const MISMATCH = 'The two passwords differ.'

/** The message of a deliberate 4xx (safe to show), else rethrow. */
function userError (e: unknown): string {
  if (isDeliberate(e) && e.statusCode < 500) return e.message
  throw e
}

/** Register the account pages on `scope` (already prefixed). */
export function accountPages (scope: FastifyInstance, kit: PageKit): void {
  const { ctx } = kit
  const r = ctx.options.routes
  const post = { config: { authorize: 'OPEN', crossSite: true }, attachValidation: true, preHandler: kit.csrf }
  const message = (request: FastifyRequest, reply: FastifyReply, title: string, text: string, status = 200) =>
    kit.render(request, reply, 'message', { title, message: text, link: { href: kit.url('/login'), text: 'Sign in' } }, status)

  if (r.register) {
    const form = (request: FastifyRequest, reply: FastifyReply, error: string | null, fields: Form, status: number) =>
      kit.render(request, reply, 'register', { title: 'Create an account', error, fields: { email: fields.email, login: fields.login } }, status)
    scope.get('/register', { config: { authorize: 'OPEN' }, schema: { querystring: NoQuery } }, async (request, reply) => form(request, reply, null, {}, 200))
    scope.post('/register', { ...post, schema: { body: RegisterForm } }, async (request, reply) => {
      const f = (request.body ?? {}) as Form
      if (request.validationError !== undefined) return form(request, reply, 'Fill in every field.', f, 400)
      if (f.password !== f.confirm) return form(request, reply, MISMATCH, f, 400)
      try {
        await createAccount(scope, ctx, { email: f.email!, login: f.login!, password: f.password! }, request)
      } catch (e) { return form(request, reply, userError(e), f, (e as { statusCode: number }).statusCode) }
      return message(request, reply, 'Check your mail', `We sent a confirmation link to ${f.email!}. Open it, then sign in.`, 201)
    })
  }

  if (r.confirm) {
    scope.get('/confirm/:token', { config: { authorize: 'OPEN' }, schema: { params: TokenParams } }, async (request, reply) => {
      try {
        await confirmToken(ctx, (request.params as { token: string }).token)
      } catch (e) { return message(request, reply, 'Confirmation failed', userError(e), 400) }
      setFlash(reply, 'confirmed')
      return reply.code(303).header('location', kit.url('/login')).send()
    })
  }

  if (r.reset) resetPages(scope, kit, post, message)
  accountPage(scope, kit)
}

type Message = (request: FastifyRequest, reply: FastifyReply, title: string, text: string, status?: number) => FastifyReply

/** GET/POST /forgot and /reset/:token. */
function resetPages (scope: FastifyInstance, kit: PageKit, post: object, message: Message): void {
  const { ctx } = kit
  scope.get('/forgot', { config: { authorize: 'OPEN' }, schema: { querystring: NoQuery } }, async (request, reply) => kit.render(request, reply, 'forgot', { title: 'Forgot your password?' }))
  scope.post('/forgot', { ...post, schema: { body: ForgotForm } }, async (request, reply) => {
    const f = (request.body ?? {}) as Form
    if (request.validationError === undefined && f.email !== undefined && f.email.includes('@')) await sendReset(scope, ctx, f.email, request)
    return message(request, reply, 'Check your mail', 'If the address belongs to an account, we sent it a link to choose a new password.')
  })
  const form = (request: FastifyRequest, reply: FastifyReply, token: string, error: string | null, status: number) =>
    kit.render(request, reply, 'reset', { title: 'Choose a new password', token, error }, status)
  scope.get('/reset/:token', { config: { authorize: 'OPEN' }, schema: { params: TokenParams } }, async (request, reply) =>
    form(request, reply, (request.params as { token: string }).token, null, 200))
  scope.post('/reset/:token', { ...post, schema: { params: TokenParams, body: PasswordForm } }, async (request, reply) => {
    const { token } = request.params as { token: string }
    const f = (request.body ?? {}) as Form
    if (request.validationError !== undefined) return form(request, reply, token, 'Fill in every field.', 400)
    if (f.password !== f.confirm) return form(request, reply, token, MISMATCH, 400)
    try {
      await resetPassword(scope, ctx, token, f.password!, request.log)
    } catch (e) { return form(request, reply, token, userError(e), 400) }
    setFlash(reply, 'password-reset')
    return reply.code(303).header('location', kit.url('/login')).send()
  })
}

/** The account page of the signed-in user; `draft` is custom data typed but refused. */
async function showAccount (kit: PageKit, request: FastifyRequest, reply: FastifyReply, error: string | null, status: number, draft?: string) {
  const { ctx } = kit
  const login = requireUser(request)
  const user = await ctx.store.getUser(login)
  const current = request.authToken?.session
  const sessions = ctx.options.routes.sessions ? await ctx.store.sessions.listSessions(login) : []
  const data = ctx.options.routes.data ? draft ?? JSON.stringify(await ctx.store.getData(login) ?? {}, null, 2) : null
  return kit.render(request, reply, 'account', {
    title: 'Your account',
    error,
    data,
    profile: { login, email: user?.email ?? null, confirmed: user?.confirmed ?? false, createdAt: user?.createdAt.toISOString().slice(0, 10) },
    sessions: sessions.map((s) => ({ id: s.id, ip: s.ip, userAgent: s.userAgent, createdAt: s.createdAt.toISOString().slice(0, 16).replace('T', ' '), current: s.id === current }))
  }, status)
}

/** POST /account/data: replace the custom data with the JSON object typed (size-capped by the users plugin's dataLimit). */
function dataPage (scope: FastifyInstance, kit: PageKit): void {
  const { ctx } = kit
  const DataForm = Type.Object({ _csrf: Csrf, data: Field(ctx.options.dataLimit) }, { additionalProperties: false })
  scope.post('/account/data', { config: { authorize: 'AUTH', crossSite: true }, attachValidation: true, preHandler: kit.csrf, schema: { body: DataForm } }, async (request, reply) => {
    const text = (request.body as Form | undefined)?.data
    if (request.validationError !== undefined || text === undefined) return await showAccount(kit, request, reply, `Custom data: at most ${ctx.options.dataLimit} bytes of JSON.`, 400, text)
    let value: unknown
    try { value = JSON.parse(text) } catch { return await showAccount(kit, request, reply, 'Custom data must be valid JSON.', 400, text) }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return await showAccount(kit, request, reply, 'Custom data must be a JSON object.', 400, text)
    try {
      await ctx.store.setData(requireUser(request), value, ctx.options.dataLimit)
    } catch (e) { return await showAccount(kit, request, reply, userError(e), 400, text) }
    setFlash(reply, 'data-saved')
    return reply.code(303).header('location', kit.url('/account')).send()
  })
}

/** GET /account, POST /account/password, POST /account/sessions/:id/end. */
function accountPage (scope: FastifyInstance, kit: PageKit): void {
  const { ctx } = kit
  const show = async (request: FastifyRequest, reply: FastifyReply, error: string | null, status: number) => await showAccount(kit, request, reply, error, status)
  if (ctx.options.routes.data) dataPage(scope, kit)
  emailPage(scope, kit, show)
  const auth = { config: { authorize: 'AUTH', crossSite: true }, attachValidation: true, preHandler: kit.csrf }
  scope.get('/account', { config: { authorize: 'AUTH', loginRedirect: true }, schema: { querystring: NoQuery } }, async (request, reply) => await show(request, reply, null, 200))
  scope.post('/account/password', { ...auth, schema: { body: ChangeForm } }, async (request, reply) => {
    const f = (request.body ?? {}) as Form
    if (request.validationError !== undefined) return await show(request, reply, 'Fill in every field.', 400)
    if (f.password !== f.confirm) return await show(request, reply, MISMATCH, 400)
    try {
      await changePassword(scope, ctx, requireUser(request), f.current!, f.password!, request.log)
    } catch (e) { return await show(request, reply, userError(e), 400) }
    if (ctx.options.revokeOnPasswordChange) clearTokenCookie(reply, scope.fsa.tokens!.options)
    setFlash(reply, 'password-changed')
    return reply.code(303).header('location', kit.url(ctx.options.revokeOnPasswordChange ? '/login' : '/account')).send()
  })
  scope.post('/account/sessions/:id/end', { ...auth, schema: { params: SessionParams, body: CsrfForm } }, async (request, reply) => {
    const login = requireUser(request)
    const { id } = request.params as { id: string }
    if (request.validationError === undefined && await ctx.store.sessions.revokeSession(id, login)) await scope.fsa.uncacheSession(id)
    if (request.authToken?.session === id) {
      clearTokenCookie(reply, scope.fsa.tokens!.options)
      setFlash(reply, 'signed-out')
      return reply.code(303).header('location', kit.url('/login')).send()
    }
    setFlash(reply, 'session-ended')
    return reply.code(303).header('location', kit.url('/account')).send()
  })
}
