// The API's shapes as the UI reads them. Findings and agents come from hub/ as types only
// (test/import-graph.test.ts holds web/ to that); the rest mirror hub/routes/*.ts.
import type { FindingRow, HubAgent, TokenView } from '../../hub/index.ts'

export type { FindingRow, HubAgent, TokenView }
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'unknown'
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'unknown']
export const KINDS = ['vuln', 'secret', 'config'] as const
export const TRIAGE_STATUSES = ['open', 'acknowledged', 'false-positive', 'risk-accepted', 'fixed'] as const
export type TriageStatus = typeof TRIAGE_STATUSES[number]
export type Role = 'viewer' | 'analyst' | 'admin' | 'operator'
export const FILTERS = ['severity', 'kind', 'status', 'triage', 'agent', 'ecosystem', 'package', 'rule', 'kev', 'q', 'sort'] as const
export type FilterName = typeof FILTERS[number]
export type Filters = Partial<Record<FilterName, string>>
export const REPORT_FORMATS = ['sarif', 'csv', 'json', 'html', 'cyclonedx'] as const
export type ReportFormat = typeof REPORT_FORMATS[number]

export type Counts = Record<'severity' | 'kind' | 'status' | 'triage' | 'agent' | 'ecosystem' | 'package' | 'rule' | 'kev', Record<string, number>>

export interface TenantEntry { tenant: string, role: Role, open: Record<string, number> }
export interface Summary { counts: Counts, agents: { total: number, online: number, stale: number, revoked: number } }
export interface TrendDay { day: string, open: Record<string, number> }
/** An upgrade and what it clears (hub/enrich/upgrade-advice.ts, as the upgrades route sends it). */
export interface Upgrade { ecosystem: string, package: string, upgradeTo: string, clears: number, agents: number, risk: number, from: string[] }
export interface FindingPage { findings: FindingRow[], next: string | null, counts?: Counts }
export interface Triage { status: TriageStatus, until?: number, reason?: string, assignee?: string, by: string, at: number }
export interface Comment { by: string, at: number, text: string }
/** The enricher's scores of a finding (hub/enrich Enrichment, as JSON). */
export interface Enrichment {
  risk: number
  cvss?: { score: number, vector: string, version: 'cvss4' | 'cvss3' }
  epss?: { cve: string, epss: number, percentile: number, date: string }
  kev?: { cve: string, dateAdded: string, dueDate?: string, ransomware: boolean, vendor: string, product: string, name?: string }
  cves: string[]
}
export interface Advisory { id: string, summary?: string, details?: string, aliases?: string[], published?: string, modified?: string, references?: { type: string, url: string }[] }
export interface FindingDetail {
  finding: FindingRow
  advisory?: Advisory | null
  enrichment?: Enrichment | null
  affected: { id: string, agent: string, path: string, version?: string, status: string }[]
  history: { seq: number, author: string, ts: number, kind: string }[]
  triage: Triage | null
  comments: Comment[]
}
export interface TriageRequest { status: TriageStatus, until?: string, reason?: string, assignee?: string }

/** hub/routes/agents.ts: one agent and its inventory. */
export interface AgentDetail { agent: HubAgent, inventory: { packages: number, ecosystems: Record<string, number> } }
export interface InventoryPackage { ecosystem: string, name: string, version: string, purl?: string, source: string, groups?: string[] }
export interface InventoryPage { packages: InventoryPackage[], next: string | null }

/** hub/routes/keys.ts. */
export const SIGNABLE_ROLES = ['agent', 'relay'] as const
export interface CertificateView {
  serial: number, subject: string, name: string, roles: string[], notBefore: string, notAfter: string
  revoked: boolean, revokedAt?: string, reason?: string
}
export interface CertificateList { certificates: CertificateView[], revocationList: { version: number, entries: number } }
export interface SignRequest { agent: string, name: string, roles: string[], days?: number }
export interface SignedCertificate { certificate: CertificateView, armored: string }
/** hub/auth/user-routes.ts. */
export interface Member { name: string, role: Role }
