// A record's severity: computed from its CVSS v3 vector when it has one (never copied),
// else the database's own rating (GitHub's "MODERATE", Ubuntu's priorities…).
import { parseCvss3 } from './cvss/cvss3.ts'
import { parseCvss4 } from './cvss/cvss4.ts'
import type { OsvRecord } from './osv.ts'

export type SeverityLevel = 'critical' | 'high' | 'medium' | 'low' | 'none' | 'unknown'

export interface SeverityInfo { level: SeverityLevel, score?: number, vector?: string, source: 'cvss4' | 'cvss3' | 'database' | 'none' }

/** The qualitative rating of a CVSS score (v3 and v4 share the bands). */
export function ratingOf(score: number): SeverityLevel {
  if (score === 0) return 'none'
  if (score < 4) return 'low'
  if (score < 7) return 'medium'
  if (score < 9) return 'high'
  return 'critical'
}

const DATABASE_WORDS: Record<string, SeverityLevel> = {
  critical: 'critical', high: 'high', important: 'high', moderate: 'medium', medium: 'medium', low: 'low', negligible: 'low', unimportant: 'low', none: 'none',
}

export function severityOf(record: OsvRecord): SeverityInfo {
  const vectors = [...record.severity, ...record.affected.flatMap((a) => a.severity ?? [])]
  // The newest standard first: a CVSS v4.0 vector, then v3.x, each scored from its vector.
  for (const s of vectors) {
    if (s.type !== 'CVSS_V4') continue
    try {
      const c = parseCvss4(s.score)
      return { level: ratingOf(c.score), score: c.score, vector: s.score, source: 'cvss4' }
    } catch {
      // A malformed vector: try the next.
    }
  }
  for (const s of vectors) {
    if (s.type !== 'CVSS_V3') continue
    try {
      const c = parseCvss3(s.score)
      return { level: ratingOf(c.baseScore), score: c.baseScore, vector: s.score, source: 'cvss3' }
    } catch {
      // A malformed vector: fall through to the database's rating.
    }
  }
  // Non-CVSS severity entries carry a database's word as their score (Ubuntu's `{type: "Ubuntu", score: "medium"}`).
  const rated = vectors.filter((s) => !s.type.startsWith('CVSS_')).map((s) => s.score)
  const words = [record.database_specific?.severity, ...rated, ...record.affected.flatMap((a) => [a.ecosystem_specific?.severity, a.database_specific?.severity])]
  for (const w of words) {
    const level = typeof w === 'string' ? DATABASE_WORDS[w.toLowerCase()] : undefined
    if (level) return { level, source: 'database' }
  }
  return { level: 'unknown', source: 'none' }
}
