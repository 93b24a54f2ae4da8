/**
 * Data shared by the benchmark servers: one user, its password, the groups and objects the
 * authorization scenarios check, and the token secret.
 */

/** Token secret for fsa, HS256 and the @fastify/jwt peer (32 bytes or more). */
export const SECRET = 'bench-secret-0123456789-abcdefghijklmnop'
/** The realm of every secured scenario. */
export const REALM = 'bench'
/** The benchmark user and its clear password. */
export const LOGIN = 'calvin'
export const PASSWORD = 'Hobbes-123-tiger'
/** Members of the `admin` group. */
export const ADMINS: ReadonlySet<string> = new Set(['calvin', 'susie'])
/** Owners of the `stuff` objects: sid → login. */
export const OWNERS: ReadonlyMap<string, string> = new Map([['s1', 'calvin'], ['s2', 'hobbes']])

/** `Authorization` value of Basic credentials (RFC 7617, UTF-8). */
export function basicAuth (login: string, password: string): string {
  return 'Basic ' + Buffer.from(`${login}:${password}`, 'utf8').toString('base64')
}
