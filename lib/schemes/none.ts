/**
 * `none`: no authentication. It is never tried on a request; enabling it is what allows routes to
 * be declared `'OPEN'` (as in FlaskSimpleAuth, an OPEN route needs `none` among its schemes).
 */
import type { SchemeFactory } from './scheme.js'

export const none: SchemeFactory = () => ({
  name: 'none',
  stage: 'request',
  challenge: () => undefined,
  authenticate: () => null
})
