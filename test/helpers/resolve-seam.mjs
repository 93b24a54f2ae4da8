// A module-resolution seam for the packaging tests, loaded with `node --import` in a child
// process: packages named in FSA_TEST_HIDE (comma-separated) resolve as if they were not
// installed (Node's own ERR_MODULE_NOT_FOUND); every bare specifier resolved, by `import` or
// `require`, is appended to the file FSA_TEST_RESOLVED, so a test can tell which packages a step
// loaded; FSA_TEST_DELAY=<url suffix>:<ms> makes loading that module slower.
import { appendFileSync } from 'node:fs'
import Module, { register } from 'node:module'
import process from 'node:process'

const log = process.env.FSA_TEST_RESOLVED
const delayOf = (spec) => {
  const m = /^(.+):(\d+)$/.exec(spec ?? '')
  return m === null ? undefined : { suffix: m[1], ms: Number(m[2]) }
}
register('./resolve-seam-hooks.mjs', {
  parentURL: import.meta.url,
  data: {
    hide: (process.env.FSA_TEST_HIDE ?? '').split(',').filter((s) => s !== ''),
    log,
    delay: delayOf(process.env.FSA_TEST_DELAY)
  }
})

// require() does not go through the resolve hooks on Node 20: log its bare specifiers here
if (log !== undefined) {
  const load = Module._load
  Module._load = function (request, ...rest) {
    if (!/^(\.|\/|[a-z]+:)/i.test(request) && !Module.isBuiltin(request)) {
      appendFileSync(log, (request.startsWith('@') ? request.split('/').slice(0, 2).join('/') : request.split('/')[0]) + '\n')
    }
    return load.call(this, request, ...rest)
  }
}
