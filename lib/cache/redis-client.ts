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
