/**
 * A stack of disposers: each resource acquired at start-up pushes its own closing step, and the
 * stack closes them in reverse order, once, whatever fails. It is what lets a failed start-up
 * release everything it opened, so the process can exit (an open Redis or database connection
 * would keep it alive).
 */

/** Closes what was acquired, last first. */
export class DisposerStack {
  readonly #steps: Array<{ what: string, close: () => Promise<void> | void }> = []
  #disposed = false

  /** Register how to close `what`, which was just acquired. */
  defer (what: string, close: () => Promise<void> | void): void {
    this.#steps.push({ what, close })
  }

  /**
   * Close everything, last acquired first. Every step runs even when one fails; failures are
   * returned (the caller logs them) rather than thrown, so they never hide the error that made
   * start-up fail. A second call does nothing.
   */
  async dispose (): Promise<Array<{ what: string, error: unknown }>> {
    if (this.#disposed) return []
    this.#disposed = true
    const failures: Array<{ what: string, error: unknown }> = []
    for (const step of this.#steps.reverse()) {
      try {
        await step.close()
      } catch (error) {
        failures.push({ what: step.what, error })
      }
    }
    return failures
  }
}
