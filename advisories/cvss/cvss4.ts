// CVSS v4.0: a vector parsed strictly and scored by the specification's macrovector method
// (CVSS v4.0 §8): the vector's equivalence classes EQ1…EQ6 pick a macrovector, whose
// highest-severity vector has a published score; the vector's score is that minus the mean
// of its proportional severity distances towards the next lower macrovector of each EQ.
// The arithmetic follows FIRST's reference calculator step for step (same floating-point
// operations, same order), so scores agree to the last digit.
import { AdvisoryError } from '../errors.ts'
import { MACROVECTOR_SCORES, MAX_SEVERITY, MAX_VECTORS } from './cvss4-macrovectors.ts'

/** Every metric in the order a vector must list them, with its values. */
const METRICS: readonly (readonly [string, readonly string[]])[] = [
  // Base: all required.
  ['AV', ['N', 'A', 'L', 'P']], ['AC', ['L', 'H']], ['AT', ['N', 'P']], ['PR', ['N', 'L', 'H']], ['UI', ['N', 'P', 'A']],
  ['VC', ['H', 'L', 'N']], ['VI', ['H', 'L', 'N']], ['VA', ['H', 'L', 'N']],
  ['SC', ['H', 'L', 'N']], ['SI', ['H', 'L', 'N']], ['SA', ['H', 'L', 'N']],
  // Threat.
  ['E', ['X', 'A', 'P', 'U']],
  // Environmental.
  ['CR', ['X', 'H', 'M', 'L']], ['IR', ['X', 'H', 'M', 'L']], ['AR', ['X', 'H', 'M', 'L']],
  ['MAV', ['X', 'N', 'A', 'L', 'P']], ['MAC', ['X', 'L', 'H']], ['MAT', ['X', 'N', 'P']], ['MPR', ['X', 'N', 'L', 'H']],
  ['MUI', ['X', 'N', 'P', 'A']], ['MVC', ['X', 'H', 'L', 'N']], ['MVI', ['X', 'H', 'L', 'N']], ['MVA', ['X', 'H', 'L', 'N']],
  ['MSC', ['X', 'H', 'L', 'N']], ['MSI', ['X', 'S', 'H', 'L', 'N']], ['MSA', ['X', 'S', 'H', 'L', 'N']],
  // Supplemental: carried, never scored.
  ['S', ['X', 'N', 'P']], ['AU', ['X', 'N', 'Y']], ['R', ['X', 'A', 'U', 'I']], ['V', ['X', 'D', 'C']],
  ['RE', ['X', 'L', 'M', 'H']], ['U', ['X', 'Clear', 'Green', 'Amber', 'Red']],
]
const BASE_METRICS = 11
const ENVIRONMENTAL = new Set(['CR', 'IR', 'AR', 'MAV', 'MAC', 'MAT', 'MPR', 'MUI', 'MVC', 'MVI', 'MVA', 'MSC', 'MSI', 'MSA'])
const INDEX = new Map(METRICS.map(([name], i) => [name, i]))

/** Unset (X) threat and requirement metrics score as the worst case. */
const WORST_CASE: Readonly<Record<string, string>> = { E: 'A', CR: 'H', IR: 'H', AR: 'H' }

/** Position of each value in its metric's severity order, in steps of 0.1 (the calculator's units). */
const LEVELS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  AV: { N: 0.0, A: 0.1, L: 0.2, P: 0.3 },
  PR: { N: 0.0, L: 0.1, H: 0.2 },
  UI: { N: 0.0, P: 0.1, A: 0.2 },
  AC: { L: 0.0, H: 0.1 },
  AT: { N: 0.0, P: 0.1 },
  VC: { H: 0.0, L: 0.1, N: 0.2 },
  VI: { H: 0.0, L: 0.1, N: 0.2 },
  VA: { H: 0.0, L: 0.1, N: 0.2 },
  SC: { H: 0.1, L: 0.2, N: 0.3 },
  SI: { S: 0.0, H: 0.1, L: 0.2, N: 0.3 },
  SA: { S: 0.0, H: 0.1, L: 0.2, N: 0.3 },
  CR: { H: 0.0, M: 0.1, L: 0.2 },
  IR: { H: 0.0, M: 0.1, L: 0.2 },
  AR: { H: 0.0, M: 0.1, L: 0.2 },
  E: { U: 0.2, P: 0.1, A: 0 },
}
const STEP = 0.1

