// Every `curl` command of docs/tutorial.md, run in order against the real demo server, answers
// the status code its `# NNN` comment promises (skipped when curl or bash is not installed).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { start } from '../examples/acme/server.js'

const CHEAP = { memoryCost: 64, timeCost: 1, allowWeak: true }

function has (command: string): boolean {
  try { execFileSync(command, ['--version'], { stdio: 'ignore' }); return true } catch { return false }
}

/** A bash script printing one status per `# NNN` command, and the statuses expected. */
function scriptOf (markdown: string, base: string): { script: string, expected: string[], commands: string[] } {
  const lines = markdown.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim())
  const out: string[] = ['set -u']
  const expected: string[] = []
  const commands: string[] = []
  for (const line of lines) {
    const m = /^(curl -si .*?)\s+# (\d{3})\b/.exec(line)
    if (m !== null) {
      const command = (m[1] as string).replace('curl -si', "curl -s -o /dev/null -w '%{http_code}'")
      out.push(`printf '%s\\n' "$(${command.replaceAll('http://127.0.0.1:3000', base)})"`)
      expected.push(m[2] as string)
      commands.push(m[1] as string)
    } else if (/^[A-Z]+=\$\(curl /.test(line)) {
      out.push(line.replaceAll('http://127.0.0.1:3000', base))
    }
  }
  return { script: out.join('\n'), expected, commands }
}

test('every curl command of the tutorial gives the status it announces', { skip: !has('curl') || !has('bash') ? 'curl or bash not installed' : false }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'acme-curl-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const { app, url } = await start({ port: 0, env: {}, db: 'sqlite://' + join(dir, 'acme.db'), adminPassword: 'Acme1', hashing: CHEAP, logger: false, print: () => {} })
  t.after(() => app.close())
  const { script, expected, commands } = scriptOf(readFileSync(new URL('../docs/tutorial.md', import.meta.url), 'utf8'), url)
  assert.ok(expected.length >= 30, 'the tutorial shows its requests')
  // asynchronous: the server answers from this very process
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('bash', ['-c', script], { env: { PATH: process.env.PATH, ACME_PASS: 'Acme1' } }, (e, out) => e !== null ? reject(e) : resolve(out))
  })
  const got = stdout.trim().split('\n')
  assert.deepEqual(got.map((status, i) => `${status} ${commands[i]}`), expected.map((status, i) => `${status} ${commands[i]}`))
})
