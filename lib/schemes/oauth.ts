/**
 * `oauth`: a JWT whose `scope` claim is checked against the route's `authorize` (read as scopes,
 * not groups). It shares the token factory; it needs JWT tokens, and routes get it only when they
 * ask for it (`config.auth: 'oauth'`), since scopes and groups cannot mix on a route.
 */
import { TokenOptionsSchema } from '../tokens/options.js'
import { createTokenScheme, DEFAULT_TOKEN, tokenSecurityScheme, tokenStage } from './token.js'
import type { SchemeDefinition } from './scheme.js'

export const oauth: SchemeDefinition = {
  name: 'oauth',
  stage: tokenStage,
  option: { key: 'token', schema: TokenOptionsSchema },
  needs: { tokens: true, jwt: true },
  optIn: true,
  create: createTokenScheme,
  credentialParams: (s) => s.token?.carrier === 'param' ? [s.token.name] : [],
  openapi: {
    name: 'oauth',
    scheme: (s) => tokenSecurityScheme({ ...(s.token ?? DEFAULT_TOKEN), type: 'jwt' }, 'A JWT whose scopes are checked against each operation (see x-fsa-authorize).')
  }
}
