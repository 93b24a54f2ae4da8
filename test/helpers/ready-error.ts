/**
 * The error that makes `ready()` fail for an app set up by `setup` (registering plugins, adding
 * routes); fails the test when `ready()` succeeds. The app is closed either way.
 */
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance } from 'fastify'

export async function readyError (setup: (app: FastifyInstance) => unknown): Promise<Error & { code?: string }> {
  const app = Fastify()
  try {
    await setup(app)
    await app.ready()
  } catch (e) {
    return e as Error & { code?: string }
  } finally {
    await app.close().catch(() => {})
  }
  assert.fail('ready() should have failed')
}
