/**
 * Realms that fsa tokens cannot tell apart. An fsa token names its realm simplified
 * (`admin area` and `admin-area` are both `admin-area`, see tokens/fsa.ts), so a token of one realm
 * would be accepted on the other: two realms of one registration that simplify to the same token
 * realm are a start-up error. JWTs carry the realm as written (`aud`) and need no such check.
 */
import { FSA_ERR_ROUTE_REALM } from '../errors/catalogue.js'
import { simplifyRealm } from '../tokens/fsa.js'

/**
 * A check to call with every realm a route uses (`where`: `METHOD url`); throws
 * FSA_ERR_ROUTE_REALM when `realm` and another realm seen before are the same fsa token realm.
 * Does nothing unless `fsaTokens`.
 */
export function realmCollisionCheck (appRealm: string, fsaTokens: boolean): (realm: string, where: string) => void {
  const seen = new Map<string, string>([[simplifyRealm(appRealm), appRealm]])
  return (realm, where) => {
    if (!fsaTokens) return
    const token = simplifyRealm(realm)
    const other = seen.get(token)
    if (other === undefined) seen.set(token, realm)
    else if (other !== realm) throw new FSA_ERR_ROUTE_REALM(where, `"${realm}" and "${other}"`, token)
  }
}
