/**
 * The `throttle` option: how failed password checks and account mails are limited. On by default
 * (docs/reference/throttling.md); `false` switches it off.
 */
import { Type, type Static } from '../options/schema.js'

const Count = Type.Integer({ minimum: 1 })
const Seconds = Type.Integer({ minimum: 1 })

/** Limits of the mails the users plugin sends (forgot, confirm/send, registration). */
export const MailThrottleSchema = Type.Object({
  /** Mails to one address per `window`. @default 3 */
  perAddress: Type.Optional(Count),
  /** Mails asked by one client address per `window`. @default 10 */
  perClient: Type.Optional(Count),
  /** Seconds the mail counters cover. @default 3600 */
  window: Type.Optional(Seconds)
}, { additionalProperties: false })

/** The schema of the `throttle` option. */
export const ThrottleOptionsSchema = Type.Union([Type.Literal(false), Type.Object({
  /** Failed checks of one (login, client address) before it is refused. @default 5 */
  failures: Type.Optional(Count),
  /** Seconds of the first refusal; each further failure doubles it. @default 1 */
  delay: Type.Optional(Seconds),
  /** Longest refusal, in seconds. @default 900 */
  maxDelay: Type.Optional(Seconds),
  /** Seconds a failure is remembered. @default 900 */
  window: Type.Optional(Seconds),
  /** Failed checks from one client address, any login, before that address is refused. @default 50 */
  perAddress: Type.Optional(Count),
  /** Failed checks of one login, any address, before addresses that failed for it are refused. @default 200 */
  perLogin: Type.Optional(Count),
  /** Mail limits, or `false` for none. @default { perAddress: 3, perClient: 10, window: 3600 } */
  mail: Type.Optional(Type.Union([Type.Literal(false), MailThrottleSchema]))
}, { additionalProperties: false })], { expected: 'false or { failures, delay, maxDelay, window, perAddress, perLogin, mail }' })

export type ThrottleOptions = Static<typeof ThrottleOptionsSchema>

/** The option with every default applied (durations in milliseconds). */
export interface ResolvedThrottleOptions {
  failures: number
  delayMs: number
  maxDelayMs: number
  windowMs: number
  perAddress: number
  perLogin: number
  mail: { perAddress: number, perClient: number, windowMs: number } | undefined
}

/** Apply the defaults; `undefined` when throttling is off. */
export function resolveThrottleOptions (o: ThrottleOptions | undefined): ResolvedThrottleOptions | undefined {
  if (o === false) return undefined
  const mail = o?.mail
  return {
    failures: o?.failures ?? 5,
    delayMs: (o?.delay ?? 1) * 1000,
    maxDelayMs: (o?.maxDelay ?? 900) * 1000,
    windowMs: (o?.window ?? 900) * 1000,
    perAddress: o?.perAddress ?? 50,
    perLogin: o?.perLogin ?? 200,
    mail: mail === false ? undefined : { perAddress: mail?.perAddress ?? 3, perClient: mail?.perClient ?? 10, windowMs: (mail?.window ?? 3600) * 1000 }
  }
}
