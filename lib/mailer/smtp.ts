/**
 * The SMTP mailer, on nodemailer (an optional peer dependency, loaded at the first mail).
 * Connection settings are nodemailer's SMTP transport options (host, port, secure, auth, tls...);
 * `from` is the sender of every mail.
 */
import type { Transporter } from 'nodemailer'
import type { MailMessage, Mailer } from './mailer.js'
import { loadPeer, requirePeer } from '../core/peers.js'

const WHY = 'SmtpMailer'

/**
 * Options of {@link SmtpMailer}: the sender, and nodemailer's SMTP transport options, passed as
 * they are (the common ones are typed here so that the public types do not need nodemailer's).
 */
export interface SmtpMailerOptions {
  /** Sender address of every mail, e.g. `'Acme <no-reply@acme.example>'`. */
  from: string
  host?: string
  /** @default 587, or 465 with `secure` */
  port?: number
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. @default false */
  secure?: boolean
  /** Never use STARTTLS, even when the server offers it. */
  ignoreTLS?: boolean
  /** Refuse to send unless STARTTLS succeeds. */
  requireTLS?: boolean
  auth?: { user: string, pass: string } | Record<string, unknown>
  /** Node TLS options (`rejectUnauthorized`, `servername`, `ca`...). */
  tls?: Record<string, unknown>
  /** Keep a pool of connections. */
  pool?: boolean
  /** Milliseconds to wait for the connection. */
  connectionTimeout?: number
  /** Any other nodemailer SMTP transport option. */
  [option: string]: unknown
}

/**
 * Send mails through an SMTP server. `send` rejects when the server refuses the mail or cannot
 * be reached; call `close()` on shutdown to release pooled connections. The constructor throws
 * FSA_ERR_OPT_PEER_MISSING when nodemailer is not installed.
 *
 * @example
 *   const mailer = new SmtpMailer({ host: 'smtp.acme.example', port: 587, auth: { user, pass }, from: 'no-reply@acme.example' })
 *   await app.register(users, { mailer })
 */
export class SmtpMailer implements Mailer {
  readonly #smtp: Record<string, unknown>
  readonly #from: string
  #transport: Promise<Transporter> | undefined

  constructor (opts: SmtpMailerOptions) {
    const { from, ...smtp } = opts
    if (typeof from !== 'string' || from === '') throw new TypeError('SmtpMailer needs a "from" address')
    requirePeer('nodemailer', WHY)
    this.#from = from
    this.#smtp = smtp
  }

  /** The transport, created with the first mail. */
  #transporter (): Promise<Transporter> {
    this.#transport ??= loadPeer('nodemailer', WHY, () => import('nodemailer')).then(({ default: nodemailer }) => nodemailer.createTransport(this.#smtp))
    return this.#transport
  }

  async send (message: MailMessage): Promise<void> {
    const transport = await this.#transporter()
    await transport.sendMail({
      from: this.#from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html !== undefined ? { html: message.html } : {})
    })
  }

  /** Close pooled connections. */
  close (): void {
    this.#transport?.then((t) => t.close(), () => {})
  }
}
