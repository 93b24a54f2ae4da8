/**
 * The README's examples as tests run them: the first `ts` block under a heading, and a way to
 * load it as a module with the package's names pointing at the sources.
 */
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The repository root. */
export const root = join(import.meta.dirname, '..', '..')

/** The first ```ts block after `heading` in README.md. */
export function readmeExample (heading: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf(heading))
  const match = /```ts\n([\s\S]*?)```/.exec(section)
  assert.ok(match, `the README has a ts block under "${heading}"`)
  return match[1] as string
}

/** Write `code` under test/.tmp (git-ignored) as `name`-<pid>.ts and return its path. */
export function writeExample (name: string, code: string): string {
  const dir = join(root, 'test/.tmp')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${name}-${process.pid}.ts`)
  writeFileSync(file, code)
  return file
}
