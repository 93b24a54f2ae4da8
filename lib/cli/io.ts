/**
 * The CLI's streams, injected so commands are testable without a subprocess, and password
 * input: a no-echo prompt on a terminal, the first line of stdin otherwise. Passwords never come
 * from argv, where `ps` and shell history would show them.
 */
import type { Readable, Writable } from 'node:stream'
import { CliFailure } from './errors.js'

/** Standard streams and environment of one CLI run. */
export interface CliIo {
  stdin: Readable & { isTTY?: boolean, setRawMode?: (raw: boolean) => unknown }
  stdout: Writable
  stderr: Writable
  env: Record<string, string | undefined>
}

/** The real process streams. */
export function processIo (): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }
}

/** Write one line to stdout. */
export function say (io: CliIo, line: string): void {
  io.stdout.write(line + '\n')
}

/** The first line of a non-interactive stdin (without its line ending). */
async function readLine (stdin: Readable): Promise<string> {
  let text = ''
  for await (const chunk of stdin) {
    text += String(chunk)
    const nl = text.indexOf('\n')
    if (nl >= 0) return text.slice(0, nl).replace(/\r$/, '')
  }
  return text.replace(/\r$/, '')
}

/** Read keystrokes in raw mode without echo until Enter; Ctrl-C or Ctrl-D cancel. */
async function promptHidden (io: CliIo, prompt: string): Promise<string> {
  io.stderr.write(prompt)
  io.stdin.setRawMode?.(true)
  io.stdin.resume()
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = ''
      const onData = (chunk: Buffer | string) => {
        for (const ch of String(chunk)) {
          if (ch === '\r' || ch === '\n') { done(); resolve(value); return }
          if (ch === '\u0003' || ch === '\u0004') { done(); reject(new CliFailure('cancelled')); return }
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
          else value += ch
        }
      }
      const done = () => { io.stdin.off('data', onData); io.stdin.pause() }
      io.stdin.on('data', onData)
    })
  } finally {
    io.stdin.setRawMode?.(false)
    io.stderr.write('\n')
  }
}

/**
 * Read a password: prompted twice on a terminal (`confirm`), else the first line of stdin.
 * An empty password is a failure.
 *
 * @example
 *   const password = await readPassword(io, { confirm: true })
 */
export async function readPassword (io: CliIo, opts: { confirm?: boolean } = {}): Promise<string> {
  let password: string
  if (io.stdin.isTTY === true) {
    password = await promptHidden(io, 'Password: ')
    if (opts.confirm === true && await promptHidden(io, 'Password (again): ') !== password) {
      throw new CliFailure('passwords do not match')
    }
  } else {
    password = await readLine(io.stdin)
  }
  if (password === '') throw new CliFailure('empty password')
  return password
}
