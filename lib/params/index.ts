/**
 * Schema-first parameters: the public surface of lib/params for the `secure` plugin and users.
 */
export { JsonData, JSON_KEYWORD, type JsonValue } from './json-data.js'
export { createParamLayer, FORM_PATTERN, type ParamLayer } from './layer.js'
export { readAppAjv, type AppAjvSettings } from './app-ajv.js'
export { compileRouteParams } from './route-params.js'
export { formatValidationError, schemaErrorFormatter } from './messages.js'
export type { ParamSettings } from './settings.js'
