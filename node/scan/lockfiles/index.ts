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
// (parser.ts named) are found by one lookup of the name; of the others (parser.ts ruled),
// those placed before it are asked in turn (the first parser to claim a path has it), but
// only those whose test of the name alone passes. What that leaves is worked out once per
// file name: a tree's thousands of lockfiles have a few dozen names.
const byName = new Map<string, number>()
parsers.forEach((p, i) => { for (const name of (p.matches as { names?: readonly string[] }).names ?? []) if (!byName.has(name)) byName.set(name, i) })
const byRule = parsers.flatMap((p, i) => ('names' in p.matches ? [] : [i]))

/** For a file name: the parser claiming it by name (or none: parsers.length), and the rule parsers to ask first. */
interface NamePlan { named: number, rules: readonly LockfileParser[] }
const plans = new Map<string, NamePlan>()
/** File names planned at most (a scan for secrets offers every file, and names are many): then planned afresh. */
const MAX_PLANS = 50_000

const NO_RULES: readonly LockfileParser[] = Object.freeze([])

function planFor(name: string): NamePlan {
  const named = byName.get(name) ?? parsers.length
  const rules: LockfileParser[] = []
  for (const i of byRule) {
    if (i >= named) break
    const maybe = (parsers[i]!.matches as { maybe?: (name: string) => boolean }).maybe
    if (maybe === undefined || maybe(name)) rules.push(parsers[i]!)
  }
  return { named, rules: rules.length === 0 ? NO_RULES : rules }
}

/** The parser that claims a path (relative to the scan root), if any. */
export function parserFor(relPath: string): LockfileParser | undefined {
  const name = basename(relPath)
  let plan = plans.get(name)
  if (plan === undefined) {
    if (plans.size >= MAX_PLANS) plans.clear()
    plans.set(name, (plan = planFor(name)))
  }
  // An index loop: a rescan's first thousands of calls run before V8 optimizes this, and
  // there a for-of allocates and calls per step.
  for (let k = 0; k < plan.rules.length; k++) if (plan.rules[k]!.matches(relPath)) return plan.rules[k]
  return parsers[plan.named]
}

/** The name upstream fixtures list a package under: the source package for OS packages. */
export function comparableName(p: Package): string {
  return p.sourceName ?? p.name
}
