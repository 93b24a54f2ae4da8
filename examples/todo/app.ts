/**
 * Build the todo application (Flask-Security's TodoMVC tutorial): the `secure` plugin with the
 * session in a cookie and the login redirect, the users plugin under /auth (self-registration
 * with email confirmation), the pages at the root, the seed user kevin, and the todo routes.
 *
 * @example
 *   const app = await buildTodoApp({ db: 'sqlite::memory:', seedPassword: 'kevin-password' })
 */
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import secure from '../../lib/index.js'
import users, { DevMailer, type Mailer, type MailMessage } from '../../plugins/users.js'
import pages from '../../plugins/pages.js'
import { TodoData } from './data.js'
import { todoRoutes } from './routes.js'

/** `sqlite://` URL of examples/todo/todo.db, an absolute path whatever the working directory. */
export const DEFAULT_DB = 'sqlite://' + fileURLToPath(new URL('./todo.db', import.meta.url))
/** The templates of the todo page (the pages plugin's own stay for the others). */
export const TEMPLATES = fileURLToPath(new URL('./templates/', import.meta.url))

/** Options of {@link buildTodoApp}. */
export interface TodoOptions {
  /** Database of users and todos (`TODO_DB`). @default DEFAULT_DB */
  db?: string
  /** Token and CSRF secret (`TODO_SECRET`), at least 32 bytes. @default random: sessions die with the process */
  secret?: string
  /** Password of the seed user kevin when created (`TODO_PASS`). @default generated, passed to onGeneratedPassword */
  seedPassword?: string
  onGeneratedPassword?: (password: string) => void
  /** Where mails go. @default a DevMailer (kept in memory) */
  mailer?: Mailer
  logger?: FastifyServerOptions['logger']
  /** Argon2 cost, for tests. */
  hashing?: Record<string, unknown>
}

/**
 * The mailer of `TODO_MODE=dev`: nothing is sent; each mail is printed, one line for the mail and
 * one line per link, with the full URL (`base` is set once the server listens).
 */
export class LinkPrinter implements Mailer {
  base = ''
  constructor (readonly print: (line: string) => void) {}
  async send (message: MailMessage): Promise<void> {
    this.print(`mail to ${message.to}: ${message.subject}`)
    for (const m of message.text.matchAll(/(?:https?:\/\/|\/)(?:confirm|reset)\/[A-Za-z0-9._~-]+/g)) {
      this.print(`  link: ${m[0].startsWith('/') ? this.base + m[0] : m[0]}`)
    }
  }
}

/** Build and start (ready) the app. */
export async function buildTodoApp (options: TodoOptions = {}): Promise<FastifyInstance> {
  const db = options.db ?? DEFAULT_DB
  const data = await TodoData.open(db)
  const app = Fastify({ logger: options.logger ?? false })
  app.addHook('onClose', async () => { await data.close() })
  try {
    await app.register(secure, {
      auth: ['token', 'none'],
      realm: 'todo',
      // the session cookie is renewed (same session) once half of its 8 hours are gone
      token: { carrier: 'cookie', name: 'todo_auth', secret: options.secret, delay: 8 * 60, renewal: 0.5 },
      store: db,
      objectPerms: { todo: (login: string, id: unknown) => data.isOwner(Number(id), login) },
      errorResponse: 'json:error',
      ...(options.hashing === undefined ? {} : { password: options.hashing })
    })
    await app.register(users, { prefix: '/auth', loginToken: 'cookie', requireConfirmed: true, mailer: options.mailer ?? new DevMailer(), appName: 'Todo' })
    await app.register(pages, { templates: TEMPLATES, appName: 'Todo' })
    await seedKevin(app, options)
    await todoRoutes(app, data)
    await app.ready()
  } catch (e) {
    await app.close().catch(() => {})
    throw e
  }
  return app
}

/** Create kevin (kevin@example.com, confirmed) at first start. */
async function seedKevin (app: FastifyInstance, options: TodoOptions): Promise<void> {
  const store = app.fsa.store!
  if (await store.getUser('kevin') !== null) return
  const password = options.seedPassword ?? randomBytes(15).toString('base64url')
  await store.createUser({ login: 'kevin', email: 'kevin@example.com', password: await app.fsa.passwords.hash(password), confirmed: true })
  if (options.seedPassword === undefined) options.onGeneratedPassword?.(password)
}
