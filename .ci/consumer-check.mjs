#!/usr/bin/env node
/**
 * The consumer check: is the package usable by someone else's application, as npm delivers it?
 *
 * 1. `npm pack` the package (the `prepare` script builds dist/ first) into a temporary directory.
 * 2. Walk the type declarations reachable from every entry of `exports` in the packed package and
 *    fail when one imports an optional peer dependency (a consumer without it could not type-check).
 * 3. For every fixture under .ci/consumer/<name>/ (or the names given): copy it into the temporary
 *    directory, add the tarball as the `fastify-simple-auth` dependency, `npm install`, type-check
 *    `app.ts` with its own tsconfig.json (`strict`, no `skipLibCheck`) and emit it, run it with
 *    node, and compare its standard output with `expected.txt`.
 *
 * A fixture is a directory with package.json (its own dependencies: `fastify`, `typescript`,
 * `@types/node`, and whatever it registers beside the plugin), tsconfig.json (emitting to `out/`),
 * app.ts and expected.txt.
 *
 * Options: `--sizes` also measures the installed size of an application with only fastify and the
 * package, then with every optional peer added; `--keep` leaves the temporary directory in place.
 * Needs the npm registry (or its cache) and nothing else; removes what it created.
 *
 *   node .ci/consumer-check.mjs              # every fixture
 *   node .ci/consumer-check.mjs basic --sizes
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const FIXTURES = join(ROOT, '.ci', 'consumer')
const args = process.argv.slice(2)
const flags = new Set(args.filter((a) => a.startsWith('--')))
const names = args.filter((a) => !a.startsWith('--'))
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const optionalPeers = Object.keys(pkg.peerDependenciesMeta ?? {}).filter((n) => pkg.peerDependenciesMeta[n].optional === true)

const log = (msg) => process.stderr.write(`consumer-check: ${msg}\n`)
const NPM_QUIET = ['--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline']

/** Run a command, its output shown only when it fails. */
function run (cmd, argv, cwd) {
  try {
    return execFileSync(cmd, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 })
  } catch (e) {
    throw new Error(`${cmd} ${argv.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}${e.stderr ?? ''}`)
  }
}

/** The module specifiers a declaration file imports (comments stripped first). */
function importsOf (text) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1')
  const found = []
  for (const m of code.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s+['"]([^'"]+)['"]|\/\/\/\s*<reference\s+types=['"]([^'"]+)['"]/g)) {
    found.push(m[1] ?? m[2] ?? m[3] ?? m[4])
  }
  // triple-slash references live in comments: look for them in the original text
  for (const m of text.matchAll(/\/\/\/\s*<reference\s+types=['"]([^'"]+)['"]/g)) found.push(m[1])
  return found
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`). */
const packageOf = (spec) => spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]

/**
 * Every declaration file reachable from the `types` of each export of the installed package, and
 * the optional peers any of them imports: none is allowed.
 */
function checkDeclarations (pkgDir) {
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
  const queue = Object.values(manifest.exports).flatMap((e) => typeof e === 'object' && e.types !== undefined ? [join(pkgDir, e.types)] : [])
  const seen = new Set()
  const leaks = []
  while (queue.length > 0) {
    const file = queue.pop()
    if (seen.has(file)) continue
    seen.add(file)
    if (!existsSync(file)) throw new Error(`declaration file missing from the package: ${file}`)
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec.replace(/\.js$/, '.d.ts')))
      else if (optionalPeers.includes(packageOf(spec))) leaks.push(`${file.slice(pkgDir.length + 1)} imports ${spec}`)
    }
  }
  if (leaks.length > 0) throw new Error(`public type declarations import optional peers:\n  ${leaks.join('\n  ')}`)
  return seen.size
}

/** Install `deps` (name → range) into a new application directory. */
function installApp (dir, manifest) {
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n')
  run('npm', ['install', ...NPM_QUIET], dir)
}

/** Bytes under `dir` (what `du -sb` says). */
const sizeOf = (dir) => Number(run('du', ['-sb', dir], dirname(dir)).split('\t')[0])
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`

function checkFixture (name, tarball, work) {
  const dir = join(work, name)
  cpSync(join(FIXTURES, name), dir, { recursive: true })
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  manifest.dependencies = { ...manifest.dependencies, 'fastify-simple-auth': `file:${tarball}` }
  log(`${name}: npm install`)
  installApp(dir, manifest)
  const files = checkDeclarations(join(dir, 'node_modules', 'fastify-simple-auth'))
  log(`${name}: ${files} declaration files reachable from the entries, no optional peer among their imports`)
  log(`${name}: tsc (strict, no skipLibCheck)`)
  run(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], dir)
  const out = run(process.execPath, [join(dir, 'out', 'app.js')], dir)
  const expected = readFileSync(join(dir, 'expected.txt'), 'utf8')
  if (out.trim() !== expected.trim()) throw new Error(`${name}: unexpected output\n--- expected\n${expected}\n--- got\n${out}`)
  log(`${name}: ok (${out.trim().split('\n').length} lines as expected)`)
}

function measureSizes (tarball, work) {
  const dir = join(work, 'sizes')
  cpSync(join(FIXTURES, 'basic'), dir, { recursive: true }) // only for a realistic layout
  rmSync(join(dir, 'node_modules'), { recursive: true, force: true })
  const base = { name: 'fsa-consumer-sizes', private: true, type: 'module', dependencies: { fastify: pkg.peerDependencies.fastify, 'fastify-simple-auth': `file:${tarball}` } }
  installApp(dir, base)
  const bare = sizeOf(join(dir, 'node_modules'))
  log(`fastify + fastify-simple-auth: ${mb(bare)} installed; adding every optional peer`)
  const peers = Object.fromEntries(optionalPeers.map((n) => [n, pkg.peerDependencies[n]]))
  installApp(dir, { ...base, dependencies: { ...base.dependencies, ...peers } })
  const full = sizeOf(join(dir, 'node_modules'))
  const tgz = statSync(tarball).size
  process.stdout.write(`installed size (du -sb node_modules): fastify + fastify-simple-auth ${mb(bare)}; with every optional peer (${optionalPeers.join(', ')}) ${mb(full)}; tarball ${(tgz / 1e3).toFixed(0)} kB\n`)
}

const work = mkdtempSync(join(tmpdir(), 'fsa-consumer-'))
try {
  const fixtures = names.length > 0 ? names : readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
  if (fixtures.length === 0) throw new Error(`no fixture under ${FIXTURES}`)
  log('npm pack (builds through the prepare script)')
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work, '--loglevel=error'], ROOT))
  const tarball = join(work, packed[0].filename)
  const shipped = packed[0].files.map((f) => f.path)
  for (const needed of ['dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/testing/index.js', 'dist/plugins/users.js', 'dist/plugins/docs.js', 'bin/fsa.js']) {
    if (!shipped.includes(needed)) throw new Error(`the packed package lacks ${needed}`)
  }
  log(`packed ${packed[0].filename}: ${shipped.length} files, ${(packed[0].size / 1e3).toFixed(0)} kB`)
  for (const name of fixtures) checkFixture(name, tarball, work)
  if (flags.has('--sizes')) measureSizes(tarball, work)
  log(`${fixtures.length} fixture(s) passed`)
} catch (e) {
  process.stderr.write(`consumer-check: FAILED: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exitCode = 1
} finally {
  if (flags.has('--keep')) log(`kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}
