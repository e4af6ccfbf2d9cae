// The `zt` process: the only file that calls process.exit. bin/zt.js calls main(); importing
// this file runs nothing (cli/compile-ahead.ts compiles it without running it).
import { runCli } from './run.ts'

export async function main(argv: string[]): Promise<void> {
  const controller = new AbortController()
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => controller.abort(new Error(`received ${sig}`)))
  }

  const code = await runCli(argv, {
    cwd: process.cwd(),
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
  })
  // Let pending stdout writes flush before exiting (pipes are async).
  process.stdout.write('', () => process.exit(code))
}
