// Evaluating one SEMVER or ECOSYSTEM range of an OSV record, as the schema's pseudo-code
// says (schema.md, "Evaluation"): the version must lie below some `limit` when there are
// limits; then the events, sorted by version, are walked in order — `introduced` at or
// below the version makes it vulnerable, `fixed` at or below it makes it safe again, a
// `last_affected` below it too. `introduced: "0"` sorts before everything; events at equal
// versions keep the order they are written in.
// A range's events are parsed and sorted once per comparator and kept beside the range
// object: the advisory DB hands out the same record objects for every package it matches.
import type { OsvRange } from './osv.ts'
import type { ParsedVersion, VersionComparator } from './versions/index.ts'

const INTRODUCED = 0
const FIXED = 1
const LAST_AFFECTED = 2

interface PreparedEvent {
  readonly kind: number
  readonly value: string
  /** null for `introduced: "0"`, which precedes every version. */
  readonly parsed: ParsedVersion | null
}

export interface PreparedRange {
  readonly comparator: VersionComparator
  readonly events: readonly PreparedEvent[]
  /** null: no limit events (an implicit `*`); a `*` limit among them makes this null too. */
  readonly limits: readonly ParsedVersion[] | null
}

/** Where a version falls in a range it is vulnerable in. */
export interface RangeHit {
  /** The `fixed` event ending its interval, if the interval ends in a fix. */
  fixed?: string
  /** The `last_affected` event ending its interval, if it ends that way. */
  lastAffected?: string
}

const prepared = new WeakMap<OsvRange, PreparedRange>()

export function prepareRange(range: OsvRange, comparator: VersionComparator): PreparedRange {
  const hit = prepared.get(range)
  if (hit && hit.comparator === comparator) return hit
  const events: PreparedEvent[] = []
  let limits: ParsedVersion[] | null = []
  for (const e of range.events) {
    if ('limit' in e) {
      if (limits !== null) limits = e.limit.includes('*') ? null : [...limits, comparator.parse(e.limit)]
    } else if ('introduced' in e) {
      events.push({ kind: INTRODUCED, value: e.introduced, parsed: e.introduced === '0' ? null : comparator.parse(e.introduced) })
    } else if ('fixed' in e) {
      events.push({ kind: FIXED, value: e.fixed, parsed: comparator.parse(e.fixed) })
    } else {
      events.push({ kind: LAST_AFFECTED, value: e.last_affected, parsed: comparator.parse(e.last_affected) })
    }
  }
  if (limits !== null && limits.length === 0) limits = null
  // Array.prototype.sort is stable: equal versions keep their written order.
  events.sort((a, b) => (a.parsed === null ? (b.parsed === null ? 0 : -1) : b.parsed === null ? 1 : comparator.compareParsed(a.parsed, b.parsed)))
  const result: PreparedRange = { comparator, events, limits }
  prepared.set(range, result)
  return result
}

/** The hit when `version` (parsed by the range's comparator) is vulnerable in the range. */
export function evaluateRange(range: PreparedRange, version: ParsedVersion): RangeHit | undefined {
  const cmp = range.comparator
  if (range.limits !== null && !range.limits.some((limit) => cmp.compareParsed(version, limit) < 0)) return undefined
  let vulnerable = false
  for (const e of range.events) {
    if (e.kind === INTRODUCED) {
      if (e.parsed === null || cmp.compareParsed(version, e.parsed) >= 0) vulnerable = true
    } else if (e.kind === FIXED) {
      if (cmp.compareParsed(version, e.parsed!) >= 0) vulnerable = false
    } else if (cmp.compareParsed(version, e.parsed!) > 0) {
      vulnerable = false
    }
  }
  if (!vulnerable) return undefined
  // The interval ends at the first fixed or last_affected event not below the version.
  for (const e of range.events) {
    if (e.kind === FIXED && cmp.compareParsed(version, e.parsed!) < 0) return { fixed: e.value }
    if (e.kind === LAST_AFFECTED && cmp.compareParsed(version, e.parsed!) <= 0) return { lastAffected: e.value }
  }
  return {}
}

/** The first `fixed` event above a version in a range, whether or not the version is inside it. */
export function nextFix(range: PreparedRange, version: ParsedVersion): string | undefined {
  for (const e of range.events) if (e.kind === FIXED && range.comparator.compareParsed(version, e.parsed!) < 0) return e.value
  return undefined
}

/** One range against one version string; for callers without a parsed version at hand. */
export function inRange(range: OsvRange, version: string, comparator: VersionComparator): RangeHit | undefined {
  return evaluateRange(prepareRange(range, comparator), comparator.parse(version))
}
