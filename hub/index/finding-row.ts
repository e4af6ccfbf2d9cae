// A finding as the query index holds it (`f!<id>`), and the key layout of the index: sort
// orders, per-field indexes in risk order, what a filter checks per row.
import { severityRank, type Finding, type TriageStatus } from '../../crdt/index.ts'

/** Why a finding is suppressed: the VEX statement that decides it. */
export interface RowSuppression { statement: string, justification?: string, impactStatement?: string, expires?: string }

export interface FindingRow extends Finding {
  agent: string
  status: 'open' | 'resolved' | 'suppressed'
  /** The triage status users gave it (`<tenant>/triage`), open until someone does. */
  triage: TriageStatus
  /** 0–100 (hub/enrich risk when enriched; else from severity and CVSS). */
  risk: number
  /** `hub`: found by the hub re-matching the agent's inventory, not (yet) reported by the agent. */
  source?: 'hub'
  /** In CISA's Known Exploited Vulnerabilities catalog (hub enrichment); absent otherwise. */
  kev?: true
  suppressed?: RowSuppression
}

export type Sourced = { f: Finding, agent: string, source: 'agent' | 'hub' }
export type Change = { id: string, old?: FindingRow, row?: FindingRow }
export type Op = { type: 'put' | 'del', key: string, value?: Uint8Array }

export const FILTER_FIELDS = ['severity', 'kind', 'status', 'triage', 'agent', 'ecosystem', 'package', 'rule', 'kev'] as const
export type FilterField = typeof FILTER_FIELDS[number]
export const SORTS = ['risk', 'severity', 'first'] as const
export type SortOrder = typeof SORTS[number]

export interface FindingQuery {
  filters: Partial<Record<FilterField, string>>
  /** Free text over rule, title, package, path (case-insensitive). */
  q?: string
  sort?: SortOrder
  limit?: number
  cursor?: string
}

export interface FindingPage {
  findings: FindingRow[]
  next?: string
  scanned: number
  /** The page as the API sends it, kept with a cached page so a repeat is not serialized again. */
  body?: Uint8Array
}

const SEP = '\u0001'
const pad = (n: number, width: number) => String(Math.max(0, Math.min(10 ** width - 1, Math.round(n)))).padStart(width, '0')

/** What enrichment says of a finding: its risk, and whether it is known exploited. */
export interface Score { risk: number, kev?: boolean }

/** A row's risk and, only when true, its KEV mark (so only KEV rows get a `kev` index key). */
export function scoreFields(s: Score): { risk: number, kev?: true } {
  return s.kev ? { risk: s.risk, kev: true } : { risk: s.risk }
}

/** Risk from what a finding carries, until enrichment supplies one. */
export function baseRisk(f: Finding): number {
  const sev = severityRank(f.severity) // critical 4 … unknown 0
  const cvss = f.score ?? [0, 2, 5, 7.5, 9.5][sev]!
  return Math.min(100, Math.round(cvss * 10 * 100) / 100)
}

/** Values most findings have: not worth an index of their own (a filter on them is checked per row). */
export const COMMON: Partial<Record<FilterField, string>> = { kind: 'vuln', status: 'open', triage: 'open' }
export const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'unknown'] as const

export const riskKey = (row: FindingRow) => pad(10_000 - row.risk * 100, 5)
export const firstKey = (row: FindingRow) => pad(9_999_999_999_999 - (row.firstSeen ?? 0), 13)

export function fieldValue(row: FindingRow, field: FilterField): string | undefined {
  const v = row[field]
  return v === undefined || v === null ? undefined : String(v)
}

/** Risk order and first-seen order over all rows; per field value in risk order (severity order is the severity indexes one after another). */
export function indexKeys(row: FindingRow): string[] {
  const risk = riskKey(row)
  const keys = [`o!risk!${risk}!${row.id}`, `o!first!${firstKey(row)}!${row.id}`]
  for (const field of FILTER_FIELDS) {
    const v = fieldValue(row, field)
    if (v !== undefined && v !== COMMON[field]) keys.push(`x!${field}!${v}${SEP}${risk}!${row.id}`)
  }
  return keys
}

const DAY_MS = 86_400_000
const dayNames = new Map<number, string>()
/** `YYYY-MM-DD` (UTC) of a time, from a small cache: findings of one scan share a few days. */
export function dayOf(ms: number): string {
  const d = Math.floor(ms / DAY_MS)
  let name = dayNames.get(d)
  if (name === undefined) {
    if (dayNames.size > 4096) dayNames.clear()
    name = new Date(d * DAY_MS).toISOString().slice(0, 10)
    dayNames.set(d, name)
  }
  return name
}

/** Pages kept between changes of the index. */
export const PAGE_CACHE = 256

export const indexPrefix = (field: FilterField, value: string) => `x!${field}!${value}${SEP}`

export function matches(row: FindingRow, q: FindingQuery): boolean {
  for (const [field, want] of Object.entries(q.filters) as [FilterField, string][]) {
    if (want !== undefined && fieldValue(row, field) !== want) return false
  }
  if (q.q) {
    const needle = q.q.toLowerCase()
    if (![row.rule, row.title, row.package, row.path, ...(row.aliases ?? [])].some((s) => s?.toLowerCase().includes(needle))) return false
  }
  return true
}

