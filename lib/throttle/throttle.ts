/**
 * Throttling of credential checks and account mails (docs/reference/throttling.md).
 *
 * Failed password checks are counted per (login, client address), per client address and per
 * login. A (login, address) is refused after `failures` failures, for a delay that doubles with
 * each further failure up to `maxDelay`; an address after `perAddress` failures over every login;
 * and once a login passed `perLogin` failures from everywhere, every address that fails for it is
 * refused at its first failure. An address that never failed for a login is never refused because
 * of others, so an attacker cannot lock a user out from the user's own address.
 *
 * Refusals live in a local map checked synchronously before any verification (a cached password
 * included: otherwise 200 against 429 would tell a guess right); counters live in a
 * {@link CounterStore} (memory, or Redis shared by every instance, which then also publishes
 * refusals to every instance's map).
 */
import type { FastifyRequest } from 'fastify'
import { FSA_ERR_AUTH_THROTTLED } from '../errors/catalogue.js'
import type { CacheClock } from '../cache/options.js'
import { clientAddress } from './address.js'
import { MAX_COUNTERS, MemoryCounters, type CounterStore } from './counters.js'
import type { ResolvedThrottleOptions } from './options.js'

/** Counters shared by instances, with the refusals they publish (lib/throttle/redis.ts). */
export interface SharedCounters extends CounterStore {
  name (key: string): string
  publish (name: string, ms: number): void
  onRefused (apply: (name: string, ms: number) => void): void
}

/** What a throttle needs besides its options. */
export interface ThrottleSources {
  clock: CacheClock
  /** Called when client addresses cannot be told apart (untrusted proxy). */
  onUntrustedProxy: () => void
}

/** Keys of one check: `pair` and `address` are `undefined` when addresses mean nothing. */
interface CheckKeys { pair: string | undefined, address: string | undefined, login: string }

const keysOf = (login: string, address: string | undefined): CheckKeys => {
  const l = login.toLowerCase()
  return address === undefined
    ? { pair: undefined, address: undefined, login: 'l\0' + l }
    : { pair: 'p\0' + l + '\0' + address, address: 'a\0' + address, login: 'l\0' + l }
}

/** Milliseconds of refusal after `excess` failures past a threshold (0 for the first one). */
function refusal (o: ResolvedThrottleOptions, excess: number): number {
  return Math.min(o.delayMs * 2 ** Math.min(excess, 30), o.maxDelayMs)
}

/** Throttling of one registration of the plugin. */
export class Throttle {
  readonly options: ResolvedThrottleOptions
  readonly #clock: CacheClock
  readonly #local: MemoryCounters
  #counters: CounterStore
  /** Refused keys and until when (ms of the clock). */
  readonly #refused = new Map<string, number>()
  /** (login, address) names one failure away from a refusal, with their one verification in flight. */
  readonly #lastChance = new Map<string, { until: number, flying: boolean }>()
  readonly #onUntrusted: () => void
  /** The name of a key in the map of refusals (a keyed hash with shared counters). */
  #name: (key: string) => string = (key) => key
  #publish: ((name: string, ms: number) => void) | undefined

  constructor (options: ResolvedThrottleOptions, sources: ThrottleSources) {
    this.options = options
    this.#clock = sources.clock
    this.#local = new MemoryCounters(sources.clock)
    this.#counters = this.#local
    this.#onUntrusted = sources.onUntrustedProxy
  }

