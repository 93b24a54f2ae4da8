/**
 * The `Mailer` interface: how the account routes send password-reset and confirmation mails.
 * Two implementations ship: {@link DevMailer} (development and tests: logs that a mail was sent,
 * keeps it in an in-memory outbox) and {@link SmtpMailer} (nodemailer over SMTP). Any object with
 * a `send` method fits, e.g. one posting to a mail API.
 */

/** One mail. `text` is required so every client can read it; `html` is an optional alternative. */
export interface MailMessage {
  /** Recipient address. */
  to: string
  subject: string
  text: string
  html?: string
}

/**
 * Sends mails. `send` resolves once the mail is accepted for delivery and rejects when it is not;
 * the account routes log the failure and still answer as if the mail had gone (their responses
 * must not reveal whether an account exists).
 *
 * @example
 *   const mailer: Mailer = { send: async (m) => { await api.post('/mails', m) } }
 */
export interface Mailer {
  send (message: MailMessage): Promise<void>
}
