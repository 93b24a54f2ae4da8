/**
 * `fsa`, the command-line tool of fastify-simple-auth: users, groups, tokens, hashes and
 * migrations on the store at `--db URL` (or FSA_DB_URL). `main(argv, io)` parses and dispatches
 * and resolves to the exit code: 0 success, 1 failure, 2 usage error.
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { Command, ParsedArgs } from './command.js'
import { describeError, exitCodeOf, UsageError } from './errors.js'
import { groupAddCommand, groupRemoveCommand } from './group-add.js'
import { groupListCommand, groupMembersCommand } from './group-members.js'
import { groupAddUserCommand, groupDelUserCommand } from './group-membership.js'
import { hashCommand } from './hash.js'
import type { CliIo } from './io.js'
import { processIo } from './io.js'
import { migrateCommand } from './migrate.js'
import { NOTIFY_OPTIONS } from './notify.js'
import { tokenCommand } from './token.js'
import { userActivateCommand, userDeactivateCommand } from './user-activate.js'
import { userAddCommand } from './user-add.js'
import { userListCommand } from './user-list.js'
import { userPasswdCommand } from './user-passwd.js'
import { userRemoveCommand } from './user-remove.js'
import { userShowCommand } from './user-show.js'

/** Every command, in help order. */
export const commands: readonly Command[] = [
  migrateCommand, userAddCommand, userListCommand, userShowCommand, userPasswdCommand, userActivateCommand,
  userDeactivateCommand, userRemoveCommand, groupAddCommand, groupRemoveCommand, groupListCommand,
  groupMembersCommand, groupAddUserCommand, groupDelUserCommand, tokenCommand, hashCommand
]

const COMMON = {
  db: { type: 'string' },
  schema: { type: 'string' },
  ...NOTIFY_OPTIONS,
  help: { type: 'boolean', short: 'h' }
} as const

/** The help text: every command's usage and summary, and the common options. */
export function helpText (): string {
  return [
    'usage: fsa COMMAND [ARGS] [--db URL] [--schema NAME] [--redis URL] [--redis-prefix PREFIX]',
    '',
    ...commands.map((c) => `  ${c.usage}\n      ${c.summary}`),
    '',
    'The database is --db URL or FSA_DB_URL: sqlite://path.db, sqlite::memory:, postgres://...',
    'PostgreSQL schema: --schema NAME or FSA_DB_SCHEMA. Passwords are prompted, or read from stdin.',
    'Changes reach running applications within their cache.userTtl (5 s by default); with --redis URL',
    '(or FSA_REDIS_URL) and --redis-prefix PREFIX (FSA_REDIS_PREFIX, default fsa:) at once, given the',
    'application\'s cache secret in FSA_CACHE_SECRET, or its token secret in FSA_TOKEN_SECRET.',
    'Exit codes: 0 success, 1 failure, 2 usage error.'
  ].join('\n')
}

function findCommand (argv: string[]): { command: Command, rest: string[] } {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ')
    const command = commands.find((c) => c.name === name)
    if (command !== undefined) return { command, rest: argv.slice(words) }
  }
  throw new UsageError(`unknown command "${argv.slice(0, 2).join(' ')}"`)
}

function parse (command: Command, rest: string[]): ParsedArgs & { help: boolean } {
  let parsed
  try {
    parsed = parseArgs({ args: rest, options: { ...COMMON, ...command.options }, allowPositionals: true, strict: true })
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
  const [min, max] = typeof command.positionals === 'number' ? [command.positionals, command.positionals] : command.positionals
  const n = parsed.positionals.length
  if (parsed.values.help !== true && (n < min || n > max)) {
    throw new UsageError(n < min ? 'missing argument' : `unexpected argument "${parsed.positionals[max] ?? ''}"`)
  }
  return { values: parsed.values, positionals: parsed.positionals, help: parsed.values.help === true }
}

/**
 * Run the CLI on `argv` (without `node` and the script) with the given streams.
 *
 * @example
 *   const code = await main(['user', 'list', '--db', 'sqlite://acme.db'], processIo())
 */
export async function main (argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout.write(helpText() + '\n')
    return argv.length === 0 ? 2 : 0
  }
  let command: Command | undefined
  try {
    const found = findCommand(argv)
    command = found.command
    const args = parse(command, found.rest)
    if (args.help) {
      io.stdout.write(`usage: ${command.usage}\n${command.summary}\n`)
      return 0
    }
    return await command.run(args, io)
  } catch (e) {
    const code = exitCodeOf(e)
    io.stderr.write(`fsa: ${describeError(e)}\n`)
    if (code === 2) io.stderr.write(command === undefined ? 'run "fsa --help" for the list of commands\n' : `usage: ${command.usage}\n`)
    return code
  }
}

/** Run with the process's arguments and streams and set the exit code. */
export async function runCli (): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), processIo())
}

// Run when executed directly (`node --import tsx lib/cli/main.ts ...`), not when imported.
const self = fileURLToPath(import.meta.url)
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === self) await runCli()
