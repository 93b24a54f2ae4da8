/**
 * A storm of wrong passwords (issue 13): argon2 verifications per second with and without
 * throttling, at the default argon2 parameters, from one address on one login and from one
 * address over many logins (in-process, `inject`, 16 requests in flight for `SECONDS` seconds).
 * Verifications are the password queue's `ran` counter (app.fsa.passwords.stats()).
 *
 *   npx tsx bench/throttle-storm.ts [seconds]
 */
import Fastify from 'fastify'
import secure from '../lib/index.js'
import { LOGIN, PASSWORD, REALM, basicAuth } from './fixtures.js'

const SECONDS = Number(process.argv[2] ?? 5)
const IN_FLIGHT = 16

interface StormFigures { requests: number, verificationsPerSecond: number, statuses: Record<number, number> }

async function storm (throttle: boolean, manyLogins: boolean): Promise<StormFigures> {
  const app = Fastify()
  const hashes = new Map<string, string>()
  await app.register(secure, { realm: REALM, auth: ['basic'], secure: false, getUserPass: (login: string) => hashes.get(login) ?? null, ...(throttle ? {} : { throttle: false }) })
  hashes.set(LOGIN, await app.hashPassword(PASSWORD, { check: false }))
  app.get('/login', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
  await app.ready()
  const ran0 = app.fsa.passwords.stats().ran
  const statuses: Record<number, number> = {}
  let n = 0
  const end = performance.now() + SECONDS * 1000
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      const login = manyLogins ? `user${n}` : LOGIN
      const res = await app.inject({ url: '/login', headers: { authorization: basicAuth(login, `guess-${n++}`) }, remoteAddress: '203.0.113.1' })
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
  const ran = app.fsa.passwords.stats().ran - ran0
  await app.close()
  return { requests: n, verificationsPerSecond: ran / SECONDS, statuses }
}

for (const manyLogins of [false, true]) {
  for (const throttle of [false, true]) {
    const f = await storm(throttle, manyLogins)
    console.log(`${manyLogins ? 'many logins, one address' : 'one login, one address  '} throttle ${throttle ? 'on ' : 'off'}: ` +
      `${f.verificationsPerSecond.toFixed(1)} argon2 verifications/s, ${f.requests} requests in ${SECONDS} s, statuses ${JSON.stringify(f.statuses)}`)
  }
}
