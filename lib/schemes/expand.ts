/**
 * FlaskSimpleAuth's rules for the `auth` option, kept because its users rely on them:
 * - a scalar other than `token`, `oauth` and `none` means "this scheme, plus tokens, plus open
 *   routes": `'basic'` → `['token', 'basic', 'none']`, and `'password'` → `['token', 'none', 'basic', 'param']`;
 * - a list is taken as given (so tokens can be disabled), except that `password` becomes
 *   `basic` then `param` in its place.
 */
const ALONE = new Set(['token', 'oauth', 'none'])

/** Expand the global `auth` option into the ordered list of enabled schemes. */
export function expandAuth (auth: string | readonly string[]): string[] {
  if (typeof auth === 'string') {
    if (auth === 'password') return ['token', 'none', 'basic', 'param']
    return ALONE.has(auth) ? [auth] : ['token', auth, 'none']
  }
  return expandList(auth)
}

/** Expand a list (route `config.auth`, `authDefault`): `password` → `basic`, `param`; duplicates dropped. */
export function expandList (auth: string | readonly string[]): string[] {
  const list = typeof auth === 'string' ? [auth] : auth
  const out: string[] = []
  for (const name of list) {
    for (const n of name === 'password' ? ['basic', 'param'] : [name]) {
      if (!out.includes(n)) out.push(n)
    }
  }
  return out
}
