// One step of a bench in a process of its own (its peak RSS its own): a script beside this
// one, run with this Node, whose last line of output is its figures as JSON; and the median
// of several.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

export function runStep<T = Record<string, number | string>>(script: string, args: string[], opts: { v8?: string[], env?: NodeJS.ProcessEnv } = {}): T {
  const out = execFileSync(process.execPath, [...(opts.v8 ?? []), join(import.meta.dirname, script), ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env: opts.env ?? process.env })
  return JSON.parse(out.trim().split('\n').pop()!) as T
}

/** The middle one of an odd number of runs, by `by` (bench:store's five writes, bench:scan's three rescans). */
export function medianBy<T>(xs: T[], by: (x: T) => number): T {
  return [...xs].sort((a, b) => by(a) - by(b))[xs.length >> 1]!
}
