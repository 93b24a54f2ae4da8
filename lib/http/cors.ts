/**
 * The `cors` option (FlaskSimpleAuth's FSA_CORS): @fastify/cors, an optional peer, registered
 * app-wide with the application's options. Its preflight route (`OPTIONS *`) is declared OPEN
 * here: without a declaration the plugin would close it like any undeclared route, and the
 * preflight is answered by @fastify/cors's own hook before any credential is looked at.
 */
import type { FastifyInstance, RouteOptions } from 'fastify'
import { loadPeer } from '../core/peers.js'

/** Registers @fastify/cors; call it after the plugin's own `onRoute` hook is in place. */
export type CorsInstaller = () => Promise<void>

/**
 * Prepare the `cors` option: add the hook that declares the preflight route OPEN (before the
 * plugin's `onRoute` hook, which compiles it), and return the step that registers @fastify/cors,
 * or `undefined` when the option is off.
 *
 * @example
 *   const cors = prepareCors(fastify, options.cors)
 *   fastify.addHook('onRoute', compile)
 *   await cors?.()
 */
export function prepareCors (fastify: FastifyInstance, option: boolean | Record<string, unknown> | undefined): CorsInstaller | undefined {
  if (option === undefined || option === false) return undefined
  let registering = false
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config ?? {}) as Record<string, unknown>
    if (!registering || route.method !== 'OPTIONS' || route.url !== '*' || config.authorize !== undefined) return
    route.config = { ...config, authorize: 'OPEN', unexpectedParams: 'accept' } as RouteOptions['config']
  })
  return async () => {
    const { default: cors } = await loadPeer('@fastify/cors', 'the cors option', () => import('@fastify/cors'))
    registering = true
    try {
      await fastify.register(cors, option === true ? {} : option)
    } finally {
      registering = false
    }
  }
}
