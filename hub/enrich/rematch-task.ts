// One re-match task, run in a worker (rematch-worker.ts) or inline: inventory entries and
// the advisory records of their packages in, findings out, with the fingerprint an agent
// computes for the same (agent, 'vuln', rule, name@version, path).
import { matchPackage, type OsvRecord, type PackageMatch } from '../../advisories/index.ts'
import { fingerprint, type Finding } from '../../crdt/index.ts'
import type { Package } from '../../protocol/index.ts'

export interface RematchTask {
  agents: string[]
  /** Records per package (index = `entries[i].k`), in the DB's order. */
  records: OsvRecord[][]
  /** `a`: index into agents; `k`: index into records. */
  entries: { a: number, k: number, p: Package }[]
}

export interface RematchTaskResult {
  /** Agent index of each finding. */
  a: number[]
  f: Finding[]
}

export function runRematchTask(task: RematchTask): RematchTaskResult {
  const out: RematchTaskResult = { a: [], f: [] }
  // Lockfiles repeat packages and agents share them: match each distinct version once.
  const byVersion = new Map<string, PackageMatch[]>()
  for (const { a, k, p } of task.entries) {
    const key = `${k}\u0001${p.ecosystem}\u0001${p.name}\u0001${p.version}\u0001${p.sourceName ?? ''}\u0001${p.sourceVersion ?? ''}`
    let matches = byVersion.get(key)
    if (!matches) { matches = matchPackage(task.records[k]!, p); byVersion.set(key, matches) }
    if (matches.length === 0) continue
    const agent = task.agents[a]!
    for (const m of matches) {
      out.a.push(a)
      out.f.push({
        id: fingerprint({ agent, kind: 'vuln', rule: m.rule, subject: `${p.name}@${p.version}`, path: p.source }),
        kind: 'vuln', rule: m.rule, aliases: m.aliases, severity: m.severity,
        ...(m.score !== undefined ? { score: m.score } : {}), ...(m.title ? { title: m.title } : {}),
        ecosystem: p.ecosystem, package: p.name, version: p.version, fixedIn: m.fixedIn, path: p.source,
      })
    }
  }
  return out
}
