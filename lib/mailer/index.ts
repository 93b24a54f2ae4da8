/** Mailers of the account routes: the interface, the development mailer and the SMTP mailer. */
export type { MailMessage, Mailer } from './mailer.js'
export { DevMailer } from './dev.js'
export type { DevMailerOptions, MailLog } from './dev.js'
export { SmtpMailer } from './smtp.js'
export type { SmtpMailerOptions } from './smtp.js'
