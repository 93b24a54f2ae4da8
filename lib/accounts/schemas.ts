/**
 * TypeBox schemas shared by the account routes: they validate requests (a 400 naming the field)
 * and document requests and responses in the OpenAPI document.
 */
import { Type } from 'typebox'
// Types `summary` and `tags` in route schemas (OpenAPI metadata).
import type {} from '@fastify/swagger'

/**
 * A login: 1 to 255 characters, no control characters, no colon (RFC 7617: a user-id containing
 * a colon cannot be sent with HTTP Basic). The store applies the rest of the login rules on
 * creation (format, unassigned, space and compatibility characters: 400; see records.ts
 * checkLogin), which a JSON-schema pattern cannot express portably.
 */
export const Login = Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\x00-\\x1f\\x7f:]+$', description: 'login (no colon, no control characters)' })
/** An email address. */
export const Email = Type.String({ format: 'email', maxLength: 255, description: 'email address' })
/** A clear password; the quality rules of the secure plugin's `password` options apply on top. */
export const Password = Type.String({ minLength: 1, maxLength: 4096, description: 'password' })
/** A group name. */
export const GroupName = Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\x00-\\x1f\\x7f]+$', description: 'group name' })
/** An account token (reset or confirmation) as mailed. */
export const AccountToken = Type.String({ minLength: 1, maxLength: 2048, description: 'token from the mail' })

/** The JSON view of a user. */
export const UserSchema = Type.Object({
  login: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  confirmed: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastLoginIp: Type.Union([Type.String(), Type.Null()]),
  loginCount: Type.Integer(),
  groups: Type.Optional(Type.Array(Type.String()))
})

/** Custom data: any JSON object. */
export const DataSchema = Type.Object({}, { additionalProperties: true, description: 'custom JSON object' })

/** A response with no body. */
export const NoContent = Type.Null({ description: 'no content' })

/** A short acknowledgement. */
export const Message = Type.Object({ message: Type.String() })

/**
 * An error response (its body follows the secure plugin's `errorResponse` format); documents the
 * status in OpenAPI without constraining the body.
 */
export function ErrorDoc (description: string) {
  return Type.Unknown({ description })
}

/** The errors every admin route documents, for members of `adminGroup`. */
export function adminErrors (adminGroup: string) {
  return {
    401: ErrorDoc('not authenticated'),
    403: ErrorDoc(`not in group "${adminGroup}"`),
    503: ErrorDoc('user store unavailable')
  }
}
