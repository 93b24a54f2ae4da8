/**
 * Group requirements. Each group is checked by `groupCheck[group](login)` when registered, else
 * by `userInGroup(login, group)`. Results are cached (kinds `c` and `g`) and must be booleans.
 * All listed groups must hold; the first missing one is named in the 403.
 */
import { FSA_ERR_AUTHZ_GROUP } from '../errors/catalogue.js'
import type { CacheLayer } from '../cache/layer.js'
import type { GroupCheckFn, MaybePromise, UserInGroupFn } from '../core/types.js'
import { callbackFailure, expectBoolean } from './check-result.js'

/** A cached, validated membership test of one group. */
export type MembershipTest = (login: string) => MaybePromise<boolean>

/** Settings the group checker is built from. */
export interface GroupSources {
  groupCheck: Record<string, GroupCheckFn>
  userInGroup: UserInGroupFn | undefined
  cache: CacheLayer
}

/** Build the membership test of `group`, or `undefined` when nothing can check it. */
export function membershipTest (group: string, src: GroupSources): MembershipTest | undefined {
  const byGroup = Object.prototype.hasOwnProperty.call(src.groupCheck, group) ? src.groupCheck[group] : undefined
  if (byGroup !== undefined) {
    const what = `group check for "${group}"`
    return (login) => src.cache.memo('groupCheck', group + '\0' + login, login, () => guard(what, () => byGroup(login)))
  }
  const inGroup = src.userInGroup
  if (inGroup !== undefined) {
    const what = `userInGroup for "${group}"`
    return (login) => src.cache.memo('group', login + '\0' + group, login, () => guard(what, () => inGroup(login, group)))
  }
  return undefined
}

function guard (what: string, fn: () => MaybePromise<boolean>): MaybePromise<boolean> {
  let r: MaybePromise<boolean>
  try { r = fn() } catch (e) { throw callbackFailure(what, e) }
  if (r instanceof Promise) return r.then((v) => expectBoolean(what, v), (e) => { throw callbackFailure(what, e) })
  return expectBoolean(what, r)
}

/**
 * Check that `login` is in every group, in order. Synchronous when every answer is cached
 * locally; throws (or rejects with) the 403 naming the first missing group.
 */
export function checkGroups (login: string, groups: readonly string[], tests: readonly MembershipTest[], i = 0): void | Promise<void> {
  for (; i < tests.length; i++) {
    const r = (tests[i] as MembershipTest)(login)
    if (r instanceof Promise) {
      const at = i
      return r.then((ok) => {
        if (!ok) throw new FSA_ERR_AUTHZ_GROUP(groups[at])
        return checkGroups(login, groups, tests, at + 1)
      })
    }
    if (!r) throw new FSA_ERR_AUTHZ_GROUP(groups[i])
  }
}
