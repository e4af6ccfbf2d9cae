// What a report is made of: packages and findings (an agent's scan, or a hub's listing).
import type { Finding, TriageStatus } from '../crdt/index.ts'
import type { Package } from '../protocol/index.ts'

/** A VEX statement saying a finding does not affect its product (OpenVEX justification names). */
export interface ReportSuppression { statement: string, justification?: string, impactStatement?: string, expires?: string }

/** A finding as reported: with the triage users gave it, and the suppression that covers it, where there is one (hub reports). */
export type ReportFinding = Finding & { triage?: TriageStatus, triageReason?: string, suppressed?: ReportSuppression }

export interface ReportInput { packages: Package[], findings: ReportFinding[] }
