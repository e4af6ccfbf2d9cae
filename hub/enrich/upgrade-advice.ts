// "Upgrade X to Y clears N findings on M agents": vulnerability findings grouped per
// (ecosystem, package), each needing its package raised to the highest of its fixing
// versions (fixedIn lists the fixes of every interval its version falls in, across the
// alias group's records: below the highest, another record may still call it affected).
// The version that clears the most findings is the highest such need; the steps below it
// are kept as options ("to 4.17.12 clears 3, to 4.17.21 clears 5"). Versions compare by the
// ecosystem's comparator (advisories/versions), SemVer where it has none. Pure.
import { comparatorFor, semver } from '../../advisories/index.ts'
import { normalizeName } from '../../protocol/index.ts'

export interface AdviceFinding {
  agent: string
  ecosystem: string
  package: string
  version: string
  fixedIn: readonly string[]
  /** The finding's id, listed in the advice when given. */
  id?: string
  /** Its risk score (risk.ts), summed to order advice of equal reach. */
  risk?: number
}

export interface UpgradeStep {
  version: string
  /** Findings cleared by upgrading to this version (cumulative). */
  clears: number
  agents: number
  risk: number
}

export interface UpgradeAdvice {
  ecosystem: string
  package: string
  /** The smallest version clearing the most findings. */
  upgradeTo: string
  clears: number
  /** Agents on which it clears something. */
  agents: number
  /** Sum of the cleared findings' risk. */
  risk: number
  /** Versions the cleared findings are on. */
  from: string[]
  /** Ids of the cleared findings (those given one). */
  findings: string[]
  /** Findings of the package no known fix clears. */
  unfixed: number
  /** Each version that clears more than the one below it, ascending; the last is upgradeTo. */
  steps: UpgradeStep[]
  text: string
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** Per (ecosystem, package) with a known fix: the upgrade that clears the most, sorted by findings cleared, then risk. */
export function upgradeAdvice(findings: Iterable<AdviceFinding>): UpgradeAdvice[] {
  const groups = new Map<string, { ecosystem: string, package: string, items: { f: AdviceFinding, need: string }[], unfixed: number }>()
  for (const f of findings) {
    const key = `${f.ecosystem}\0${normalizeName(f.ecosystem, f.package)}`
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { ecosystem: f.ecosystem, package: f.package, items: [], unfixed: 0 }))
    const cmp = comparatorFor(f.ecosystem) ?? semver
    let need: string | undefined
    for (const v of f.fixedIn) if (need === undefined || cmp.compare(v, need) > 0) need = v
    if (need === undefined) g.unfixed++
    else g.items.push({ f, need })
  }
  const out: UpgradeAdvice[] = []
  for (const g of groups.values()) {
    if (g.items.length === 0) continue
    const cmp = comparatorFor(g.ecosystem) ?? semver
    g.items.sort((a, b) => cmp.compare(a.need, b.need))
    const agents = new Set<string>()
    const from = new Set<string>()
    const ids: string[] = []
    const steps: UpgradeStep[] = []
    let risk = 0
    g.items.forEach(({ f, need }, i) => {
      agents.add(f.agent)
      from.add(f.version)
      if (f.id !== undefined) ids.push(f.id)
      risk += f.risk ?? 0
      const next = g.items[i + 1]
      if (next === undefined || cmp.compare(next.need, need) !== 0) steps.push({ version: need, clears: i + 1, agents: agents.size, risk: Math.round(risk * 10) / 10 })
    })
    const best = steps[steps.length - 1]!
    out.push({
      ecosystem: g.ecosystem, package: g.package, upgradeTo: best.version, clears: best.clears, agents: best.agents, risk: best.risk,
      from: [...from].sort((a, b) => cmp.compare(a, b)), findings: ids, unfixed: g.unfixed, steps,
      text: `upgrade ${g.package} to ${best.version} clears ${plural(best.clears, 'finding')} on ${plural(best.agents, 'agent')}`,
    })
  }
  return out.sort((a, b) => b.clears - a.clears || b.risk - a.risk || (a.ecosystem < b.ecosystem ? -1 : a.ecosystem > b.ecosystem ? 1 : 0) || (a.package < b.package ? -1 : a.package > b.package ? 1 : 0))
}
