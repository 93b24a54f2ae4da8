/**
 * What checking the plugin's options costs at start-up with each candidate checker, in fresh
 * processes (module loading dominates, so only a new process tells the truth): the checker's own
 * import, and its first check of a typical options object against the plugin's option schema.
 * Candidates: lib/options/check.ts (the one the plugin uses), TypeBox's `Value`, TypeBox's
 * `Compile`, and Ajv (which Fastify brings; it needs `type: 'function'` and the custom keywords
 * removed, so its figure is a lower bound). Also TypeBox's builder alone, which the option
 * schemas do not use (lib/options/schema.ts builds the same schemas).
 *
 *   npm run build && tsx bench/option-checkers.ts [rounds]     (prints a table, median per candidate)
 *
 * Child processes run compiled code from dist/ with plain node (no TypeScript loader in the way).
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const ROUNDS = Number(process.argv[2] ?? 10)
const root = new URL('..', import.meta.url).pathname

const OPTIONS = `{
  auth: ['token', 'basic', 'none'], realm: 'acme', getUserPass: () => null,
  token: { type: 'fsa', secret: 's'.repeat(40), delay: 10 }, cache: { ttl: 60 }, password: { minLength: 8, regex: ['[0-9]'] },
  groupCheck: { admin: () => true }, errorResponse: 'json:error'
}`

/** Each candidate: the import of the checker, then a check that must accept OPTIONS. */
const CANDIDATES: Record<string, { load: string, check: string }> = {
  'lib/options/check.ts': {
    load: "const { optionProblems } = await import('./dist/lib/options/check.js')",
    check: 'ok = optionProblems(schema, options).length === 0'
  },
  'typebox/value': {
    load: "const { Value } = await import('typebox/value')",
    check: 'ok = Value.Check(schema, options)'
  },
  'typebox/compile': {
    load: "const { Compile } = await import('typebox/compile')",
    check: 'ok = Compile(schema).Check(options)'
  },
  'ajv (schema without functions)': {
    load: "const { Ajv } = await import('ajv')",
    check: `const json = JSON.parse(JSON.stringify(schema, (k, v) => v && typeof v === 'object' && (v.type === 'function' || v.instanceOf) ? {} : k === 'expected' ? undefined : v))
    ok = new Ajv({ allErrors: true, strict: false }).compile(json)(JSON.parse(JSON.stringify(options)))`
  },
  'typebox builder only (not a checker)': {
    load: "await import('typebox')",
    check: 'ok = true'
  },
  'fastify itself (for scale)': {
    load: "await import('fastify')",
    check: 'ok = true'
  }
}

function once (c: { load: string, check: string }): { load: number, check: number } {
  const code = `
    const { SecureOptionsSchema: schema } = await import('./dist/lib/core/options.js')
    const options = ${OPTIONS}
    let ok = false
    const t0 = performance.now()
    ${c.load}
    const t1 = performance.now()
    ${c.check}
    const t2 = performance.now()
    if (!ok) throw new Error('the candidate refused valid options')
    process.stdout.write(JSON.stringify({ load: t1 - t0, check: t2 - t1 }))`
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' })) as { load: number, check: number }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number

if (!existsSync(new URL('../dist/lib/options/check.js', import.meta.url))) throw new Error('run npm run build first')
const results: Record<string, Array<{ load: number, check: number }>> = {}
for (let r = 0; r < ROUNDS; r++) {
  // interleaved, so that a busy moment of the machine weighs on every candidate alike
  for (const [name, c] of Object.entries(CANDIDATES)) (results[name] ??= []).push(once(c))
}
console.log(`median of ${ROUNDS} fresh processes (ms)`)
console.log('candidate'.padEnd(40), 'import'.padStart(8), 'first check'.padStart(12), 'total'.padStart(8))
for (const [name, runs] of Object.entries(results)) {
  const load = median(runs.map((x) => x.load))
  const check = median(runs.map((x) => x.check))
  const total = median(runs.map((x) => x.load + x.check))
  console.log(name.padEnd(40), load.toFixed(1).padStart(8), check.toFixed(1).padStart(12), total.toFixed(1).padStart(8))
}
