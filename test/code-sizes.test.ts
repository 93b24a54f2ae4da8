// Small files with one concern and short functions are a rule of the codebase (STYLE.md): every file
// of lib/ and plugins/ stays under 250 lines and every function under 60. This test parses the
// sources with the TypeScript compiler (not regexes, so strings and comments cannot fool it) and
// names every offender.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

const MAX_FILE_LINES = 250
const MAX_FUNCTION_LINES = 60
const root = new URL('..', import.meta.url).pathname

function sources (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
}

/** Lines spanned by a node, from its first token (not its leading comments) to its end. */
function span (file: ts.SourceFile, node: ts.Node): number {
  const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line
  const end = file.getLineAndCharacterOfPosition(node.getEnd()).line
  return end - start + 1
}

function nameOf (file: ts.SourceFile, node: ts.FunctionLikeDeclaration): string {
  if (node.name !== undefined) return node.name.getText(file)
  const parent = node.parent
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText(file)
  return `(anonymous, line ${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1})`
}

/** Every function-like declaration of a file with its length in lines. */
function functions (path: string): Array<{ name: string, lines: number }> {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true)
  const out: Array<{ name: string, lines: number }> = []
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      out.push({ name: nameOf(file, node as ts.FunctionLikeDeclaration), lines: span(file, node) })
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return out
}

const files = [...sources(join(root, 'lib')), ...sources(join(root, 'plugins'))]

test('the size check sees the sources and measures functions', () => {
  assert.ok(files.length > 100, `only ${files.length} files found`)
  const services = functions(join(root, 'lib/core/services.ts'))
  assert.ok(services.length > 3 && services.every((f) => f.lines > 0))
})

test(`every file of lib/ and plugins/ has fewer than ${MAX_FILE_LINES} lines`, () => {
  const long = files
    .map((f) => ({ file: relative(root, f), lines: readFileSync(f, 'utf8').split('\n').length }))
    .filter((f) => f.lines >= MAX_FILE_LINES)
  assert.deepEqual(long, [])
})

test(`every function of lib/ and plugins/ has fewer than ${MAX_FUNCTION_LINES} lines`, () => {
  const long = files.flatMap((f) => functions(f)
    .filter((fn) => fn.lines >= MAX_FUNCTION_LINES)
    .map((fn) => `${relative(root, f)}: ${fn.name} (${fn.lines} lines)`))
  assert.deepEqual(long, [])
})
