// The advisories affecting one package version, grouped into one entry per vulnerability
// (alias group), with its severity and fixes: what an agent's scan and the hub's re-match
// both turn into findings. Kept here, below node/ and hub/, so the two compute the same
// thing from the same records (the fingerprints they derive must agree).
import type { Package } from '../protocol/index.ts'
import { groupAliases } from './alias-groups.ts'
import { affects } from './match.ts'
import type { OsvRecord } from './osv.ts'
import { severityOf, type SeverityLevel } from './severity.ts'

export interface PackageMatch {
  /** The alias group's primary id: a finding's `rule`. */
  rule: string
  /** Every id of the group, primary first. */
  aliases: string[]
  /** The highest-scored member's level ('none' reads as 'low': it is still a listed vulnerability). */
  severity: Exclude<SeverityLevel, 'none'>
  score?: number
  title?: string
  /** Fixing versions of every matched member, in member order, no duplicates. */
  fixedIn: string[]
}

/** Matches `records` (the live records listing the package, in the DB's order) against one package version. */
export function matchPackage(records: readonly OsvRecord[], pkg: Package): PackageMatch[] {
  const matched: { record: OsvRecord, fixed: string[] }[] = []
  for (const record of records) {
    const m = affects(record, pkg)
    if (m) matched.push({ record, fixed: m.fixed })
  }
  if (matched.length === 0) return []
  return groupAliases(matched.map((m) => m.record)).map((group) => {
    const members = matched.filter((m) => group.ids.includes(m.record.id))
    const sev = members.map((m) => severityOf(m.record)).sort((a, b) => (b.score ?? -1) - (a.score ?? -1))[0]!
    const primary = members.find((m) => m.record.id === group.primary) ?? members[0]!
    return {
      rule: group.primary,
      aliases: group.ids,
      severity: sev.level === 'none' ? 'low' : sev.level,
      ...(sev.score !== undefined ? { score: sev.score } : {}),
      ...(primary.record.summary ? { title: primary.record.summary } : {}),
      fixedIn: [...new Set(members.flatMap((m) => m.fixed))],
    }
  })
}
