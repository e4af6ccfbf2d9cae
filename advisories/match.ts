// Does an OSV record affect a package version? Per the OSV schema: `versions[]` membership,
// or a SEMVER / ECOSYSTEM range evaluated over its sorted events (introduced, fixed,
// last_affected, limit). GIT ranges need commits, not versions, and are not evaluated here.
import { baseEcosystem, normalizeName, type Package } from '../protocol/index.ts'
import type { OsvAffected, OsvRange, OsvRecord } from './osv.ts'
import { comparatorFor, type VersionComparator } from './versions/index.ts'

export interface AffectedMatch {
  /** Versions that fix it, from the ranges the package version fell in. */
  fixed: string[]
}

/** Ecosystems whose `:suffix` is a release (Debian:12); elsewhere it names a registry. */
const RELEASE_SUFFIXED = new Set(['Debian', 'Ubuntu', 'Alpine', 'Rocky Linux', 'AlmaLinux', 'Red Hat', 'SUSE', 'openSUSE', 'Photon OS', 'Mageia', 'Wolfi', 'Chainguard', 'Android'])

/**
 * An advisory for `Debian:12` matches packages of Debian 12, one for plain `Debian` any
 * release; `Packagist:https://packages.drupal.org/8` is still Packagist.
 */
function ecosystemMatches(advisory: string, pkg: string): boolean {
  // OSV spells Ubuntu LTS releases `Ubuntu:22.04:LTS`; a package of `Ubuntu:22.04` is one.
  if (advisory === pkg || advisory.startsWith(pkg + ':')) return true
  const base = baseEcosystem(advisory)
  if (base !== baseEcosystem(pkg)) return false
  return !RELEASE_SUFFIXED.has(base) || !advisory.includes(':')
}

/**
 * Whether `version` falls in the range, and the fixed versions of the interval it fell in.
 * Two readings are combined: the OSV schema's (events sorted by version, evaluated in turn)
 * and the intervals as written (each introduced up to the next fixed or last_affected).
 * They agree on well-formed records; real records with overlapping intervals (PyPI has
 * some) list versions that only the second reading covers.
 */
export function inRange(range: OsvRange, version: string, cmp: VersionComparator): { hit: boolean, fixed: string[] } {
  const events = range.events.map((e) => {
    const [kind, value] = Object.entries(e)[0] as [string, string]
    return { kind, value }
  })
  const limits = events.filter((e) => e.kind === 'limit').map((e) => e.value)
  if (limits.length > 0 && !limits.some((l) => l === '*' || cmp.compare(version, l) < 0)) return { hit: false, fixed: [] }
  const atOrAfter = (v: string) => v === '0' || cmp.compare(version, v) >= 0
  // The intervals as written.
  let start: string | undefined
  for (const e of events) {
    if (e.kind === 'introduced') { start = e.value; continue }
    if (start === undefined || e.kind === 'limit') continue
    if (atOrAfter(start)) {
      if (e.kind === 'fixed' && cmp.compare(version, e.value) < 0) return { hit: true, fixed: [e.value] }
      if (e.kind === 'last_affected' && cmp.compare(version, e.value) <= 0) return { hit: true, fixed: [] }
    }
    start = undefined
  }
  if (start !== undefined && atOrAfter(start)) return { hit: true, fixed: [] }
  // The schema's reading: sorted events ("0" first; at one version, ends before starts).
  const sorted = events.filter((e) => e.kind !== 'limit').sort((a, b) => {
    if (a.value === '0' && a.kind === 'introduced') return -1
    if (b.value === '0' && b.kind === 'introduced') return 1
    return cmp.compare(a.value, b.value) || (a.kind === 'introduced' ? 1 : b.kind === 'introduced' ? -1 : 0)
  })
  let affected = false
  for (const e of sorted) {
    if (e.kind === 'introduced') {
      if (atOrAfter(e.value)) affected = true
    } else if (e.kind === 'fixed') {
      if (cmp.compare(version, e.value) >= 0) affected = false
      else if (affected) return { hit: true, fixed: [e.value] }
    } else if (e.kind === 'last_affected') {
      if (cmp.compare(version, e.value) > 0) affected = false
      else if (affected) return { hit: true, fixed: [] }
    }
  }
  return { hit: affected, fixed: [] }
}

function matchAffected(a: OsvAffected, version: string, cmp: VersionComparator | undefined): AffectedMatch | undefined {
  if (a.versions.includes(version)) {
    const fixed = cmp ? a.ranges.filter((r) => r.type !== 'GIT').flatMap((r) => inRange(r, version, cmp).fixed) : []
    return { fixed }
  }
  if (!cmp) return undefined
  for (const r of a.ranges) {
    if (r.type === 'GIT') continue
    const res = inRange(r, version, cmp)
    if (res.hit) return { fixed: res.fixed }
  }
  return undefined
}

/**
 * The match of a record against a package, or undefined. OS packages match on their
 * source package name and version, as distributions publish advisories per source package.
 */
export function affects(record: OsvRecord, pkg: Package): AffectedMatch | undefined {
  if (record.withdrawn) return undefined
  const name = normalizeName(pkg.ecosystem, pkg.sourceName ?? pkg.name)
  const version = pkg.sourceVersion ?? pkg.version
  const cmp = comparatorFor(pkg.ecosystem)
  const fixed: string[] = []
  let hit = false
  for (const a of record.affected) {
    if (!a.package || !ecosystemMatches(a.package.ecosystem, pkg.ecosystem)) continue
    if (normalizeName(a.package.ecosystem, a.package.name) !== name) continue
    const m = matchAffected(a, version, cmp)
    if (m) { hit = true; fixed.push(...m.fixed) }
  }
  return hit ? { fixed: [...new Set(fixed)] } : undefined
}

/** Ids ordered for choosing a primary: the ecosystem's own ids before CVE, then by name. */
function primaryRank(id: string): number {
  if (id.startsWith('CVE-')) return 2
  if (id.startsWith('GHSA-')) return 0
  return 1
}

export interface AliasGroup { primary: string, ids: string[] }

/** Records linked by aliases (transitively) form one group; one finding per group. */
export function groupAliases(records: OsvRecord[]): AliasGroup[] {
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    let r = x
    while (parent.get(r) !== r) r = parent.get(r)!
    parent.set(x, r)
    return r
  }
  const add = (x: string) => { if (!parent.has(x)) parent.set(x, x) }
  for (const r of records) {
    add(r.id)
    for (const a of r.aliases) { add(a); parent.set(find(a), find(r.id)) }
  }
  const groups = new Map<string, Set<string>>()
  for (const r of records) {
    const root = find(r.id)
    const set = groups.get(root) ?? new Set<string>()
    set.add(r.id)
    for (const a of r.aliases) set.add(a)
    groups.set(root, set)
  }
  return [...groups.values()].map((set) => {
    const matchedIds = records.map((r) => r.id).filter((id) => set.has(id))
    const ids = [...set].sort((a, b) => primaryRank(a) - primaryRank(b) || (a < b ? -1 : 1))
    // The primary is a record we hold, so its summary and ranges are at hand.
    const primary = matchedIds.sort((a, b) => primaryRank(a) - primaryRank(b) || (a < b ? -1 : 1))[0]!
    return { primary, ids: [primary, ...ids.filter((i) => i !== primary)] }
  })
}
