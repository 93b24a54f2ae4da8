/**
 * Options of the `pages` plugin (sign-in, registration and account pages): the schema checked at
 * registration (unknown keys are an error), the type derived from it, and the resolved form.
 */
import { Type, type Static } from '../options/schema.js'
import { checkOptions } from '../options/check.js'

const Path = (what: string) => Type.String({ pattern: '^/(?![/\\\\])[^?#\\s]*$', expected: `${what}: a path of this site such as "/"` })

/** The schema of {@link PagesOptions} (unknown keys are an error). */
export const PagesOptionsSchema = Type.Object({
  /** Path prefix of every page (`/login`, `/register`, ...). @default '' (the root) */
  prefix: Type.Optional(Type.String({ pattern: '^(/[^/?#\\s]+)*$', expected: 'a path such as "/account" or "" (the root)' })),
  /** Where a signed-in person goes when `next` is missing or unsafe. @default '/' */
  home: Type.Optional(Path('home')),
  /** A folder of templates (`login.eta`, `layout.eta`, ...) used instead of the built-in ones of the same name. */
  templates: Type.Optional(Type.String({ minLength: 1 })),
  /** Origin put before the mailed links (`https://todo.example.com`), so that they work from a mail client. @default '' (relative links) */
  origin: Type.Optional(Type.String({ pattern: '^https?://[^/?#\\s]+$', expected: 'an origin such as "https://app.example.com"' })),
  /** Name shown in page titles and the header. @default the users plugin's appName (the realm) */
  appName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 }))
}, { additionalProperties: false })

/** Options of `app.register(pages, options)`. */
export type PagesOptions = Static<typeof PagesOptionsSchema>

/** Options with every default filled. */
export interface ResolvedPagesOptions {
  prefix: string
  home: string
  templates: string | undefined
  origin: string
  appName: string | undefined
}

/** Check `options` and fill the defaults (FSA_ERR_OPT_UNKNOWN / FSA_ERR_OPT_INVALID naming the option). */
export function resolvePagesOptions (options: PagesOptions = {}): ResolvedPagesOptions {
  checkOptions(PagesOptionsSchema, options)
  return {
    prefix: options.prefix ?? '',
    home: options.home ?? '/',
    templates: options.templates,
    origin: options.origin ?? '',
    appName: options.appName
  }
}
