/**
 * `none`: no authentication. It is never tried on a request; enabling it is what allows routes to
 * be declared `'OPEN'` (as in FlaskSimpleAuth, an OPEN route needs `none` among its schemes).
 */
import type { SchemeDefinition } from './scheme.js'

export const none: SchemeDefinition = {
  name: 'none',
  stage: 'request',
  create: () => ({
    challenge: () => undefined,
    authenticate: () => null
  })
}
