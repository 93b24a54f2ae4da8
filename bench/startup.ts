/**
 * Start-up cost (`npm run bench:startup`, and a section of `npm run bench`): how long a fresh
 * process takes to import the package and to start a token-only application, beside Fastify
 * alone. Each case runs in its own fresh `node` process, `runs` times, the cases interleaved
 * (A B C … A B C) so that a busy moment of the machine spreads over all of them; the figures are
 * the median, min and max of the time measured inside the child with `performance.now()` (Node's
 * own boot, the same for every case, is left out).
 *
 * The package is imported by its name (`fastify-simple-auth`, a self-reference resolved through
 * `exports`), so the built `dist/` is measured as a consumer loads it; `--source` measures the
 * TypeScript sources through tsx instead (slower: tsx compiles on the fly).
 *
 *   npm run bench:startup                 # 10 runs of each case on dist/ (run `npm run build` first)
 *   npm run bench:startup -- --runs=20 --source
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { median } from './load.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** One measured case: the ES module code a child runs; it prints the measured milliseconds. */
interface StartupCase { name: string, label: string, code: string }

/** The figures of one case, in ms. */
export interface StartupFigure { name: string, label: string, median: number, min: number, max: number, runs: number }

/** Every case of a run, and the goals checked against Fastify alone. */
export interface StartupResult {
  source: 'dist' | 'source'
  runs: number
  cases: StartupFigure[]
  /** Import of the main entry minus Fastify's import (goal: at most 60 ms). */
  importOverFastify: number
  /** Import + register + ready of the token-only app minus Fastify's (goal: at most 150 ms). */
  readyOverFastify: number
}

const SECRET = 'startup-bench-secret-of-32-chars!'

/** The cases; `entry(sub)` is how the child names a subpath of the package. */
function cases (entry: (sub: string) => string): StartupCase[] {
  const time = (body: string): string =>
    `const t0 = performance.now()\n${body}\nprocess.stdout.write(String(performance.now() - t0))`
  return [
    { name: 'fastify', label: 'import fastify', code: time("await import('fastify')") },
    { name: 'main', label: 'import fastify + main entry', code: time(`await import('fastify'); await import('${entry('')}')`) },
    { name: 'users', label: 'import fastify + main + ./users', code: time(`await import('fastify'); await import('${entry('')}'); await import('${entry('/users')}')`) },
    { name: 'docs', label: 'import fastify + main + ./docs', code: time(`await import('fastify'); await import('${entry('')}'); await import('${entry('/docs')}')`) },
    {
      name: 'fastify-ready',
      label: 'fastify: import, Fastify(), ready',
      code: time("const { default: Fastify } = await import('fastify')\nconst app = Fastify()\nawait app.ready()\nawait app.close()")
    },
    {
      name: 'token-ready',
      label: 'token-only app: import, register, one AUTH route, ready',
      code: time(`const { default: Fastify } = await import('fastify')
const { default: secure } = await import('${entry('')}')
const app = Fastify()
await app.register(secure, { auth: ['token', 'none'], token: { type: 'fsa', secret: '${SECRET}' } })
app.get('/me', { config: { authorize: 'AUTH' } }, async (req) => ({ user: req.user }))
await app.ready()
await app.close()`)
    }
  ]
}

/** Run `code` in a fresh process and return the milliseconds it printed. */
function runChild (code: string, source: boolean): number {
  const args = [...(source ? ['--import', 'tsx'] : []), '--input-type=module', '-e', code]
  const out = execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  const ms = Number(out.trim().split('\n').pop())
  if (!Number.isFinite(ms)) throw new Error(`the start-up child printed ${JSON.stringify(out)}`)
  return ms
}

/**
 * Measure every case `runs` times in fresh processes. With `source`, the package is loaded from
 * lib/ and plugins/ through tsx; otherwise from dist/ (which must have been built).
 */
export function measureStartup (runs = 10, source = false, onCase?: (label: string) => void): StartupResult {
  if (!source && !existsSync(join(ROOT, 'dist', 'lib', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (or pass --source)')
  const sourceFiles: Record<string, string> = { '': 'lib/index.ts', '/users': 'plugins/users.ts', '/docs': 'plugins/docs.ts' }
  const entry = (sub: string): string => source ? new URL(sourceFiles[sub] ?? '', new URL('..', import.meta.url)).href : `fastify-simple-auth${sub}`
  const list = cases(entry)
  const times = new Map<string, number[]>(list.map((c) => [c.name, []]))
  for (let i = 0; i < runs; i++) {
    onCase?.(`run ${i + 1}/${runs}`)
    for (const c of list) times.get(c.name)?.push(runChild(c.code, source))
  }
  const figures = list.map((c): StartupFigure => {
    const t = times.get(c.name) ?? []
    return { name: c.name, label: c.label, median: median(t), min: Math.min(...t), max: Math.max(...t), runs: t.length }
  })
  const med = (name: string): number => figures.find((f) => f.name === name)?.median ?? NaN
  return {
    source: source ? 'source' : 'dist',
    runs,
    cases: figures,
    importOverFastify: med('main') - med('fastify'),
    readyOverFastify: med('token-ready') - med('fastify-ready')
  }
}

/** The result as a Markdown table and the two goals. */
export function startupMarkdown (r: StartupResult): string {
  const f1 = (x: number): string => x.toFixed(1)
  const lines = [
    `### Start-up (${r.source === 'dist' ? 'built dist/' : 'sources through tsx'}, ${r.runs} fresh processes each, ms)`,
    '',
    '| case | median | min | max |',
    '|---|---:|---:|---:|',
    ...r.cases.map((c) => `| ${c.label} | ${f1(c.median)} | ${f1(c.min)} | ${f1(c.max)} |`),
    '',
    `Main entry over Fastify's import: ${f1(r.importOverFastify)} ms (goal ≤ 60, ${r.importOverFastify <= 60 ? 'met' : 'NOT met'}); ` +
      `token-only app over Fastify's register + ready: ${f1(r.readyOverFastify)} ms (goal ≤ 150, ${r.readyOverFastify <= 150 ? 'met' : 'NOT met'}).`
  ]
  return lines.join('\n')
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, source: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } })
  const result = measureStartup(Number(values.runs), values.source === true, (what) => process.stderr.write(`${what}\n`))
  console.log(values.json === true ? JSON.stringify(result, null, 2) : startupMarkdown(result))
}
