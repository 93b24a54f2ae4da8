/**
 * The shape of a CLI command: its argument grammar as data (for node:util parseArgs and the
 * help text) and a `run` that turns parsed arguments into a call of the command's exported
 * action. Actions take plain values and the injected streams, so tests call them directly.
 */
import type { ParseArgsConfig } from 'node:util'
import type { CliIo } from './io.js'

/** Parsed arguments handed to {@link Command.run}. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>
  positionals: string[]
}

/** One `fsa` command. */
export interface Command {
  /** Words that select it, e.g. `user add`. */
  name: string
  /** One-line description for `fsa --help`. */
  summary: string
  /** Usage line, e.g. `fsa user add LOGIN [--email EMAIL]`. */
  usage: string
  /** Options besides the common `--db` and `--help`. */
  options: NonNullable<ParseArgsConfig['options']>
  /** Number of positional arguments: exact, or [min, max]. */
  positionals: number | [number, number]
  /** Run with parsed arguments; resolves to the exit code. */
  run (args: ParsedArgs, io: CliIo): Promise<number>
}

/** A string option's value, if given. */
export function str (args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name]
  return typeof v === 'string' ? v : undefined
}

/** A boolean option's value. */
export function flag (args: ParsedArgs, name: string): boolean {
  return args.values[name] === true
}
