// CVSS v3.0 / v3.1: a vector parsed strictly and its base score computed by the
// specification's formulas (CVSS v3.1 §7.1; v3.0 §8.1). The two versions differ only in
// Roundup: v3.1's Appendix A works on integers so 4.000000001 does not become 4.1.
// Temporal and environmental metrics are validated and kept, not scored.
import { AdvisoryError } from '../errors.ts'

/** Every v3 metric with its values; the first eight are the base metrics, all required. */
const METRICS: Readonly<Record<string, readonly string[]>> = {
  AV: ['N', 'A', 'L', 'P'], AC: ['L', 'H'], PR: ['N', 'L', 'H'], UI: ['N', 'R'], S: ['U', 'C'],
  C: ['H', 'L', 'N'], I: ['H', 'L', 'N'], A: ['H', 'L', 'N'],
  E: ['X', 'H', 'F', 'P', 'U'], RL: ['X', 'U', 'W', 'T', 'O'], RC: ['X', 'C', 'R', 'U'],
  CR: ['X', 'H', 'M', 'L'], IR: ['X', 'H', 'M', 'L'], AR: ['X', 'H', 'M', 'L'],
  MAV: ['X', 'N', 'A', 'L', 'P'], MAC: ['X', 'L', 'H'], MPR: ['X', 'N', 'L', 'H'], MUI: ['X', 'N', 'R'], MS: ['X', 'U', 'C'],
  MC: ['X', 'H', 'L', 'N'], MI: ['X', 'H', 'L', 'N'], MA: ['X', 'H', 'L', 'N'],
}
const BASE = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const

const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  /** Privileges weigh more when the scope changes. */
  PR: { U: { N: 0.85, L: 0.62, H: 0.27 }, C: { N: 0.85, L: 0.68, H: 0.5 } },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const

export interface Cvss3 {
  version: '3.0' | '3.1'
  vector: string
  /** The metrics the vector states. */
  metrics: Readonly<Record<string, string>>
  baseScore: number
}

/** Roundup of CVSS v3.1 Appendix A: the smallest one-decimal number ≥ x, computed on integers. */
export function roundup31(x: number): number {
  const i = Math.round(x * 100_000)
  return i % 10_000 === 0 ? i / 100_000 : (Math.floor(i / 10_000) + 1) / 10
}

/** Roundup as CVSS v3.0 defines it (and its calculator computes it). */
export function roundup30(x: number): number {
  return Math.ceil(x * 10) / 10
}

/**
 * Parses `CVSS:3.0/…` or `CVSS:3.1/…`: every base metric, each metric once, known names and
 * values only, in any order (as FIRST's calculators accept). Throws AdvisoryError `bad-cvss`.
 */
export function parseCvss3(vector: string): Cvss3 {
  const bad = (why: string) => new AdvisoryError('bad-cvss', `${why} in CVSS v3 vector '${vector.slice(0, 300)}'`)
  const m = /^CVSS:(3\.[01])\/(.*)$/s.exec(vector)
  if (!m) throw bad('no CVSS:3.0 or CVSS:3.1 prefix')
  const metrics: Record<string, string> = {}
  for (const part of m[2]!.split('/')) {
    const colon = part.indexOf(':')
    const name = colon > 0 ? part.slice(0, colon) : ''
    if (!Object.hasOwn(METRICS, name)) throw bad(colon > 0 ? `unknown metric '${name}'` : `malformed metric '${part}'`)
    if (Object.hasOwn(metrics, name)) throw bad(`${name} repeated`)
    const value = part.slice(colon + 1)
    if (!METRICS[name]!.includes(value)) throw bad(`'${value}' is not a value of ${name}`)
    metrics[name] = value
  }
  for (const k of BASE) if (!Object.hasOwn(metrics, k)) throw bad(`base metric ${k} missing`)
  const version = m[1] as '3.0' | '3.1'
  return { version, vector, metrics, baseScore: baseScoreOf(metrics as Record<(typeof BASE)[number], string>, version) }
}

function baseScoreOf(m: Record<(typeof BASE)[number], string>, version: '3.0' | '3.1'): number {
  const scope = m.S as 'U' | 'C'
  const w = <T extends Record<string, number>>(table: T, value: string) => table[value as keyof T] as number
  const iss = 1 - (1 - w(WEIGHTS.CIA, m.C)) * (1 - w(WEIGHTS.CIA, m.I)) * (1 - w(WEIGHTS.CIA, m.A))
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15)
  const exploitability = 8.22 * w(WEIGHTS.AV, m.AV) * w(WEIGHTS.AC, m.AC) * w(WEIGHTS.PR[scope], m.PR) * w(WEIGHTS.UI, m.UI)
  if (impact <= 0) return 0
  const roundup = version === '3.1' ? roundup31 : roundup30
  return scope === 'U' ? roundup(Math.min(impact + exploitability, 10)) : roundup(Math.min(1.08 * (impact + exploitability), 10))
}
