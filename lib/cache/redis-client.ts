/**
 * The `cache.redis` option accepts the application's own ioredis client. The public types
 * describe it structurally, by what the plugin calls, so that they do not import ioredis: an
 * application without Redis type-checks without ioredis installed (it is an optional peer).
 */

/** An ioredis client (`new Redis(...)` or a `Cluster`), as far as the option check needs it. */
export interface RedisClient {
  /** A second connection with the same settings, for the invalidation subscriber. */
  duplicate (...args: any[]): unknown
  publish (...args: any[]): unknown
}

/** Reject after `ms` (ioredis's commandTimeout does not apply to a user's own instance). */
export function withTimeout<T> (p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis command timed out after ${ms} ms`)), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}
