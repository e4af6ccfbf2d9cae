// The API's shapes as the UI reads them. Findings and agents come from hub/ as types only
// (test/import-graph.test.ts holds web/ to that); the rest mirror hub/routes/*.ts.
import type { FindingRow, HubAgent } from '../../hub/index.ts'

export type { FindingRow, HubAgent }
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'unknown'
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'unknown']
export const KINDS = ['vuln', 'secret', 'config'] as const
export const TRIAGE_STATUSES = ['open', 'acknowledged', 'false-positive', 'risk-accepted', 'fixed'] as const
export type TriageStatus = typeof TRIAGE_STATUSES[number]
export type Role = 'viewer' | 'analyst' | 'admin' | 'operator'
export const FILTERS = ['severity', 'kind', 'status', 'triage', 'agent', 'ecosystem', 'package', 'rule', 'q', 'sort'] as const
export type FilterName = typeof FILTERS[number]
export type Filters = Partial<Record<FilterName, string>>
export const REPORT_FORMATS = ['sarif', 'csv', 'json', 'html', 'cyclonedx'] as const
export type ReportFormat = typeof REPORT_FORMATS[number]

export type Counts = Record<'severity' | 'kind' | 'status' | 'triage' | 'agent' | 'ecosystem' | 'package' | 'rule', Record<string, number>>

export interface TenantEntry { tenant: string, role: Role, open: Record<string, number> }
export interface Summary { counts: Counts, agents: { total: number, online: number, stale: number, revoked: number } }
export interface TrendDay { day: string, open: Record<string, number> }
export interface FindingPage { findings: FindingRow[], next: string | null, counts?: Counts }
export interface Triage { status: TriageStatus, until?: number, reason?: string, assignee?: string, by: string, at: number }
export interface Comment { by: string, at: number, text: string }
export interface FindingDetail {
  finding: FindingRow
  affected: { id: string, agent: string, path: string, version?: string, status: string }[]
  history: { seq: number, author: string, ts: number, kind: string }[]
  triage: Triage | null
  comments: Comment[]
}
export interface TriageRequest { status: TriageStatus, until?: string, reason?: string, assignee?: string }
