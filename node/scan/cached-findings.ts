// A file's vulnerability findings as the scan cache stores them. The advisory half of a
// finding (rule, aliases, severity, score, title, fixes) is the same for every package
// version the advisory affects: it is stored once per DB generation, as a numbered group.
// The package half (ecosystem, name, version) is the same for every advisory of that
// version: stored once per file. A finding is then its id and two numbers, and a rescan
// builds it from shared parts: a tree's 150,000 findings (from a few thousand vulnerable
// package versions) cost their ids and objects, not four strings each for the collector.
import { pack, unpack } from '../../protocol/index.ts'
import type { Finding, Severity } from '../../crdt/index.ts'
import { vulnFinding } from './vuln-matcher.ts'

/** The advisory half of a finding, the same for every package version it affects. */
export interface Group { rule: string, aliases: string[], severity: Severity, score?: number, title?: string, fixedIn: string[] }

/** The advisory groups of one generation, as stored: findings point into `list`. */
export interface GroupTable {
  generation: string
  list: Group[]
  /** Group numbers by content (contentKey), made when a scan first writes a group: a rescan only reads. */
  byContent?: Map<string, number>
  byAliases: WeakMap<string[], number>
  /** One copy of each package name, version and ecosystem a rescan has decoded. */
  strings: Map<string, string>
}

/** A file's findings as stored: [ecosystem, name, version] per package version, then (id, group, version index) per finding. */
export type StoredFindings = [versions: string[], rows: (string | number)[]]

export function newGroupTable(generation: string): GroupTable {
  return { generation, list: [], byAliases: new WeakMap(), strings: new Map() }
}

/** The table's groups by content, made on first use. */
export function groupsByContent(table: GroupTable): Map<string, number> {
  if (!table.byContent) {
    table.byContent = new Map()
    table.list.forEach((g, n) => table.byContent!.set(contentKey(g), n))
  }
  return table.byContent
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

/** A file's findings in stored form, each advisory half numbered by `groupOf`. */
export function encodeFindings(findings: Finding[], groupOf: (f: Finding) => number): StoredFindings {
  const versions: string[] = []
  const rows: (string | number)[] = []
  const index = new Map<string, number>()
  for (const f of findings) {
    const eco = f.ecosystem ?? ''
    const name = f.package ?? ''
    const version = f.version ?? ''
    const key = `${eco}\0${name}\0${version}`
    let n = index.get(key)
    if (n === undefined) {
      n = versions.length / 3
      index.set(key, n)
      versions.push(eco, name, version)
    }
    rows.push(f.id, groupOf(f), n)
  }
  return [versions, rows]
}

/** The findings of a stored form, placed at `path`; undefined if one names a group the table lacks. */
export function decodeFindings([versions, rows]: StoredFindings, table: GroupTable, path: string): Finding[] | undefined {
  const strings = table.strings
  for (let i = 0; i < versions.length; i++) {
    const s = versions[i]!
    const held = strings.get(s)
    if (held === undefined) strings.set(s, s)
    else versions[i] = held
  }
  const findings: Finding[] = []
  for (let i = 0; i < rows.length; i += 3) {
    const g = table.list[rows[i + 1] as number]
    const v = 3 * (rows[i + 2] as number)
    if (!g || v >= versions.length) return undefined
    findings.push(vulnFinding(rows[i] as string, g, versions[v]!, versions[v + 1]!, versions[v + 2]!, path))
  }
  return findings
}

