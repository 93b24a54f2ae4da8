/**
 * Start-up phase 2: acquire the resources of one registration in order (the user store, the cache
 * with its Redis connection, the token manager with its JWT keys), each with its disposer on a
 * stack, so that a failure closes everything already opened and rethrows. Phase 1
 * (lib/core/resolve.ts) has checked every option before, so the only failures left here are the
 * outside world's (a database that cannot be opened, a key that does not parse).
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import { createCacheLayer, type CacheLayer } from '../cache/layer.js'
import { openUserSource, type OpenedStore } from '../store/source.js'
import { createTokenManager, type TokenManager } from '../tokens/manager.js'
import { DisposerStack } from './disposers.js'
import { loadPeer } from './peers.js'
import type { SharedCounters } from '../throttle/throttle.js'
import type { ResolvedOptions } from './resolve.js'

/** What a registration holds open until `app.close()`. */
export interface Resources {
  store: OpenedStore | undefined
  cache: CacheLayer
  tokens: TokenManager | undefined
  /**
   * Throttling counters on the cache's Redis, when both are on (described by what the plugin
   * calls: the public types must not import ioredis, an optional peer).
   */
  counters: OpenedCounters | undefined
  /** Close everything, last opened first (failures are logged). */
  close (): Promise<void>
}

async function closeAll (stack: DisposerStack, log: FastifyBaseLogger): Promise<void> {
  for (const { what, error } of await stack.dispose()) {
    log.error({ err: error }, `fastify-simple-auth: could not close the ${what}`)
  }
}

/** Shared throttling counters that hold connections of their own. */
export type OpenedCounters = SharedCounters & { close: () => Promise<void> }

/** The throttling counters on the cache's Redis, when the cache uses Redis and throttling is on. */
async function sharedCounters (fastify: FastifyInstance, resolved: ResolvedOptions): Promise<OpenedCounters | undefined> {
  if (resolved.throttle === undefined || resolved.cache.type !== 'redis') return undefined
  const { connectRedisCounters } = await loadPeer('ioredis', "cache.type 'redis'", () => import('../throttle/redis.js'))
  return await connectRedisCounters(resolved.cache, fastify.log)
}

/**
 * Phase 2 of start-up: open the store, the cache and the token keys the resolved options ask for.
 * On failure, what was opened is closed before the error is rethrown.
 *
 * @example
 *   const resources = await acquireResources(fastify, resolveSecureOptions(options))
 *   fastify.addHook('onClose', () => resources.close())
 */
export async function acquireResources (fastify: FastifyInstance, resolved: ResolvedOptions): Promise<Resources> {
  const stack = new DisposerStack()
  try {
    const store = resolved.store !== undefined ? await openUserSource(resolved.store, fastify.log) : undefined
    if (store !== undefined) stack.defer('user store', () => store.close())
    const cache = await createCacheLayer(resolved.cache, fastify.log)
    stack.defer('cache', () => cache.close())
    const tokens = resolved.token !== undefined ? await createTokenManager(fastify, resolved.token) : undefined
    const counters = await sharedCounters(fastify, resolved)
    if (counters !== undefined) stack.defer('throttling counters', () => counters.close())
    return { store, cache, tokens, counters, close: () => closeAll(stack, fastify.log) }
  } catch (e) {
    await closeAll(stack, fastify.log)
    throw e
  }
}
