// The finding schema (DESIGN.md "Data model"), defined once for agent, hub and UI.
import type { FindingKind } from './fingerprint.ts'

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'unknown'

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'unknown']

/** Rank for sorting and thresholds: critical 4 … unknown 0. */
export function severityRank(s: Severity): number {
  return 4 - SEVERITIES.indexOf(s)
}

export interface Finding {
  /** Deterministic fingerprint (crdt/fingerprint.ts). */
  id: string
  kind: FindingKind
  /** Advisory id (primary of its alias group) or secret/config rule id. */
  rule: string
  /** Every advisory id of the alias group, the primary first. */
  aliases?: string[]
  severity: Severity
  /** CVSS base score, when the advisory has a vector. */
  score?: number
  /** One-line description (advisory summary, rule description). */
  title?: string
  ecosystem?: string
  package?: string
  version?: string
  /** Versions that fix it, where the advisory says. */
  fixedIn?: string[]
  /** File the problem is in, relative to the scan root. */
  path: string
  line?: number
  column?: number
  /** Redacted evidence: for secrets a masked preview, never the value. */
  evidence?: string
  /** Secrets: HMAC of the value under the installation key (links reuse, reveals nothing). */
  secretHash?: string
  firstSeen?: number
  resolvedAt?: number
}
