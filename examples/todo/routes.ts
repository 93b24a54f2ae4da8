/**
 * The todo routes: `/` (the TodoMVC page, behind the login redirect), its script and stylesheet,
 * and the JSON API. Every API route is AUTH; those naming a todo check the `todo` object
 * permission (the signed-in user owns it: else 403, no such todo: 404); the unsafe ones also
 * check the CSRF token the page's script sends in `x-csrf-token` (the cookie carries the session,
 * so a forged request would carry it too).
 */
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { perm, requireUser } from '../../lib/index.js'
import type { TodoData } from './data.js'

/** The todo page may run its own script and talk to its own origin, nothing else. */
export const TODO_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

const asset = (name: string): string => readFileSync(new URL(`./public/${name}`, import.meta.url), 'utf8')
// not blank, no control characters (PostgreSQL refuses NUL in text: a 400 here, never a 500)
const Title = Type.String({ minLength: 1, maxLength: 500, pattern: '^(?=.*\\S)[^\\x00-\\x1f\\x7f]+$' })
const TodoSchema = Type.Object({ id: Type.Integer(), title: Type.String(), completed: Type.Boolean() })
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) }, { additionalProperties: false })
const Error = Type.Object({ error: Type.String() })
const own = perm('todo', 'id')
const NoQuery = Type.Object({}, { additionalProperties: false })

/** Register the page and the API on `app` (which has the secure, users and pages plugins). */
export async function todoRoutes (app: FastifyInstance, data: TodoData): Promise<void> {
  const { fsaPages } = app
  const script = asset('todo.js')
  const style = asset('todo.css')
  app.get('/', { config: { authorize: 'AUTH', loginRedirect: true }, schema: { querystring: NoQuery } }, async (request, reply) =>
    fsaPages.render(request, reply, 'todo', { title: 'Todos' }, 200, TODO_CSP))
  app.get('/todo.js', { config: { authorize: 'OPEN' } }, async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(script))
  app.get('/todo.css', { config: { authorize: 'OPEN' } }, async (_request, reply) => reply.type('text/css; charset=utf-8').send(style))

  app.get('/todos', {
    config: { authorize: 'AUTH' },
    schema: { querystring: NoQuery, response: { 200: Type.Array(TodoSchema) } }
  }, async (request) => await data.list(requireUser(request)))

  app.get('/todos/:id', {
    config: { authorize: own },
    schema: { params: IdParams, response: { 200: TodoSchema, 403: Error, 404: Error } }
  }, async (request) => await data.get((request.params as { id: number }).id, requireUser(request)))

  app.post('/todos', {
    config: { authorize: 'AUTH' },
    preHandler: fsaPages.csrf,
    schema: { body: Type.Object({ title: Title }, { additionalProperties: false }), response: { 201: TodoSchema } }
  }, async (request, reply) => reply.code(201).send(await data.add(requireUser(request), (request.body as { title: string }).title.trim())))

  app.patch('/todos/:id', {
    config: { authorize: own },
    preHandler: fsaPages.csrf,
    schema: {
      params: IdParams,
      body: Type.Object({ title: Type.Optional(Title), completed: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: TodoSchema }
    }
  }, async (request) => {
    const change = request.body as { title?: string, completed?: boolean }
    return await data.update((request.params as { id: number }).id, requireUser(request), { ...change, title: change.title?.trim() })
  })

  app.delete('/todos/:id', {
    config: { authorize: own },
    preHandler: fsaPages.csrf,
    schema: { params: IdParams }
  }, async (request, reply) => {
    await data.remove((request.params as { id: number }).id, requireUser(request))
    return reply.code(204).send()
  })
}
