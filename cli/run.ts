// Dispatches argv to a command and maps every outcome to an exit code, in one place:
// 0 ok, 1 a check failed, 2 usage or runtime error (one line; the stack only with ZT_DEBUG=1).
import { parseArgs } from 'node:util'
import { GLOBAL_HELP, GLOBAL_OPTIONS, type CliContext, type Command } from './command.ts'
import { CheckFailed, UsageError } from './errors.ts'
import { commands } from './commands/index.ts'

export const EXIT_OK = 0
export const EXIT_CHECK_FAILED = 1
export const EXIT_ERROR = 2

function findCommand(words: string[]): { command?: Command, depth: number } {
  let best: Command | undefined
  for (const c of commands) {
    if (c.path.length <= words.length && c.path.every((w, i) => words[i] === w)) {
      if (!best || c.path.length > best.path.length) best = c
    }
  }
  return { command: best, depth: best?.path.length ?? 0 }
}

function commandList(prefix: string[]): string[] {
  const matching = commands.filter((c) => prefix.every((w, i) => c.path[i] === w))
  const width = Math.max(...matching.map((c) => c.path.join(' ').length))
  return matching.map((c) => `  zt ${c.path.join(' ').padEnd(width)}  ${c.summary}`)
}

function usageOf(c: Command): string {
  return `usage: zt ${c.path.join(' ')} ${c.usage}`.trimEnd()
}

function helpOf(c: Command): string {
  return [c.summary, '', usageOf(c), '', ...(c.help ?? []).map((l) => '  ' + l), ...GLOBAL_HELP.map((l) => '  ' + l)].join('\n')
}

/** Runs one `zt` invocation; never throws, never exits. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const words: string[] = []
  for (const a of argv) { if (a.startsWith('-')) break; words.push(a) }
  const { command, depth } = findCommand(words)
  if (!command) {
    const group = words.length > 0 ? commandList(words.slice(0, 1)) : []
    const wantsHelp = argv.includes('--help') || argv.includes('-h')
    if (words.length === 0 || (words.length === 1 && group.length > 0)) {
      const text = ['ZeroTrace: vulnerability, secret and configuration scanning as a peer mesh.', '',
        'commands:', ...(group.length > 0 ? group : commandList([])), '', 'Run zt <command> --help for its options.', '']
      ;(wantsHelp ? ctx.stdout : ctx.stderr).write(text.join('\n'))
      return wantsHelp ? EXIT_OK : EXIT_ERROR
    }
    ctx.stderr.write(`zt: unknown command '${words.join(' ')}'; run zt --help\n`)
    return EXIT_ERROR
  }
  try {
    let parsed
    try {
      parsed = parseArgs({
        args: argv.slice(depth),
        options: { ...GLOBAL_OPTIONS, ...command.options },
        allowPositionals: true,
        strict: true,
      })
    } catch (err) {
      throw new UsageError((err as Error).message.replace(/\. To specify a positional.*$/s, ''))
    }
    if (parsed.values.help) {
      ctx.stdout.write(helpOf(command) + '\n')
      return EXIT_OK
    }
    if (!command.positionals && parsed.positionals.length > 0) {
      throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`)
    }
    await command.run(parsed.values, parsed.positionals, ctx)
    return EXIT_OK
  } catch (err) {
    return reportError(err, command, ctx)
  }
}

function reportError(err: unknown, command: Command, ctx: CliContext): number {
  const debug = ctx.env.ZT_DEBUG === '1'
  if (debug && err instanceof Error) ctx.stderr.write((err.stack ?? String(err)) + '\n')
  if (err instanceof CheckFailed) {
    if (!debug) ctx.stderr.write(`zt ${command.path.join(' ')}: ${err.message}\n`)
    return EXIT_CHECK_FAILED
  }
  if (err instanceof UsageError) {
    ctx.stderr.write(`zt ${command.path.join(' ')}: ${err.message}\n${usageOf(command)}\n`)
    return EXIT_ERROR
  }
  const e = err as { message?: string, code?: unknown }
  const message = (e?.message ?? String(err)).split('\n')[0]
  const code = typeof e?.code === 'string' ? ` (${e.code})` : ''
  if (!debug) ctx.stderr.write(`zt ${command.path.join(' ')}: ${message}${code}\n`)
  return EXIT_ERROR
}
