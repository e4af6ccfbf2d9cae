// What the advisory DB holds, in counts kept up to date record by record, so status never
// scans the DB.
import { baseEcosystem } from '../../protocol/index.ts'
import type { OsvRecord } from '../osv.ts'

export interface DbStatus {
  /** Live (not withdrawn) records per base ecosystem; a record affecting two ecosystems counts in both. */
  ecosystems: Record<string, number>
  /** Every stored record, withdrawn ones included. */
  total: number
  withdrawn: number
  /** The latest `modified` of any imported record. */
  newestModified: string | null
  /** Bumped by every batch that changed something. */
  revision: number
}

/** Time of an RFC 3339 timestamp in ms: timestamps compare as instants, not as strings (offsets, fractions). */
export function instant(timestamp: string): number {
  const t = Date.parse(timestamp.toUpperCase())
  return Number.isNaN(t) ? 0 : t
}

/** Adds a record to the counts (delta 1) or takes it out (-1). */
export function countRecord(status: DbStatus, r: OsvRecord, delta: 1 | -1): void {
  status.total += delta
  if (r.withdrawn) status.withdrawn += delta
  else {
    for (const e of new Set(r.affected.flatMap((a) => (a.package ? [baseEcosystem(a.package.ecosystem)] : [])))) {
      const n = (status.ecosystems[e] ?? 0) + delta
      if (n === 0) delete status.ecosystems[e]
      else status.ecosystems[e] = n
    }
  }
  if (delta === 1 && (status.newestModified === null || instant(r.modified) > instant(status.newestModified))) status.newestModified = r.modified
}
