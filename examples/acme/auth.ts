/**
 * The acme authentication and authorization pieces: the object permission callback on stuff,
 * the admin user `acme` created (or updated) at start-up, and a strong generated password when
 * none is given.
 */
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { ObjectPermFn, UserStore } from '../../lib/index.js'
import type { AcmeData } from './data.js'

// #region perms
/**
 * `objectPerms.stuff`: may `login` act on stuff `sid`? Only its owner may; unknown stuff is
 * `null`, which the plugin turns into a 404 (and does not cache, as it may be created later).
 */
export function stuffPermission (data: AcmeData): ObjectPermFn {
  return (login: string, sid: string, _mode: string) => data.isOwner(sid, login)
}
// #endregion perms

/** A random password of 24 characters that passes the application's password rules. */
export async function generatePassword (app: FastifyInstance): Promise<string> {
  for (;;) {
    const candidate = randomBytes(18).toString('base64url')
    try {
      await app.checkPasswordQuality(candidate)
      return candidate
    } catch {
      // about one draw in six lacks a digit: draw again
    }
  }
}

// #region admin
/**
 * Make sure the admin user `acme` exists and belongs to group `admin`. A missing user is created
 * with `password` (or a generated one, returned so that it can be shown once); an existing user
 * gets `password` when one is given, and keeps its own otherwise.
 */
export async function ensureAdmin (app: FastifyInstance, store: UserStore, password: string | undefined): Promise<string | undefined> {
  let generated: string | undefined
  if (await store.getUser('acme') === null) {
    if (password === undefined) password = generated = await generatePassword(app)
    await store.createUser({ login: 'acme', email: 'acme@acme.org', password: await app.hashPassword(password), confirmed: true })
  } else if (password !== undefined) {
    await store.setPassword('acme', await app.hashPassword(password))
  }
  if (!(await store.listGroups()).includes('admin')) await store.createGroup('admin')
  await store.addToGroup('acme', 'admin')
  return generated
}
// #endregion admin
