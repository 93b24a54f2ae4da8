// docs/tutorial.md shows the code of examples/acme, not a copy that could rot: every block between
// `<!-- include: FILE#REGION -->` and `<!-- /include -->` must be byte-identical to the lines
// between `// #region REGION` and `// #endregion` in FILE, and every region of the demo is shown.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'

const ROOT = new URL('..', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8')

interface Include { file: string, region: string, code: string, line: number }

const OPEN = /^<!-- include: (\S+)#([\w-]+) -->$/
const REGION = /^\s*\/\/ #region ([\w-]+)\s*$/
const END = /^\s*\/\/ #endregion\b/

/** The include blocks of a markdown text; a marker without its fenced block and closing marker throws. */
function includesOf (markdown: string): Include[] {
  const lines = markdown.split('\n')
  const out: Include[] = []
  for (let i = 0; i < lines.length; i++) {
    const m = OPEN.exec(lines[i] as string)
    if (m === null) continue
    const start = i + 1
    if (!/^```\w*$/.test(lines[start] ?? '')) throw new Error(`line ${start + 1}: an include marker must be followed by a fenced code block`)
    let end = start + 1
    while (end < lines.length && lines[end] !== '```') end++
    if (lines[end + 1] !== '<!-- /include -->') throw new Error(`line ${end + 2}: "<!-- /include -->" expected after the code block`)
    out.push({ file: m[1] as string, region: m[2] as string, code: lines.slice(start + 1, end).join('\n') + '\n', line: i + 1 })
    i = end + 1
  }
  return out
}

/** The regions of a source text by name, each once, with the lines strictly inside the markers. */
function regionsOf (source: string, file: string): Map<string, string> {
  const lines = source.split('\n')
  const regions = new Map<string, string>()
  for (let i = 0; i < lines.length; i++) {
    const m = REGION.exec(lines[i] as string)
    if (m === null) continue
    const name = m[1] as string
    if (regions.has(name)) throw new Error(`${file}: region "${name}" defined twice`)
    let end = i + 1
    while (end < lines.length && !END.test(lines[end] as string)) end++
    if (end === lines.length) throw new Error(`${file}: region "${name}" is never closed`)
    regions.set(name, lines.slice(i + 1, end).join('\n') + '\n')
  }
  return regions
}

/** Differences between the includes of `markdown` and the sources, one message each. */
function drift (markdown: string, source: (file: string) => string): string[] {
  const problems: string[] = []
  for (const inc of includesOf(markdown)) {
    const region = regionsOf(source(inc.file), inc.file).get(inc.region)
    if (region === undefined) problems.push(`line ${inc.line}: no region "${inc.region}" in ${inc.file}`)
    else if (region !== inc.code) problems.push(`line ${inc.line}: ${inc.file}#${inc.region} differs; the source says:\n${region}`)
  }
  return problems
}

const TUTORIAL = 'docs/tutorial.md'

test('every code block included in docs/tutorial.md is byte-identical to its region in the source', () => {
  const doc = read(TUTORIAL)
  assert.ok(includesOf(doc).length >= 10, 'the tutorial includes the demo code')
  assert.deepEqual(drift(doc, read), [])
})

test('every region of the acme demo is shown in the tutorial', () => {
  const shown = new Set(includesOf(read(TUTORIAL)).map((i) => `${i.file}#${i.region}`))
  const files = readdirSync(new URL('examples/acme/', ROOT)).filter((f) => f.endsWith('.ts')).map((f) => `examples/acme/${f}`)
  for (const file of files) {
    for (const name of regionsOf(read(file), file).keys()) assert.ok(shown.has(`${file}#${name}`), `${file}#${name} is not in ${TUTORIAL}`)
  }
})

test('the drift check reports an edited block, a missing region and malformed markers', () => {
  const source = 'a\n  // #region r\n  x = 1\n  // #endregion r\nb\n'
  const doc = (code: string, region = 'r'): string => `text\n<!-- include: f.ts#${region} -->\n\`\`\`ts\n${code}\`\`\`\n<!-- /include -->\n`
  assert.deepEqual(drift(doc('  x = 1\n'), () => source), [])
  assert.match(drift(doc('  x = 2\n'), () => source)[0] ?? '', /f\.ts#r differs/)
  assert.match(drift(doc('x = 1\n'), () => source)[0] ?? '', /differs/, 'indentation counts')
  assert.match(drift(doc('  x = 1\n', 'q'), () => source)[0] ?? '', /no region "q"/)
  assert.throws(() => includesOf('<!-- include: f.ts#r -->\nno fence\n'), /followed by a fenced code block/)
  assert.throws(() => includesOf('<!-- include: f.ts#r -->\n```ts\nx\n```\n'), /<!-- \/include -->/)
  assert.throws(() => regionsOf('// #region r\nx\n', 'f.ts'), /never closed/)
  assert.throws(() => regionsOf('// #region r\n// #endregion\n// #region r\n// #endregion\n', 'f.ts'), /defined twice/)
})
