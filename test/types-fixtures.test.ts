/**
 * Consumer programs type-checked as an application would compile them: `strict`, without
 * `skipLibCheck`, importing `fastify-simple-auth` (mapped to the sources). One app alone, where
 * the plugin types `request.user` (`string | undefined`); one with @fastify/jwt and @fastify/auth
 * beside it, where `FsaTypes { requestUser: false }` leaves `request.user` to @fastify/jwt (without
 * that line the two declarations of `request.user` do not compile: TS2430 in fastify's types).
 * Checking every library's declarations is slow (tens of seconds each): both run at once.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const dir = join(import.meta.dirname, 'fixtures/types')
const tsc = join(import.meta.dirname, '../node_modules/typescript/bin/tsc')

async function check (project: string): Promise<{ ok: boolean, output: string }> {
  try {
    await run(process.execPath, [tsc, '-p', join(dir, project)], { maxBuffer: 1 << 24 })
    return { ok: true, output: '' }
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string, stderr?: string }
    return { ok: false, output: `${stdout ?? ''}${stderr ?? ''}` }
  }
}

test('an app alone, and an app with @fastify/jwt and @fastify/auth, type-check under strict without skipLibCheck', async () => {
  const [plain, jwt] = await Promise.all([check('tsconfig.plain.json'), check('tsconfig.with-jwt.json')])
  assert.ok(plain.ok, plain.output)
  assert.ok(jwt.ok, jwt.output)
})
