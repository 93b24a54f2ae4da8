// Resolve hooks of test/helpers/resolve-seam.mjs (they run on Node's loader thread).
import { appendFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

let hide = []
let log
let delay

export function initialize (data) {
  hide = data.hide
  log = data.log
  delay = data.delay
}

const packageOf = (spec) => spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]
const isBare = (spec) => !/^(\.|\/|[a-z]+:)/i.test(spec)

export async function resolve (specifier, context, next) {
  if (isBare(specifier)) {
    if (log !== undefined) appendFileSync(log, packageOf(specifier) + '\n')
    // resolved from a directory with no node_modules: Node itself reports the package missing
    if (hide.includes(packageOf(specifier))) return next(specifier, { ...context, parentURL: 'file:///nonexistent/fsa-hidden-peer.mjs' })
  }
  return next(specifier, context)
}

// a slow disk or a busy machine: loading the module whose URL ends with delay.suffix takes delay.ms longer
export async function load (url, context, next) {
  if (delay !== undefined && url.endsWith(delay.suffix)) await sleep(delay.ms)
  return next(url, context)
}