/** CVSS-B scores base metrics alone; T adds threat, E environmental metrics. */
export type Cvss4Nomenclature = 'CVSS-B' | 'CVSS-BT' | 'CVSS-BE' | 'CVSS-BTE'

export interface Cvss4 {
  version: '4.0'
  vector: string
  /** The metrics the vector states, explicit X included. */
  metrics: Readonly<Record<string, string>>
  /** EQ1…EQ6, e.g. `001100`. */
  macroVector: string
  score: number
  nomenclature: Cvss4Nomenclature
}

/** Parses a `CVSS:4.0/…` vector (metrics in the specification's order, each once) and scores it; throws AdvisoryError `bad-cvss`. */
export function parseCvss4(vector: string): Cvss4 {
  const bad = (why: string) => new AdvisoryError('bad-cvss', `${why} in CVSS v4.0 vector '${vector.slice(0, 300)}'`)
  if (!vector.startsWith('CVSS:4.0/')) throw bad('no CVSS:4.0 prefix')
  const metrics: Record<string, string> = {}
  let next = 0
  for (const part of vector.slice('CVSS:4.0/'.length).split('/')) {
    const colon = part.indexOf(':')
    const name = colon > 0 ? part.slice(0, colon) : ''
    const at = INDEX.get(name)
    if (at === undefined) throw bad(colon > 0 ? `unknown metric '${name}'` : `malformed metric '${part}'`)
    if (at < next) throw bad(`${name} repeated or out of order`)
    if (at > next && next < BASE_METRICS) throw bad(`base metric ${METRICS[next]![0]} missing`)
    const value = part.slice(colon + 1)
    if (!METRICS[at]![1].includes(value)) throw bad(`'${value}' is not a value of ${name}`)
    metrics[name] = value
    next = at + 1
  }
  if (next < BASE_METRICS) throw bad(`base metric ${METRICS[next]![0]} missing`)
  const macroVector = macroVectorOf(metrics)
  const stated = (names: (name: string) => boolean) => Object.entries(metrics).some(([k, v]) => names(k) && v !== 'X')
  const threat = stated((k) => k === 'E')
  const environmental = stated((k) => ENVIRONMENTAL.has(k))
  const nomenclature: Cvss4Nomenclature = `CVSS-B${threat ? 'T' : ''}${environmental ? 'E' : ''}` as Cvss4Nomenclature
  return { version: '4.0', vector, metrics, macroVector, score: scoreOf(metrics, macroVector), nomenclature }
}

/** The value a metric scores with: its modified (M…) value when set, else the stated one, else the worst case. */
function effective(metrics: Readonly<Record<string, string>>, metric: string): string {
  const value = metrics[metric] ?? 'X'
  if (value === 'X' && WORST_CASE[metric] !== undefined) return WORST_CASE[metric]
  const modified = metrics['M' + metric]
  return modified !== undefined && modified !== 'X' ? modified : value
}

function macroVectorOf(m: Readonly<Record<string, string>>): string {
  const v = (metric: string) => effective(m, metric)
  const av = v('AV'), pr = v('PR'), ui = v('UI')
  const eq1 = av === 'N' && pr === 'N' && ui === 'N' ? 0 : (av === 'N' || pr === 'N' || ui === 'N') && av !== 'P' ? 1 : 2
  const eq2 = v('AC') === 'L' && v('AT') === 'N' ? 0 : 1
  const vc = v('VC'), vi = v('VI'), va = v('VA')
  const eq3 = vc === 'H' && vi === 'H' ? 0 : vc === 'H' || vi === 'H' || va === 'H' ? 1 : 2
  const eq4 = v('MSI') === 'S' || v('MSA') === 'S' ? 0 : v('SC') === 'H' || v('SI') === 'H' || v('SA') === 'H' ? 1 : 2
  const eq5 = { A: 0, P: 1, U: 2 }[v('E') as 'A' | 'P' | 'U']
  const eq6 = (v('CR') === 'H' && vc === 'H') || (v('IR') === 'H' && vi === 'H') || (v('AR') === 'H' && va === 'H') ? 0 : 1
  return `${eq1}${eq2}${eq3}${eq4}${eq5}${eq6}`
}

