/**
 * `fastify-simple-auth/testing`: what an application needs to test its routes and its own
 * implementations: the {@link Tester} over `inject()` or a URL.
 */
export * from './tester.js'
