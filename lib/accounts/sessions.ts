/**
 * GET {prefix}/sessions and DELETE {prefix}/sessions/:id (AUTH): a user sees and ends their own
 * login sessions; another user's session id, a revoked or expired one, is a 404 like an unknown
 * one. Also the revocation helpers of logout: the presented session, or a stateless token by its
 * hash until it expires, revoked in the store (the truth) then dropped from every instance's cache.
 */
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { FSA_ERR_STORE_NOT_FOUND } from '../errors/catalogue.js'
import { requireUser } from '../core/require-user.js'
import { tokenHash } from '../core/session-check.js'
import { clearTokenCookie, extractToken } from '../tokens/carriers.js'
import type { SessionRecord } from '../store/sessions.js'
import type { AccountContext, AccountScope } from './context.js'
import { ErrorDoc, NoContent } from './schemas.js'

const SessionId = Type.String({ pattern: '^[A-Za-z0-9_-]{22}$', description: 'session id (22 base64url characters)' })
const SessionView = Type.Object({
  id: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time', description: 'last activity, at minute resolution' }),
  expiresAt: Type.String({ format: 'date-time' }),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean({ description: 'the session of the token of this request' })
})
const SessionsReply = Type.Object({ sessions: Type.Array(SessionView) })
const SessionParams = Type.Object({ id: SessionId }, { additionalProperties: false })

function sessionView (s: SessionRecord, current: string | undefined) {
  return {
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    ip: s.ip,
    userAgent: s.userAgent,
    current: s.id === current
  }
}

/**
 * Revoke what authenticated `request`: its session, or its stateless token (by hash, until it
 * expires); nothing for other schemes (basic, param), which have nothing to end.
 */
export async function revokePresented (scope: AccountScope, ctx: AccountContext, request: FastifyRequest, login: string): Promise<void> {
  const info = request.authToken
  const tokens = scope.fsa.tokens
  if (info === null || tokens === undefined) return
  if (info.session !== undefined) {
    await ctx.store.sessions.revokeSession(info.session, login)
    await scope.fsa.uncacheSession(info.session)
    return
  }
  const raw = extractToken(request, tokens.options)
  if (raw === null) return
  await ctx.store.sessions.revokeToken(tokenHash(raw), new Date(info.expires))
  await scope.fsa.uncacheSession(raw)
}

/** Revoke every session of `login` (with a token-version bump: every token). */
export async function revokeEverything (ctx: AccountContext, login: string): Promise<void> {
  await ctx.store.bumpTokenVersion(login)
  await ctx.store.sessions.revokeSessions(login)
  await ctx.uncache(login)
}

/** Register the session routes on `scope` (already prefixed). */
export function sessionListRoutes (scope: AccountScope, ctx: AccountContext): void {
  scope.get('/sessions', {
    config: { authorize: 'AUTH' },
    schema: {
      summary: 'List my live sessions (newest first)',
      tags: ['accounts'],
      response: { 200: SessionsReply, 401: ErrorDoc('not authenticated'), 503: ErrorDoc('user store unavailable') }
    }
  }, async (request) => {
    const login = requireUser(request)
    const current = request.authToken?.session
    return { sessions: (await ctx.store.sessions.listSessions(login)).map((s) => sessionView(s, current)) }
  })

  scope.delete('/sessions/:id', {
    config: { authorize: 'AUTH' },
    schema: {
      summary: 'End one of my sessions: its tokens are refused on every instance',
      tags: ['accounts'],
      params: SessionParams,
      response: {
        204: NoContent,
        400: ErrorDoc('malformed session id'),
        401: ErrorDoc('not authenticated'),
        404: ErrorDoc('no such live session of yours'),
        503: ErrorDoc('user store unavailable')
      }
    }
  }, async (request, reply) => {
    const login = requireUser(request)
    const { id } = request.params
    if (!(await ctx.store.sessions.revokeSession(id, login))) throw new FSA_ERR_STORE_NOT_FOUND('no such session')
    await scope.fsa.uncacheSession(id)
    const tokens = scope.fsa.tokens
    if (request.authToken?.session === id && tokens !== undefined && typeof reply.clearCookie === 'function') clearTokenCookie(reply, tokens.options)
    return reply.code(204).send(null)
  })
}
