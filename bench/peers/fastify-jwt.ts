/**
 * Peer: the common hand-built stack. @fastify/jwt's `request.jwtVerify()` in a preHandler, then
 * a hand-written group check against an in-memory set, the same data our `group` scenario's
 * `groupCheck` reads. (`request.user` is @fastify/jwt's `string | object | Buffer` without a
 * `FastifyJWT` declaration, hence the casts.) Nothing is cached: fast-jwt verifies the HS256 signature on every request.
 */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import jwt from '@fastify/jwt'
import type { BuiltScenario } from '../scenario.js'
import { ADMINS, SECRET } from '../fixtures.js'

/** Build the @fastify/jwt peer: GET /admin needs a valid JWT whose subject is in the admin group. */
export async function buildFastifyJwt (): Promise<BuiltScenario> {
  const app = Fastify()
  await app.register(jwt, { secret: SECRET })
  const adminOnly = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      await req.jwtVerify()
    } catch {
      return reply.code(401).send({ error: 'bad token' })
    }
    const sub = (req.user as unknown as { sub?: string }).sub
    if (sub === undefined || !ADMINS.has(sub)) return reply.code(403).send({ error: 'not admin' })
  }
  app.get('/admin', { preHandler: adminOnly }, async (req) => ({ user: (req.user as unknown as { sub: string }).sub }))
  await app.ready()
  const token = app.jwt.sign({ sub: 'calvin' }, { expiresIn: '1h' })
  return { app, request: { method: 'GET', path: '/admin', headers: { authorization: `Bearer ${token}` } }, status: 200 }
}
