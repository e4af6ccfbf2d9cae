// A file's vulnerability findings as the scan cache stores them. The advisory half of a
// finding (rule, aliases, severity, score, title, fixes) is the same for every package
// version the advisory affects, and the package half (ecosystem, name, version) the same for
// every advisory of that version: each is stored once per DB generation, numbered (a group,
// a package version). A file's findings are then their ids, one string, and two numbers
// each: a rescan builds 150,000 findings from shared parts, splitting one string per file
// (the ids are slices of it), where decoding a msgpack string per id and three per package
// version allocated four times as much.
import { pack, unpack } from '../../protocol/index.ts'
import type { Finding, Severity } from '../../crdt/index.ts'
import { vulnFinding } from './vuln-matcher.ts'

/** The advisory half of a finding, the same for every package version it affects. */
export interface Group { rule: string, aliases: string[], severity: Severity, score?: number, title?: string, fixedIn: string[] }

/** A package version findings were matched on. */
export type PackageVersion = [ecosystem: string, name: string, version: string]

/** The advisory groups and package versions of one generation, as stored: findings point into `list` and `versions`. */
export interface GroupTable {
  generation: string
  list: Group[]
  /** Group numbers by content (contentKey), made when a scan first writes a group: a rescan only reads. */
  byContent?: Map<string, number>
  byAliases: WeakMap<string[], number>
  versions: PackageVersion[]
  /**
   * Version numbers by ecosystem, name and version, made when a scan first writes a version:
   * a scan asks with the slot strings its findings share, so no key string is built per finding.
   */
  byVersion?: Map<string, Map<string, Map<string, number>>>
}

/** A file's findings as stored: their ids joined by newlines, then (group, version) per finding. */
export type StoredFindings = [ids: string, refs: ArrayLike<number>]

export function newGroupTable(generation: string): GroupTable {
  return { generation, list: [], byAliases: new WeakMap(), versions: [] }
}

/** The numbers of the table's versions of package `name` in `ecosystem`, by version (to fill where there are none yet); the index is made on first use. */
export function versionNumbers(table: GroupTable, ecosystem: string, name: string): Map<string, number> {
  if (table.byVersion === undefined) {
    table.byVersion = new Map()
    table.versions.forEach(([e, n, v], i) => versionNumbers(table, e, n).set(v, i))
  }
  let names = table.byVersion.get(ecosystem)
  if (!names) table.byVersion.set(ecosystem, (names = new Map()))
  let versions = names.get(name)
  if (!versions) names.set(name, (versions = new Map()))
  return versions
}

/** Each item's number in `list` by its key. */
function numbersBy<T>(list: T[], keyOf: (item: T) => string): Map<string, number> {
  const byKey = new Map<string, number>()
  list.forEach((item, n) => byKey.set(keyOf(item), n))
  return byKey
}

export function encodeVersion(v: PackageVersion): Uint8Array {
  return pack(v)
}

export function decodeVersion(bytes: Uint8Array): PackageVersion {
  const v = unpack(bytes)
  if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'string')) throw new TypeError('not a package version')
  return v as PackageVersion
}

/** The table's groups by content, made on first use. */
export function groupsByContent(table: GroupTable): Map<string, number> {
  return (table.byContent ??= numbersBy(table.list, contentKey))
}

export function encodeGroup(g: Group): Uint8Array {
  return pack([g.rule, g.aliases, g.severity, g.score ?? null, g.title ?? null, g.fixedIn])
}

export function decodeGroup(bytes: Uint8Array): Group {
  const [rule, aliases, severity, score, title, fixedIn] = unpack(bytes) as [string, string[], Severity, number | null, string | null, string[]]
  const g: Group = { rule, aliases, severity, fixedIn }
  if (score !== null) g.score = score
  if (title !== null) g.title = title
  return g
}

/** What tells one group from another. */
export function contentKey(g: Group): string {
  return JSON.stringify([g.rule, g.aliases, g.severity, g.score ?? null, g.title ?? null, g.fixedIn])
}

/** Whether a finding's advisory half is this group's (aliases aside: the caller found the group by them). */
export function sameGroup(g: Group, f: Finding): boolean {
  return g.rule === f.rule && g.severity === f.severity && g.score === f.score && g.title === f.title &&
    g.fixedIn.length === (f.fixedIn?.length ?? 0) && g.fixedIn.every((v, i) => v === f.fixedIn![i])
}

/**
 * A file's findings in stored form, each advisory half numbered by `groupOf` and package half
 * by `versionOf`; undefined when an id holds a newline (not cached: matched again next time).
 */
export function encodeFindings(findings: Finding[], groupOf: (f: Finding) => number, versionOf: (ecosystem: string, name: string, version: string) => number): StoredFindings | undefined {
  const refs = new Uint32Array(2 * findings.length)
  const ids = new Array<string>(findings.length)
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!
    if (f.id.includes('\n')) return undefined
    refs[2 * i] = groupOf(f)
    refs[2 * i + 1] = versionOf(f.ecosystem ?? '', f.package ?? '', f.version ?? '')
    ids[i] = f.id
  }
  return [ids.join('\n'), refs]
}

/**
 * The findings of a stored form, placed at `path`: their ids joined by newlines, and two refs
 * each (group, version); undefined if one names a group or version the table lacks.
 */
export function decodeFindings(ids: string, refs: ArrayLike<number>, table: GroupTable, path: string): Finding[] | undefined {
  const n = refs.length / 2
  if (n === 0) return ids === '' ? [] : undefined
  const list = ids.split('\n')
  if (list.length !== n) return undefined
  return findingsAt(list, 0, refs, n, table, path)
}

/**
 * `n` findings placed at `path`, from `ids[first…]` and their refs (two each, from
 * `refs[2 * first]`); undefined if one names a group or version the table lacks.
 */
export function findingsAt(ids: string[], first: number, refs: ArrayLike<number>, n: number, table: GroupTable, path: string): Finding[] | undefined {
  const findings = new Array<Finding>(n)
  for (let i = 0; i < n; i++) {
    const g = table.list[refs[2 * (first + i)]!]
    const v = table.versions[refs[2 * (first + i) + 1]!]
    if (!g || !v) return undefined
    findings[i] = vulnFinding(ids[first + i]!, g, v[0], v[1], v[2], path)
  }
  return findings
}
