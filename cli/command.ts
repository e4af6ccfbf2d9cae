// What a `zt` command is: a name path, its options for node:util parseArgs, and a run
// function taking parsed options plus the process context (never process.* directly).
import type { ParseArgsConfig } from 'node:util'
import type { Readable, Writable } from 'node:stream'
import { homedir } from 'node:os'
import { resolve } from 'node:path'
import { UsageError } from './errors.ts'

export interface CliContext {
  cwd: string
  env: Record<string, string | undefined>
  stdin: Readable & { isTTY?: boolean }
  stdout: Writable & { isTTY?: boolean }
  stderr: Writable & { isTTY?: boolean }
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); long-running commands await it. */
  signal: AbortSignal
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>

export interface Command {
  /** Words after `zt`, e.g. ['keys', 'sign-agent']. */
  path: string[]
  summary: string
  /** Usage line without the leading `zt <path>`, e.g. '--tenant T --agent PEERID'. */
  usage: string
  /** Longer help: one line per option. */
  help?: string[]
  options: OptionSpec
  /** Whether positional arguments are accepted. */
  positionals?: boolean
  run(opts: OptionValues, positionals: string[], ctx: CliContext): Promise<void>
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: OptionSpec = {
  home: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
}

export const GLOBAL_HELP = [
  '--home DIR    ZeroTrace home (env ZT_HOME, default ~/.zerotrace)',
  '--json        machine-readable output',
  '-h, --help    this help',
]

/** The home directory: --home, else ZT_HOME, else ~/.zerotrace. */
export function homeDir(opts: OptionValues, ctx: CliContext): string {
  const given = (opts.home as string | undefined) ?? ctx.env.ZT_HOME
  return given ? resolve(ctx.cwd, given) : resolve(homedir(), '.zerotrace')
}

/** Writes one line to stdout. */
export function println(ctx: CliContext, line = ''): void {
  ctx.stdout.write(line + '\n')
}

/** Writes a value as JSON (one document) to stdout. */
export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(JSON.stringify(value, null, 2) + '\n')
}

/** A string option the command cannot run without. */
export function requireString(opts: OptionValues, name: string): string {
  const v = opts[name]
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`)
  return v
}

/** A string option, or undefined. */
export function optionalString(opts: OptionValues, name: string): string | undefined {
  const v = opts[name]
  return typeof v === 'string' ? v : undefined
}
