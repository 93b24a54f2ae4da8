/**
 * The SMTP mailer, on nodemailer. Connection settings are nodemailer's SMTP transport options
 * (host, port, secure, auth, tls...); `from` is the sender of every mail.
 */
import nodemailer from 'nodemailer'
import type { Transporter } from 'nodemailer'
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js'
import type { MailMessage, Mailer } from './mailer.js'

/** Options of {@link SmtpMailer}: nodemailer SMTP options plus the sender. */
export interface SmtpMailerOptions extends SMTPTransport.Options {
  /** Sender address of every mail, e.g. `'Acme <no-reply@acme.example>'`. */
  from: string
}

/**
 * Send mails through an SMTP server. `send` rejects when the server refuses the mail or cannot
 * be reached; call `close()` on shutdown to release pooled connections.
 *
 * @example
 *   const mailer = new SmtpMailer({ host: 'smtp.acme.example', port: 587, auth: { user, pass }, from: 'no-reply@acme.example' })
 *   await app.register(users, { mailer })
 */
export class SmtpMailer implements Mailer {
  readonly #transport: Transporter<SMTPTransport.SentMessageInfo>
  readonly #from: string

  constructor (opts: SmtpMailerOptions) {
    const { from, ...smtp } = opts
    if (typeof from !== 'string' || from === '') throw new TypeError('SmtpMailer needs a "from" address')
    this.#from = from
    this.#transport = nodemailer.createTransport(smtp)
  }

  async send (message: MailMessage): Promise<void> {
    await this.#transport.sendMail({
      from: this.#from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html !== undefined ? { html: message.html } : {})
    })
  }

  /** Close pooled connections. */
  close (): void {
    this.#transport.close()
  }
}
