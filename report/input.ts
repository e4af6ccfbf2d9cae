// What a report is made of: packages and findings (an agent's scan, or a hub's listing).
import type { Finding, TriageStatus } from '../crdt/index.ts'
import type { Package } from '../protocol/index.ts'

/** A finding as reported: with the triage users gave it, where there is one (hub reports). */
export type ReportFinding = Finding & { triage?: TriageStatus, triageReason?: string }

export interface ReportInput { packages: Package[], findings: ReportFinding[] }
