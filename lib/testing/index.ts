/**
 * `fastify-simple-auth/testing`: what an application needs to test its routes and its own
 * implementations: the {@link Tester} over `inject()` or a URL, and {@link storeConformance}, the
 * suite every `UserStore` implementation passes. Nothing here loads a database driver.
 */
export * from './tester.js'
export { storeConformance } from './store-conformance.js'
export type { StoreConformanceOptions, OpenTestStore, ConformanceContext, ConformanceTest, ConformanceDescribe } from './store-conformance.js'
