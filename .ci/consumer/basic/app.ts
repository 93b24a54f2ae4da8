// A first application: the main entry and ./testing, an OPEN and an AUTH route, driven through inject().
import Fastify from 'fastify'
import secure from 'fastify-simple-auth'
import { Tester } from 'fastify-simple-auth/testing'

const hashes = new Map<string, string>()
const app = Fastify()
await app.register(secure, { auth: ['basic', 'none'], realm: 'consumer', getUserPass: (login) => hashes.get(login) ?? null })
app.get('/hello', { config: { authorize: 'OPEN' } }, async () => ({ msg: 'hello' }))
app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
hashes.set('calvin', await app.hashPassword('Hobbes-123'))

const t = new Tester({ app, users: { calvin: { password: 'Hobbes-123' } } })
for (const [path, login] of [['/hello', undefined], ['/me', undefined], ['/me', 'calvin']] as const) {
  const res = await t.request('GET', path, login === undefined ? {} : { login })
  console.log(`GET ${path}${login === undefined ? '' : ' as ' + login} ${res.status} ${res.text}`)
}
await app.close()
