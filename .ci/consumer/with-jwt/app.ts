// @fastify/jwt (and @fastify/auth) beside the plugin, registered before and after it: the app
// starts, @fastify/jwt owns `request.user` (its payload), the plugin's login is `request.authUser`
// (`requireUser`), and it type-checks under strict without skipLibCheck thanks to one line:
// `FsaTypes { requestUser: false }` turns the plugin's typing of `request.user` off.
import Fastify, { type FastifyInstance } from 'fastify'
import jwt from '@fastify/jwt'
import auth from '@fastify/auth'
import secure, { requireUser } from 'fastify-simple-auth'

declare module 'fastify-simple-auth' {
  interface FsaTypes { requestUser: false }
}
declare module '@fastify/jwt' {
  interface FastifyJWT { payload: { sub: string }, user: { sub: string } }
}

const JWT_SECRET = 'a-secret-of-the-application-0123456789'
const FSA_SECRET = 'a-secret-of-the-plugin-0123456789abcdef'

async function build (order: 'jwt first' | 'plugin first'): Promise<FastifyInstance> {
  const app = Fastify()
  const registerJwt = async (): Promise<void> => { await app.register(jwt, { secret: JWT_SECRET }) }
  const registerSecure = async (): Promise<void> => { await app.register(secure, { auth: ['token', 'none'], token: { secret: FSA_SECRET } }) }
  if (order === 'jwt first') { await registerJwt(); await registerSecure() } else { await registerSecure(); await registerJwt() }
  await app.register(auth)
  // a route of the application's own JWT, declared OPEN for the plugin and guarded by @fastify/auth
  app.get('/jwt', { config: { authorize: 'OPEN' }, preHandler: app.auth([async (req) => { await req.jwtVerify() }]) }, async (req) => {
    const sub: string = req.user.sub
    return { sub }
  })
  // a route of the plugin: its own fsa token, the login from requireUser
  app.get('/fsa', { config: { authorize: 'AUTH' } }, async (req) => ({ login: requireUser(req), user: typeof req.user }))
  await app.ready()
  return app
}

for (const order of ['jwt first', 'plugin first'] as const) {
  const app = await build(order)
  const appJwt = app.jwt.sign({ sub: 'hobbes' })
  const fsaToken = await app.createToken('calvin')
  const lines = [
    ['/jwt', appJwt], ['/jwt', undefined], ['/fsa', fsaToken], ['/fsa', appJwt], ['/fsa', undefined]
  ] as const
  for (const [path, token] of lines) {
    const res = await app.inject({ url: path, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } })
    const what = token === undefined ? 'no token' : token === appJwt ? 'app JWT' : 'fsa token'
    console.log(`${order}: GET ${path} with ${what} ${res.statusCode} ${res.statusCode === 200 ? res.body : ''}`.trimEnd())
  }
  await app.close()
}
