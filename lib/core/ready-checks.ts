/**
 * Start-up, last phase: once every route is compiled (`onReady`), what the audit of routes says
 * about the configuration. Routes without `config.authorize` are closed: a warning listing them,
 * or an error with `strict: true`. A group (`groupCheck` key, `groups` entry) or an `objectPerms`
 * domain that no route uses is a warning: a typo on either side, or dead configuration.
 */
import type { FastifyInstance } from 'fastify'
import { FSA_ERR_ROUTE_EARLY, FSA_ERR_ROUTE_UNDECLARED } from '../errors/catalogue.js'
import { FSAWRN_GROUP_UNUSED, FSAWRN_PERM_UNUSED, FSAWRN_ROUTE_EARLY, FSAWRN_ROUTE_UNDECLARED, warn, type Warning } from '../errors/warnings.js'
import { earlyRoutes } from './route-guard.js'
import type { RouteSecurityInfo } from './route-info.js'
import type { SecureOptions } from './types.js'

/**
 * `METHOD url` of the routes that declare nothing. Fastify's automatic HEAD twin of an undeclared
 * GET is the same route: listed once (prefixed plugins also get a '/prefix/' twin of '/prefix').
 */
export function undeclaredRoutes (audit: readonly RouteSecurityInfo[]): string[] {
  const bare = (url: string): string => url.length > 1 && url.endsWith('/') ? url.slice(0, -1) : url
  const gets = new Set(audit.filter((r) => r.undeclared && r.method === 'GET').map((r) => bare(r.url)))
  return audit.filter((r) => r.undeclared && !(r.method === 'HEAD' && gets.has(bare(r.url)))).map((r) => `${r.method} ${r.url}`)
}

/** Warnings for declared groups and permission domains that no route uses. */
export function unusedDeclarations (audit: readonly RouteSecurityInfo[], options: SecureOptions): Warning[] {
  const groups = new Set(audit.flatMap((r) => r.groups))
  const domains = new Set(audit.flatMap((r) => r.perms.map((p) => p.domain)))
  const declared: Array<[string, string]> = [
    ...Object.keys(options.groupCheck ?? {}).map((g): [string, string] => [g, 'groupCheck']),
    ...(options.groups ?? []).filter((g) => !Object.hasOwn(options.groupCheck ?? {}, g)).map((g): [string, string] => [g, 'groups'])
  ]
  return [
    ...declared.filter(([g]) => !groups.has(g)).map(([g, where]) => FSAWRN_GROUP_UNUSED(g, where)),
    ...Object.keys(options.objectPerms ?? {}).filter((d) => !domains.has(d)).map((d) => FSAWRN_PERM_UNUSED(d))
  ]
}

/** What the ready checks read: the compiled routes, and where to put the routes declared too early. */
export interface ReadyAudit {
  audit: readonly RouteSecurityInfo[]
  /** Filled at `onReady` with the routes of the server the plugin did not compile. */
  early: RouteSecurityInfo[]
  realm: string
}

/**
 * At `onReady`: routes declared before the plugin, then closed routes (a warning each, or with
 * `strict` an error after `release()` closed the resources, so the process can exit), then unused
 * declarations (warnings).
 */
export function installReadyChecks (fastify: FastifyInstance, ready: ReadyAudit, options: SecureOptions, release: () => Promise<void>): void {
  const { audit } = ready
  const refuse = async (error: Error): Promise<never> => { await release(); throw error }
  fastify.addHook('onReady', async () => {
    ready.early.push(...earlyRoutes(fastify, audit, ready.realm))
    const early = undeclaredRoutes(ready.early.map((r) => ({ ...r, undeclared: true })))
    if (early.length > 0) {
      if (options.strict === true) await refuse(new FSA_ERR_ROUTE_EARLY(early.join(', ')))
      warn(fastify.log, { ...FSAWRN_ROUTE_EARLY(early.length, early.join(', ')), details: { routes: early } })
    }
    const undeclared = undeclaredRoutes(audit)
    if (undeclared.length > 0) {
      if (options.strict === true) await refuse(new FSA_ERR_ROUTE_UNDECLARED(undeclared.join(', ')))
      const w = FSAWRN_ROUTE_UNDECLARED(undeclared.length, undeclared.join(', '))
      warn(fastify.log, { ...w, details: { routes: undeclared } })
    }
    for (const w of unusedDeclarations(audit, options)) warn(fastify.log, w)
  })
}
