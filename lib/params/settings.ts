/**
 * What the parameter layer needs from the plugin's options, resolved once at registration.
 */
import type { ErrorFormatter } from '../errors/format.js'

/** Parameter settings, resolved by the `secure` plugin from its options. */
export interface ParamSettings {
  /** Unexpected parameters are a 400 naming them (`rejectUnexpectedParam` option). @default true */
  rejectUnexpectedParam: boolean
  /**
   * Names exempt from the unexpected-parameter check and removed from `request.query` and
   * `request.body` once authentication has read them: the `param` scheme's user and password
   * parameters, the token parameter. A name a route declares in its schema is kept.
   * @default []
   */
  authParams: string[]
  /** Sends an error in the configured `errorResponse` format. */
  sendError: ErrorFormatter
}
