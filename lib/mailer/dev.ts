/**
 * The development mailer: nothing leaves the process. A reset or confirmation link in a mail IS
 * a credential, so the log line says only that a mail was sent, to whom and with which subject;
 * the body stays in `outbox`, where tests (and a developer in a REPL) read it.
 */
import type { MailMessage, Mailer } from './mailer.js'

/** What the dev mailer logs through: any pino-like logger (`fastify.log`). */
export interface MailLog {
  info (obj: object, msg?: string): void
}

/** Options of {@link DevMailer}. */
export interface DevMailerOptions {
  /** Where to log "mail sent". @default no logging */
  log?: MailLog
  /** Keep at most this many mails, dropping the oldest. @default 100 */
  max?: number
}

/**
 * A mailer that logs and keeps mails in memory.
 *
 * @example
 *   const mailer = new DevMailer({ log: app.log })
 *   await app.register(users, { mailer })
 *   // ... POST /auth/password/forgot ...
 *   const link = mailer.last('calvin@example.com')?.text
 */
export class DevMailer implements Mailer {
  /** Sent mails, oldest first. */
  readonly outbox: MailMessage[] = []
  readonly #log: MailLog | undefined
  readonly #max: number

  constructor (opts: DevMailerOptions = {}) {
    this.#log = opts.log
    this.#max = opts.max ?? 100
  }

  async send (message: MailMessage): Promise<void> {
    this.outbox.push({ ...message })
    while (this.outbox.length > this.#max) this.outbox.shift()
    this.#log?.info({ to: message.to, subject: message.subject }, 'mail sent (dev mailer, body kept in the outbox)')
  }

  /** The last mail sent to `to` (any recipient when omitted), or `undefined`. */
  last (to?: string): MailMessage | undefined {
    for (let i = this.outbox.length - 1; i >= 0; i--) {
      const m = this.outbox[i] as MailMessage
      if (to === undefined || m.to === to) return m
    }
    return undefined
  }

  /** Empty the outbox. */
  clear (): void {
    this.outbox.length = 0
  }
}
