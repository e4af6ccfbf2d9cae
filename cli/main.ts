// The `zt` process: the only file that calls process.exit.
import { runCli } from './run.ts'

const controller = new AbortController()
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => controller.abort(new Error(`received ${sig}`)))
}

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
})
// Let pending stdout writes flush before exiting (pipes are async).
process.stdout.write('', () => process.exit(code))
