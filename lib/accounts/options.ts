/**
 * Options of the `users` plugin (account routes): the TypeScript type, a TypeBox schema checked at
 * registration (unknown keys are an error), and {@link resolveUsersOptions} which fills defaults.
 */
import { Type } from 'typebox'
import { Value } from 'typebox/value'
import { FSA_ERR_OPT_INVALID, FSA_ERR_OPT_UNKNOWN } from '../errors/catalogue.js'
import type { Mailer } from '../mailer/mailer.js'

/** Route groups that can be switched off one by one. */
export const ROUTE_GROUPS = ['register', 'login', 'logout', 'me', 'data', 'password', 'reset', 'confirm', 'admin'] as const
/** One switchable route group. */
export type RouteGroup = typeof ROUTE_GROUPS[number]

/** Largest accepted `dataLimit`: 10 MiB. */
export const MAX_DATA_LIMIT = 10 * 1024 * 1024

/** Options of `app.register(users, options)`. */
export interface UsersOptions {
  /** Path prefix of every account route. @default '/auth' */
  prefix?: string
  /** Enable or disable route groups; omitted groups are enabled. @default every group enabled */
  routes?: Partial<Record<RouteGroup, boolean>>
  /** Group whose members may call the admin routes. @default 'admin' */
  adminGroup?: string
  /** Largest custom-data object, in bytes of serialized JSON (at most 10 MiB). @default 65536 */
  dataLimit?: number
  /** Where the login route puts the token: the JSON body, the auth cookie, or both. @default 'json' */
  loginToken?: 'json' | 'cookie' | 'both'
  /** The login route refuses users whose email is not confirmed. @default false */
  requireConfirmed?: boolean
  /** Validity of password-reset tokens, in minutes. @default 30 */
  resetDelay?: number
  /** Validity of email-confirmation tokens, in minutes. @default 1440 (one day) */
  confirmDelay?: number
  /** Send a confirmation mail on registration (when the `confirm` routes are enabled). @default true */
  confirmOnRegister?: boolean
  /** Revoke every token of the user when the password changes or is reset. @default true */
  revokeOnPasswordChange?: boolean
  /**
   * Secret of reset and confirmation tokens, at least 32 bytes. @default the `token.secret` of the
   * secure plugin (a separate key is derived from it), or a random secret (single process only)
   */
  secret?: string
  /** Where mails go. @default a DevMailer logging through fastify.log */
  mailer?: Mailer
  /** The link mailed for a password reset. @default (token) => `${prefix}/password/reset?token=${token}` */
  resetLink?: (token: string) => string
  /** The link mailed for an email confirmation. @default (token) => `${prefix}/confirm?token=${token}` */
  confirmLink?: (token: string) => string
  /** Name of the application in mail subjects. @default the realm */
  appName?: string
}

const Fn = Type.Function([Type.String()], Type.String())
const Switches = Type.Object(Object.fromEntries(ROUTE_GROUPS.map((g) => [g, Type.Optional(Type.Boolean())])), { additionalProperties: false })

/** The schema of {@link UsersOptions} (the mailer is checked by shape, functions by type). */
export const UsersOptionsSchema = Type.Object({
  prefix: Type.Optional(Type.String({ pattern: '^(/[^/?#]+)*/?$' })),
  routes: Type.Optional(Switches),
  adminGroup: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  dataLimit: Type.Optional(Type.Integer({ minimum: 2, maximum: MAX_DATA_LIMIT })),
  loginToken: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('cookie'), Type.Literal('both')])),
  requireConfirmed: Type.Optional(Type.Boolean()),
  resetDelay: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  confirmDelay: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  confirmOnRegister: Type.Optional(Type.Boolean()),
  revokeOnPasswordChange: Type.Optional(Type.Boolean()),
  secret: Type.Optional(Type.String()),
  mailer: Type.Optional(Type.Any()),
  resetLink: Type.Optional(Fn),
  confirmLink: Type.Optional(Fn),
  appName: Type.Optional(Type.String())
}, { additionalProperties: false })

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
  const o = options as Record<string, unknown>
  for (const key of Object.keys(o)) {
    if (!(key in UsersOptionsSchema.properties)) throw new FSA_ERR_OPT_UNKNOWN(key, Object.keys(UsersOptionsSchema.properties).join(', '))
  }
  const first = Value.Errors(UsersOptionsSchema, o)[0]
  if (first !== undefined) {
    const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'users'
    throw new FSA_ERR_OPT_INVALID(path, first.message)
  }
  if (options.mailer !== undefined && typeof (options.mailer as { send?: unknown } | null)?.send !== 'function') {
    throw new FSA_ERR_OPT_INVALID('mailer', 'expected an object with a send(message) method')
  }
  if (options.secret !== undefined && Buffer.byteLength(options.secret) < 32) {
    throw new FSA_ERR_OPT_INVALID('secret', 'must be at least 32 bytes')
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
