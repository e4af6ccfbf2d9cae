// npm start: ZeroTrace on embedded defaults. Imports the bundled demo advisories into the
// home's advisory DB when they are missing, then scans the demo tree, so a newcomer sees
// real findings at once. Respects ZT_HOME (default ~/.zerotrace).
import { join } from 'node:path'
import { runCli } from '../cli/run.ts'
import type { CliContext } from '../cli/command.ts'

const here = import.meta.dirname
const ctx: CliContext = { cwd: process.cwd(), env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, signal: new AbortController().signal }

const advisories = join(here, 'demo/advisories.jsonl')
const tree = join(here, 'demo/tree')
process.stdout.write(`ZeroTrace demo: importing the bundled advisories, then scanning ${tree}\n\n`)
const imported = await runCli(['db', 'import', advisories], ctx)
if (imported !== 0) process.exit(imported)
process.stdout.write('\n')
// Findings are the point of the demo, so exit 1 (findings present) is success here.
const code = await runCli(['scan', tree], ctx)
process.stdout.write('\nNext: zt scan <your project>, zt db import <OSV all.zip> (see README.md).\n')
process.exit(code === 1 ? 0 : code)
