// Every parser, grouped by the ecosystems they serve. Each group exports its parsers, the
// fixture formats of ../shared/data it answers for, and its reasoned known differences.
import type { Package } from '../../../protocol/index.ts'
import { basename, type LockfileParser } from './parser.ts'
import * as javascript from './javascript/index.ts'
import * as python from './python/index.ts'
import * as ecosystems from './ecosystems/index.ts'
import * as os from './os/index.ts'

export type { LockfileParser, ParseContext } from './parser.ts'
export { LockfileError } from './parser.ts'

const groups = [javascript, python, ecosystems, os]

export const parsers: LockfileParser[] = groups.flatMap((g) => g.parsers)

/** `<fixture set>/<format dir or extractor>` → parser id, for the shared fixture suite. */
export const fixtureFormats: Record<string, string> = Object.assign({}, ...groups.map((g) => g.fixtureFormats))

/** `<set>/<fixture>#<test name>` → why our answer differs from upstream's on purpose. */
export const knownDifferences: Record<string, string> = Object.assign({}, ...groups.map((g) => g.knownDifferences))

// Every file of every walk is offered to the parsers: those that claim files by exact name
// (parser.ts named) are found by one lookup of the basename; the others are asked in turn,
// as far as the named one's place in the list (the first parser to claim a path has it).
const byName = new Map<string, number>()
parsers.forEach((p, i) => { for (const name of (p.matches as { names?: readonly string[] }).names ?? []) if (!byName.has(name)) byName.set(name, i) })
const byRule = parsers.flatMap((p, i) => ('names' in p.matches ? [] : [i]))

/** The parser that claims a path (relative to the scan root), if any. */
export function parserFor(relPath: string): LockfileParser | undefined {
  const named = byName.get(basename(relPath)) ?? parsers.length
  // An index loop: a rescan's first thousands of calls run before V8 optimizes this, and
  // there a for-of allocates and calls per step.
  for (let k = 0; k < byRule.length && byRule[k]! < named; k++) {
    const p = parsers[byRule[k]!]!
    if (p.matches(relPath)) return p
  }
  return parsers[named]
}

/** The name upstream fixtures list a package under: the source package for OS packages. */
export function comparableName(p: Package): string {
  return p.sourceName ?? p.name
}