  /** The counters of this process, the fallback of shared ones. */
  get local (): MemoryCounters { return this.#local }

  /**
   * Count on shared counters (Redis): refusals are then named by the counters' keyed hash and
   * published to every instance, which all refuse from their local map.
   */
  share (counters: SharedCounters): void {
    this.#counters = counters
    this.#name = (key) => counters.name(key)
    this.#publish = (name, ms) => { counters.publish(name, ms) }
    counters.onRefused((name, ms) => { this.#refuse(name, this.#clock.now() + ms) })
  }

  /** The address group of a request (`undefined` behind an untrusted proxy). */
  address (request: FastifyRequest | undefined): string | undefined {
    return request === undefined ? undefined : clientAddress(request, this.#onUntrusted)
  }

  /** Refuse `key` for `ms`, here and (shared counters) on every instance. */
  #refuseFor (key: string, ms: number): void {
    const name = this.#name(key)
    this.#refuse(name, this.#clock.now() + ms)
    this.#publish?.(name, ms)
  }

  #refuse (name: string, until: number): void {
    const known = this.#refused.get(name)
    if (known === undefined && this.#refused.size >= MAX_COUNTERS) dropOldest(this.#refused)
    if (known === undefined || known < until) this.#refused.set(name, until)
  }

  /**
   * Throw a 429 with `Retry-After` when `login` from `request` is refused. Synchronous and
   * allocation-free while nothing is refused, the common case. A (login, address) one failure
   * away from a refusal gets one verification at a time in this process (requests in flight
   * would otherwise all be verified before the refusal is decided): the answer is a flight that
   * {@link release} ends once its outcome is counted.
   */
  check (login: string, request: FastifyRequest | undefined): string | undefined {
    if (this.#refused.size === 0 && this.#lastChance.size === 0) return undefined
    const k = keysOf(login, this.address(request))
    const now = this.#clock.now()
    const until = Math.max(this.#until(k.pair, now), this.#until(k.address, now), k.pair === undefined ? this.#until(k.login, now) : 0)
    if (until > now) throw throttled(until - now)
    return k.pair === undefined ? undefined : this.#board(this.#name(k.pair), now)
  }

  /** Board the one flight of a (login, address) on its last chance, or refuse while it is taken. */
  #board (name: string, now: number): string | undefined {
    const last = this.#lastChance.get(name)
    if (last === undefined) return undefined
    if (last.until <= now) { this.#lastChance.delete(name); return undefined }
    if (last.flying) throw throttled(this.options.delayMs)
    last.flying = true
    return name
  }

  /** End a flight of {@link check} (after its failure was counted). */
  release (flight: string | undefined): void {
    if (flight === undefined) return
    const last = this.#lastChance.get(flight)
    if (last !== undefined) last.flying = false
  }

  #until (key: string | undefined, now: number): number {
    if (key === undefined) return 0
    const name = this.#name(key)
    const until = this.#refused.get(name)
    if (until === undefined) return 0
    if (until <= now) { this.#refused.delete(name); return 0 }
    return until
  }

  /** Count a failed check of `login` from `request`, refusing what passed its threshold. */
  async failed (login: string, request: FastifyRequest | undefined): Promise<void> {
    const k = keysOf(login, this.address(request))
    const o = this.options
    const keys = k.pair === undefined ? [k.login] : [k.pair, k.address!, k.login]
    const counts = await this.#increment(keys, o.windowMs)
    if (k.pair === undefined) {
      if (counts[0]! >= o.perLogin) this.#refuseFor(k.login, refusal(o, counts[0]! - o.perLogin))
      return
    }
    const [pair, address, perLogin] = counts as [number, number, number]
    if (pair >= o.failures - 1) this.#markLastChance(k.pair, o.windowMs)
    if (pair >= o.failures) this.#refuseFor(k.pair, refusal(o, pair - o.failures))
    else if (perLogin >= o.perLogin) this.#refuseFor(k.pair, refusal(o, 0))
    if (address >= o.perAddress) this.#refuseFor(k.address!, refusal(o, address - o.perAddress))
  }

  #markLastChance (pair: string, windowMs: number): void {
    const name = this.#name(pair)
    const flying = this.#lastChance.get(name)?.flying ?? false
    if (this.#lastChance.size >= MAX_COUNTERS) dropOldest(this.#lastChance)
    this.#lastChance.set(name, { until: this.#clock.now() + windowMs, flying })
  }

  /**
   * A successful check resets its (login, address) counter. `verified` says the password was
   * verified now (not a cached answer): only then is a shared counter reset, so a cached success
   * costs no round trip, and nothing at all while this process counts no failure.
   */
  succeeded (login: string, request: FastifyRequest | undefined, verified: boolean): void {
    const shared = verified && this.#counters !== this.#local
    if (!shared && this.#local.size === 0 && this.#lastChance.size === 0) return
    const k = keysOf(login, this.address(request))
    if (k.pair === undefined) return
    this.#local.resetNow(k.pair)
    this.#lastChance.delete(this.#name(k.pair))
    if (shared) this.#counters.reset(k.pair).catch(() => {})
  }

  /**
   * Whether a mail to `email` asked from `request` may go: at most `mail.perAddress` per address
   * and `mail.perClient` per client address per window.
   */
  async allowMail (email: string, request: FastifyRequest | undefined): Promise<boolean> {
    const m = this.options.mail
    if (m === undefined) return true
    const address = this.address(request)
    const keys = ['m\0' + email.toLowerCase(), ...(address === undefined ? [] : ['c\0' + address])]
    const counts = await this.#increment(keys, m.windowMs)
    return counts[0]! <= m.perAddress && (counts[1] === undefined || counts[1] <= m.perClient)
  }

  async #increment (keys: string[], windowMs: number): Promise<number[]> {
    if (this.#counters === this.#local) return this.#local.incrementNow(keys, windowMs)
    try {
      return await this.#counters.increment(keys, windowMs)
    } catch {
      // shared counters unreachable: this process counts alone (the Redis counters warn)
      return this.#local.incrementNow(keys, windowMs)
    }
  }
}

/** Bound a map an attacker can grow: the oldest entry goes (a refusal lost early, never a wrong 429). */
function dropOldest (map: Map<string, unknown>): void {
  const first = map.keys().next()
  if (first.done !== true) map.delete(first.value)
}

/** The 429 of a refused check, with `Retry-After` in whole seconds. */
function throttled (ms: number): Error {
  const e = new FSA_ERR_AUTH_THROTTLED() as Error & { headers?: Record<string, string> }
  e.headers = { 'Retry-After': String(Math.ceil(ms / 1000)) }
  return e
}
