/**
 * Event loop under load: the p99 latency of an OPEN route alone, then while 16 connections log in
 * with basic credentials at the default argon2 parameters (no verified-credentials cache, so every
 * login hashes). argon2 runs on libuv's thread pool behind the plugin's bounded queue; what this
 * shows is how much of that reaches the event loop and the OPEN route's tail latency.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import Fastify from 'fastify'
import secure from '../lib/index.js'
import { LOGIN, PASSWORD, REALM, basicAuth } from './fixtures.js'
import { measure, type LoadResult } from './load.js'
import type { BenchRequest, Scenario } from './scenario.js'

/** The login request of the storm (basic credentials, argon2 verification each time). */
export const LOGIN_REQUEST: BenchRequest = { method: 'GET', path: '/login', headers: { authorization: basicAuth(LOGIN, PASSWORD) } }
/** Concurrent logins of the storm. */
export const STORM_LOGINS = 16

/** The storm server: `/hello` OPEN, `/login` AUTH with basic and no credentials cache. */
export const STORM_SCENARIO: Scenario = {
  name: 'storm',
  label: 'OPEN route during a login storm',
  build: async () => {
    const app = Fastify()
    const hashes = new Map<string, string>()
    await app.register(secure, { realm: REALM, auth: ['basic', 'none'], getUserPass: (login: string) => hashes.get(login) ?? null })
    hashes.set(LOGIN, await app.hashPassword(PASSWORD, { check: false }))
    app.get('/hello', { config: { authorize: 'OPEN' } }, async () => ({ hello: 'world' }))
    app.get('/login', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
    // the server's own event-loop delay since the last call, to tell a blocked loop from a starved CPU
    const loop = monitorEventLoopDelay({ resolution: 5 })
    loop.enable()
    app.get('/loop-delay', { config: { authorize: 'OPEN' } }, async () => {
      const out = { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 }
      loop.reset()
      return out
    })
    await app.ready()
    return { app, request: { method: 'GET', path: '/hello' }, status: 200 }
  }
}

/** Figures of the storm measurement. */
export interface StormResult {
  alone: LoadResult
  during: LoadResult
  logins: LoadResult
  /** The server's event-loop delay p99 in ms (resolution 5 ms) alone and during the storm. */
  loopP99Alone: number
  loopP99During: number
}

async function loopDelay (port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/loop-delay`)
  return ((await res.json()) as { p99: number }).p99
}

/**
 * Measure `/hello` alone, then with {@link STORM_LOGINS} login connections running for the same
 * time (both load generators in this process, the server in its own).
 */
export async function runStorm (port: number, duration: number, warmup: number): Promise<StormResult> {
  const hello: BenchRequest = { method: 'GET', path: '/hello' }
  await loopDelay(port)
  const alone = await measure(port, hello, 200, { duration, warmup })
  const loopP99Alone = await loopDelay(port)
  // the logins start first so that the measured window is entirely inside the storm
  const logins = measure(port, LOGIN_REQUEST, 200, { duration: duration + warmup + 0.5, connections: STORM_LOGINS })
  await new Promise((resolve) => setTimeout(resolve, 300))
  const during = await measure(port, hello, 200, { duration, warmup })
  const loopP99During = await loopDelay(port)
  return { alone, during, logins: await logins, loopP99Alone, loopP99During }
}
