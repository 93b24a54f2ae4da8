/**
 * A bounded-concurrency FIFO queue for password hashing. Each argon2 operation holds `memoryCost`
 * KiB (19 MiB by default) and a libuv thread for tens of milliseconds: without a bound, a login
 * storm would allocate memory per request until the process dies. With it, at most `concurrency`
 * operations run, at most `queueLimit` wait, and the rest fail at once with a 503 the client can
 * retry, which is cheaper for everyone than a slow timeout.
 */
import { FSA_ERR_PASSWORD_BUSY } from '../errors/catalogue.js'

/** Counters of a {@link WorkQueue}: running now, waiting now, refused since creation. */
/** `ran`: tasks started since creation (hashes and verifications: what throttling saves). */
export interface QueueStats { active: number, waiting: number, rejected: number, ran: number }

/**
 * Run async tasks with at most `concurrency` at once, first come first served.
 *
 * @example
 *   const queue = new WorkQueue(2, 100)
 *   const digest = await queue.run(() => argon2.hash(pwd))   // FSA_ERR_PASSWORD_BUSY (503) when full
 */
export class WorkQueue {
  readonly concurrency: number
  readonly queueLimit: number
  #active = 0
  #rejected = 0
  #ran = 0
  // Array + head index: O(1) dequeue without shift(), compacted in #release().
  #waiting: Array<() => void> = []
  #head = 0

  /**
   * @param concurrency tasks running at once, at least 1
   * @param queueLimit tasks allowed to wait for a slot; 0 means none may wait
   */
  constructor (concurrency: number, queueLimit: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be an integer >= 1')
    if (!Number.isInteger(queueLimit) || queueLimit < 0) throw new RangeError('queueLimit must be an integer >= 0')
    this.concurrency = concurrency
    this.queueLimit = queueLimit
  }

  /** Run `task` when a slot is free; rejects with FSA_ERR_PASSWORD_BUSY when the waiting list is full. */
  async run<T> (task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.concurrency) {
      if (this.#waitingCount() >= this.queueLimit) {
        this.#rejected++
        throw new FSA_ERR_PASSWORD_BUSY()
      }
      // The slot is handed over by release(): #active stays counted across the hand-over.
      await new Promise<void>((resolve) => { this.#waiting.push(resolve) })
    } else {
      this.#active++
    }
    this.#ran++
    try {
      return await task()
    } finally {
      this.#release()
    }
  }

  /** Current counters (a snapshot). */
  stats (): QueueStats {
    return { active: this.#active, waiting: this.#waitingCount(), rejected: this.#rejected, ran: this.#ran }
  }

  #waitingCount (): number {
    return this.#waiting.length - this.#head
  }

  #release (): void {
    if (this.#head < this.#waiting.length) {
      const next = this.#waiting[this.#head] as () => void
      this.#head++
      // Under sustained load the list never drains: drop the consumed prefix now and then.
      if (this.#head === this.#waiting.length || this.#head >= 1024) {
        this.#waiting = this.#waiting.slice(this.#head)
        this.#head = 0
      }
      next()
    } else {
      this.#active--
    }
  }
}
