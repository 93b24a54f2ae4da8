#!/usr/bin/env node
// The `fsa` launcher: the compiled CLI when the package is built (dist/), otherwise the
// TypeScript sources through tsx (a development checkout).
import { existsSync } from 'node:fs'
import { URL } from 'node:url'

const built = new URL('../dist/lib/cli/main.js', import.meta.url)
if (existsSync(built)) {
  const { runCli } = await import(built.href)
  await runCli()
} else {
  const { register } = await import('tsx/esm/api')
  register()
  const { runCli } = await import(new URL('../lib/cli/main.ts', import.meta.url).href)
  await runCli()
}
