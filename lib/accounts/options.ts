/**
 * Options of the `users` plugin (account routes): the schema checked at registration (unknown keys
 * are an error), the type derived from it, and {@link resolveUsersOptions} which fills defaults.
 */
import { Type, Fn, type Static } from '../options/schema.js'
import { checkOptions } from '../options/check.js'
import { FSA_ERR_OPT_INVALID } from '../errors/catalogue.js'
import type { Mailer } from '../mailer/mailer.js'

/** Route groups that can be switched off one by one. */
export const ROUTE_GROUPS = ['register', 'login', 'logout', 'sessions', 'me', 'data', 'password', 'reset', 'confirm', 'admin'] as const
/** One switchable route group. */
export type RouteGroup = typeof ROUTE_GROUPS[number]

/** Largest accepted `dataLimit`: 10 MiB. */
export const MAX_DATA_LIMIT = 10 * 1024 * 1024

type Link = (token: string) => string
const Switches = Type.Unsafe<Partial<Record<RouteGroup, boolean>>>(
  Type.Object(Object.fromEntries(ROUTE_GROUPS.map((g) => [g, Type.Optional(Type.Boolean())])), { additionalProperties: false })
)

/** The schema of {@link UsersOptions} (unknown keys are an error). */
export const UsersOptionsSchema = Type.Object({
  /** Path prefix of every account route. @default '/auth' */
  prefix: Type.Optional(Type.String({ pattern: '^(/[^/?#]+)*/?$', expected: 'a path such as "/auth" (segments without ?, # or empty ones)' })),
  /** Enable or disable route groups; omitted groups are enabled. @default every group enabled */
  routes: Type.Optional(Switches),
  /** Group whose members may call the admin routes. @default 'admin' */
  adminGroup: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  /** Largest custom-data object, in bytes of serialized JSON (at most 10 MiB). @default 65536 */
  dataLimit: Type.Optional(Type.Integer({ minimum: 2, maximum: MAX_DATA_LIMIT })),
  /** Where the login route puts the token: the JSON body, the auth cookie, or both. @default 'json' */
  loginToken: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('cookie'), Type.Literal('both')])),
  /** The login route refuses users whose email is not confirmed. @default false */
  requireConfirmed: Type.Optional(Type.Boolean()),
  /** Validity of password-reset tokens, in minutes. @default 30 */
  resetDelay: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /** Validity of email-confirmation tokens, in minutes. @default 1440 (one day) */
  confirmDelay: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /** Send a confirmation mail on registration (when the `confirm` routes are enabled). @default true */
  confirmOnRegister: Type.Optional(Type.Boolean()),
  /** Revoke every token of the user when the password changes or is reset. @default true */
  revokeOnPasswordChange: Type.Optional(Type.Boolean()),
  /**
   * Secret of reset and confirmation tokens, at least 32 bytes. @default the `token.secret` of the
   * secure plugin (a separate key is derived from it), or a random secret (single process only)
   */
  secret: Type.Optional(Type.String()),
  /** Where mails go. @default a DevMailer logging through fastify.log */
  mailer: Type.Optional(Type.Unsafe<Mailer>({
    type: 'object', properties: { send: Fn() }, required: ['send'], expected: 'an object with a send(message) method'
  })),
  /** The link mailed for a password reset. @default (token) => `${prefix}/password/reset?token=${token}` */
  resetLink: Type.Optional(Fn<Link>()),
  /** The link mailed for an email confirmation. @default (token) => `${prefix}/confirm?token=${token}` */
  confirmLink: Type.Optional(Fn<Link>()),
  /** Name of the application in mail subjects. @default the realm */
  appName: Type.Optional(Type.String())
}, { additionalProperties: false })

/** Options of `app.register(users, options)`. */
export type UsersOptions = Static<typeof UsersOptionsSchema>

/** Options with every default filled. */
export interface ResolvedUsersOptions {
  prefix: string
  routes: Record<RouteGroup, boolean>
  adminGroup: string
  dataLimit: number
  loginToken: 'json' | 'cookie' | 'both'
  requireConfirmed: boolean
  resetDelay: number
  confirmDelay: number
  confirmOnRegister: boolean
  revokeOnPasswordChange: boolean
  secret: string | undefined
  mailer: Mailer | undefined
  resetLink: (token: string) => string
  confirmLink: (token: string) => string
  appName: string | undefined
}

/**
 * Check `options` and fill the defaults; throws `FSA_ERR_OPT_UNKNOWN` / `FSA_ERR_OPT_INVALID`
 * naming the option. The caller's object is not modified.
 *
 * @example
 *   resolveUsersOptions({ prefix: '/account', routes: { admin: false } }).dataLimit   // 65536
 */
export function resolveUsersOptions (options: UsersOptions = {}): ResolvedUsersOptions {
  checkOptions(UsersOptionsSchema, options)
  if (options.secret !== undefined && Buffer.byteLength(options.secret) < 32) {
    throw new FSA_ERR_OPT_INVALID('secret', 'expected a string of at least 32 bytes')
  }
  const prefix = (options.prefix ?? '/auth').replace(/\/$/, '')
  const routes = Object.fromEntries(ROUTE_GROUPS.map((g) => [g, options.routes?.[g] ?? true])) as Record<RouteGroup, boolean>
  return {
    prefix,
    routes,
    adminGroup: options.adminGroup ?? 'admin',
    dataLimit: options.dataLimit ?? 64 * 1024,
    loginToken: options.loginToken ?? 'json',
    requireConfirmed: options.requireConfirmed ?? false,
    resetDelay: options.resetDelay ?? 30,
    confirmDelay: options.confirmDelay ?? 24 * 60,
    confirmOnRegister: options.confirmOnRegister ?? true,
    revokeOnPasswordChange: options.revokeOnPasswordChange ?? true,
    secret: options.secret,
    mailer: options.mailer,
    resetLink: options.resetLink ?? ((t) => `${prefix}/password/reset?token=${t}`),
    confirmLink: options.confirmLink ?? ((t) => `${prefix}/confirm?token=${t}`),
    appName: options.appName
  }
}
