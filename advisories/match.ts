// Does an OSV record affect a package? Per the schema's evaluation: a withdrawn record
// affects nothing; otherwise some `affected` entry must name the package — its ecosystem
// covering the package's (ecosystem-scope.ts) and its name equal under normalizeName —
// and list the version in `versions[]` or hold it in a SEMVER or ECOSYSTEM range.
// SEMVER ranges order by SemVer 2.0 whatever the ecosystem (Go's by Go's reading of it);
// ECOSYSTEM ranges by the ecosystem's comparator, and are skipped where there is none.
// GIT ranges hold commits, not versions, and take no part here.
// OS packages match on their source package, which distributions publish advisories for.
import { baseEcosystem, normalizeName, type Package } from '../protocol/index.ts'
import type { OsvAffected, OsvRange, OsvRecord } from './osv.ts'
import { evaluateRange, nextFix, prepareRange } from './range-evaluation.ts'
import { comparatorFor, goSemver, semver, type ParsedVersion, type VersionComparator } from './versions/index.ts'
import { ecosystemCovers } from './ecosystem-scope.ts'

export interface AffectedMatch {
  /**
   * Versions that fix it for this package: the `fixed` events ending the intervals its
   * version falls in, or, when it is affected only by being listed, the next fix above it.
   * Ascending, no duplicates; empty when no fix is known.
   */
  fixed: string[]
  /** `last_affected` events ending the intervals its version falls in. */
  lastAffected: string[]
  /** The version is listed in an entry's `versions[]`. */
  listed: boolean
  /** The version lies in an entry's SEMVER or ECOSYSTEM range. */
  inRange: boolean
}

/** `versions[]` as a set, built once per entry object. */
const listedVersions = new WeakMap<OsvAffected, Set<string>>()

function isListed(a: OsvAffected, version: string): boolean {
  if (a.versions.length < 16) return a.versions.includes(version)
  let set = listedVersions.get(a)
  if (!set) {
    set = new Set(a.versions)
    listedVersions.set(a, set)
  }
  return set.has(version)
}

function rangeComparator(range: OsvRange, ecosystem: string): VersionComparator | undefined {
  if (range.type === 'SEMVER') return baseEcosystem(ecosystem) === 'Go' ? goSemver : semver
  return comparatorFor(ecosystem)
}

/** The package version parsed once per comparator for one affects() call. */
class ParsedOnce {
  readonly #version: string
  #comparator: VersionComparator | undefined
  #parsed: ParsedVersion | undefined
  #other: Map<VersionComparator, ParsedVersion> | undefined

  constructor(version: string) {
    this.#version = version
  }

  get(comparator: VersionComparator): ParsedVersion {
    if (this.#comparator === comparator) return this.#parsed!
    if (this.#comparator === undefined) {
      this.#comparator = comparator
      this.#parsed = comparator.parse(this.#version)
      return this.#parsed
    }
    this.#other ??= new Map()
    let p = this.#other.get(comparator)
    if (!p) {
      p = comparator.parse(this.#version)
      this.#other.set(comparator, p)
    }
    return p
  }
}

/** The match of a record against a package, or undefined when the record does not affect it. */
export function affects(record: OsvRecord, pkg: Package): AffectedMatch | undefined {
  if (record.withdrawn !== undefined) return undefined
  const name = normalizeName(pkg.ecosystem, pkg.sourceName ?? pkg.name)
  const version = pkg.sourceVersion ?? pkg.version
  const parsed = new ParsedOnce(version)
  let match: AffectedMatch | undefined
  for (const a of record.affected) {
    if (a.package === undefined || !ecosystemCovers(a.package.ecosystem, pkg.ecosystem)) continue
    if (normalizeName(a.package.ecosystem, a.package.name) !== name) continue
    const listed = isListed(a, version)
    let inRange = false
    const fixed: string[] = []
    const lastAffected: string[] = []
    const nextFixes: string[] = []
    for (const range of a.ranges) {
      if (range.type === 'GIT') continue
      const cmp = rangeComparator(range, pkg.ecosystem)
      if (cmp === undefined) continue
      const v = parsed.get(cmp)
      // A string the ecosystem would not publish (`file:../x`, `latest`) has no place in a
      // range; `introduced: "0"` would otherwise take it in.
      if (!v.valid) continue
      const prepared = prepareRange(range, cmp)
      const hit = evaluateRange(prepared, v)
      if (hit) {
        inRange = true
        if (hit.fixed !== undefined) fixed.push(hit.fixed)
        if (hit.lastAffected !== undefined) lastAffected.push(hit.lastAffected)
      } else if (listed) {
        const next = nextFix(prepared, v)
        if (next !== undefined) nextFixes.push(next)
      }
    }
    if (!listed && !inRange) continue
    match ??= { fixed: [], lastAffected: [], listed: false, inRange: false }
    match.listed ||= listed
    match.inRange ||= inRange
    match.fixed.push(...(inRange ? fixed : nextFixes))
    match.lastAffected.push(...lastAffected)
  }
  if (match === undefined) return undefined
  const order = comparatorFor(pkg.ecosystem) ?? semver
  const tidy = (list: string[]): string[] => [...new Set(list)].sort((x, y) => order.compare(x, y))
  return { ...match, fixed: tidy(match.fixed), lastAffected: tidy(match.lastAffected) }
}