/** Score of a macrovector's highest-severity vector; NaN where no such macrovector exists. */
function lookup(eqs: readonly number[]): number {
  return MACROVECTOR_SCORES[eqs.join('')] ?? Number.NaN
}

function scoreOf(m: Readonly<Record<string, string>>, macroVector: string): number {
  // No impact on any system scores 0 whatever else the vector says.
  if (['VC', 'VI', 'VA', 'SC', 'SI', 'SA'].every((metric) => effective(m, metric) === 'N')) return 0
  const eq = [...macroVector].map(Number) as [number, number, number, number, number, number]
  const [eq1, eq2, eq3, eq4, eq5, eq6] = eq
  const value = lookup(eq)
  const lowered = (i: number, by = 1) => eq.map((x, j) => (j === i ? x + by : x))

  // 1a. The maximal scoring difference towards the next lower macrovector of each EQ.
  const lowerEq1 = lookup(lowered(0))
  const lowerEq2 = lookup(lowered(1))
  let lowerEq3eq6: number
  if (eq3 === 0 && eq6 === 0) {
    // Two ways down (EQ6 or EQ3): the higher-scoring one. Math.max yields NaN if one is missing, as in the calculator.
    lowerEq3eq6 = Math.max(lookup(lowered(5)), lookup(lowered(2)))
  } else if (eq3 === 1 && eq6 === 0) {
    lowerEq3eq6 = lookup(lowered(5))
  } else if (eq3 === 2) {
    lowerEq3eq6 = lookup(lowered(2).map((x, j) => (j === 5 ? x + 1 : x)))
  } else {
    lowerEq3eq6 = lookup(lowered(2))
  }
  const lowerEq4 = lookup(lowered(3))
  const lowerEq5 = lookup(lowered(4))

  // 1b. The severity distance from the first highest-severity vector of the macrovector the vector does not exceed.
  let distances: Record<string, number> = {}
  search: for (const e1 of MAX_VECTORS.eq1[eq1]!) {
    for (const e2 of MAX_VECTORS.eq2[eq2]!) {
      for (const e36 of MAX_VECTORS.eq3eq6[eq3]![eq6]!) {
        for (const e4 of MAX_VECTORS.eq4[eq4]!) {
          for (const e5 of MAX_VECTORS.eq5[eq5]!) {
            const max = { ...e1, ...e2, ...e36, ...e4, ...e5 }
            distances = {}
            for (const metric in LEVELS) distances[metric] = LEVELS[metric]![effective(m, metric)]! - LEVELS[metric]![max[metric]!]!
            if (Object.values(distances).every((d) => d >= 0)) break search
          }
        }
      }
    }
  }
  const d = distances as Record<string, number>
  const distanceEq1 = d.AV! + d.PR! + d.UI!
  const distanceEq2 = d.AC! + d.AT!
  const distanceEq3eq6 = d.VC! + d.VI! + d.VA! + d.CR! + d.IR! + d.AR!
  const distanceEq4 = d.SC! + d.SI! + d.SA!

  // 1c–d. Each available difference scaled by the proportion of the macrovector's depth travelled; EQ5 always 0.
  const parts: number[] = []
  const add = (available: number, proportion: () => number) => {
    if (!Number.isNaN(available)) parts.push(available * proportion())
  }
  add(value - lowerEq1, () => distanceEq1 / (MAX_SEVERITY.eq1[eq1]! * STEP))
  add(value - lowerEq2, () => distanceEq2 / (MAX_SEVERITY.eq2[eq2]! * STEP))
  add(value - lowerEq3eq6, () => distanceEq3eq6 / (MAX_SEVERITY.eq3eq6[eq3]![eq6]! * STEP))
  add(value - lowerEq4, () => distanceEq4 / (MAX_SEVERITY.eq4[eq4]! * STEP))
  add(value - lowerEq5, () => 0)

  // 2–3. The macrovector's score less the mean of those, clamped and rounded half up to one decimal.
  let sum = 0
  for (const p of parts) sum += p
  const mean = parts.length === 0 ? 0 : sum / parts.length
  const score = Math.max(0, Math.min(10, value - mean))
  return Number.parseFloat((Math.round(score * 10) / 10).toFixed(1))
}
