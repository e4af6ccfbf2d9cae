// CVSS v3.0 / v3.1 base score, computed from the vector per the specification
// (FIRST CVSS v3.1 §7.1 and Appendix A for Roundup).
import { AdvisoryError } from '../errors.ts'

const W = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  PR: { N: [0.85, 0.85], L: [0.62, 0.68], H: [0.27, 0.5] }, // [scope unchanged, scope changed]
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const

const REQUIRED = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const

export interface Cvss3 { version: '3.0' | '3.1', metrics: Record<string, string>, baseScore: number }

/** Roundup of CVSS 3.1 (Appendix A): avoids floating-point surprises like 4.000000001 → 4.1. */
function roundup31(x: number): number {
  const i = Math.round(x * 100_000)
  return i % 10_000 === 0 ? i / 100_000 : (Math.floor(i / 10_000) + 1) / 10
}

function roundup30(x: number): number {
  return Math.ceil(x * 10) / 10
}

export function parseCvss3(vector: string): Cvss3 {
  const m = /^CVSS:(3\.[01])\/(.+)$/.exec(vector.trim())
  if (!m) throw new AdvisoryError('bad-cvss', `not a CVSS v3 vector: ${vector}`)
  const metrics: Record<string, string> = {}
  for (const part of m[2]!.split('/')) {
    const [k, v] = part.split(':')
    if (!k || !v || metrics[k] !== undefined) throw new AdvisoryError('bad-cvss', `bad metric '${part}' in ${vector}`)
    metrics[k] = v
  }
  for (const k of REQUIRED) if (metrics[k] === undefined) throw new AdvisoryError('bad-cvss', `${vector} lacks ${k}`)
  const changed = metrics.S === 'C'
  if (metrics.S !== 'U' && metrics.S !== 'C') throw new AdvisoryError('bad-cvss', `bad scope in ${vector}`)
  const get = <T extends Record<string, unknown>>(table: T, k: string): T[keyof T] => {
    const v = table[metrics[k]!]
    if (v === undefined) throw new AdvisoryError('bad-cvss', `bad ${k} value in ${vector}`)
    return v as T[keyof T]
  }
  const av = get(W.AV, 'AV') as number
  const ac = get(W.AC, 'AC') as number
  const pr = (get(W.PR, 'PR') as readonly number[])[changed ? 1 : 0]!
  const ui = get(W.UI, 'UI') as number
  const [c, i, a] = (['C', 'I', 'A'] as const).map((k) => get(W.CIA, k) as number)
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!)
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss
  const exploitability = 8.22 * av * ac * pr * ui
  const round = m[1] === '3.1' ? roundup31 : roundup30
  const baseScore = impact <= 0 ? 0 : round(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10))
  return { version: m[1] as '3.0' | '3.1', metrics, baseScore }
}
