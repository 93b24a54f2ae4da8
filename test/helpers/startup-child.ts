/**
 * A child process for the start-up tests: registers the secure plugin with the options given as
 * JSON in argv[2] (with argv[3] === 'undeclared-route', adds a route without `config.authorize`),
 * prints `ready` or `failed CODE` and does nothing more. The parent checks that the process then
 * exits by itself: a connection left open (Redis, PostgreSQL) would keep it alive.
 */
import Fastify from 'fastify'
import secure, { type SecureOptions } from '../../lib/index.js'

const options = JSON.parse(process.argv[2] ?? '{}') as SecureOptions
const app = Fastify()
try {
  await app.register(secure, options)
  if (process.argv[3] === 'undeclared-route') app.get('/forgot', async () => 'never')
  await app.ready()
  console.log('ready')
} catch (e) {
  console.log(`failed ${String((e as { code?: string }).code)}`)
}
