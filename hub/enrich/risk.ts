// The risk score, 0–100, that findings sort by. docs/RISK.md states the formula and why;
// this file is its one implementation. Two tiers: a vulnerability CISA lists as known
// exploited (KEV) scores 80–100, anything else 0–75, so every KEV finding ranks above
// every other. Inside a tier severity sets the base and exploitability (EPSS) scales it.
import type { FindingKind, Severity } from '../../crdt/index.ts'

export interface RiskInput {
  kind: FindingKind
  severity: Severity
  /** CVSS base score (0–10) computed from the advisory's vector, when it has one. */
  cvss?: number
  /** EPSS probability (0–1) of the finding's CVE (the highest of its aliases). */
  epss?: number
  /** Listed in CISA KEV. */
  kev?: boolean
  /** KEV says it is used in ransomware campaigns. */
  ransomware?: boolean
}

/** Severity weight when there is no CVSS score: the middle of each CVSS band. */
export const LEVEL_WEIGHT: Record<Severity, number> = { critical: 0.95, high: 0.8, medium: 0.55, low: 0.25, unknown: 0.5 }

/** EPSS assumed when a vulnerability has none (no CVE alias, or not yet scored): absence of a score is not evidence of safety. */
export const EPSS_UNKNOWN = 0.01

/** The non-KEV tier's ceiling; the KEV tier starts at KEV_FLOOR. */
export const NON_KEV_MAX = 75
export const KEV_FLOOR = 80

/** Severity S in 0–1: the CVSS base score / 10, else the weight of the level. */
export function severityWeight(input: Pick<RiskInput, 'severity' | 'cvss'>): number {
  if (input.cvss !== undefined && Number.isFinite(input.cvss)) return Math.min(10, Math.max(0, input.cvss)) / 10
  return LEVEL_WEIGHT[input.severity] ?? LEVEL_WEIGHT.unknown
}

/**
 * Exploitability X in 0–1 from an EPSS probability, on a log scale: EPSS is heavily skewed
 * (most CVEs score below 0.01), so a linear scale would flatten nearly all of them to 0.
 * X(0.001) ≈ 0.10, X(0.01) ≈ 0.35, X(0.1) ≈ 0.67, X(1) = 1.
 */
export function exploitability(epss: number): number {
  const p = Math.min(1, Math.max(0, epss))
  return Math.log10(1 + 1000 * p) / Math.log10(1001)
}

/** Rounded to one decimal. */
export function riskScore(input: RiskInput): number {
  const s = severityWeight(input)
  let risk: number
  if (input.kind === 'vuln' && input.kev) {
    risk = KEV_FLOOR + 15 * s + (input.ransomware ? 5 : 0)
  } else {
    // A secret in cleartext is usable by whoever reads the file: full exploitability.
    // A config finding has no exploitation data: it gets the unknown-EPSS default.
    const x = input.kind === 'secret' ? 1 : exploitability(input.kind === 'vuln' && input.epss !== undefined ? input.epss : EPSS_UNKNOWN)
    risk = NON_KEV_MAX * s * (0.5 + 0.5 * x)
  }
  return Math.round(risk * 10) / 10
}
