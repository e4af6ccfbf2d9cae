// Packages → vulnerability findings. Lockfile trees repeat the same packages many times,
// so advisories are fetched once per (ecosystem, name) and matched once per distinct
// package version; every occurrence then only costs a map lookup.
import { affects, groupAliases, severityOf, type OsvRecord } from '../../advisories/index.ts'
import { fingerprint, type Finding, type Severity } from '../../crdt/index.ts'
import { baseEcosystem, normalizeName, type Package } from '../../protocol/index.ts'
import { matchKey, packageOfKey } from './package-codec.ts'

/** Where advisories come from: the LevelDB advisory DB, or anything with the same lookup. */
export interface AdvisorySource {
  recordsFor(ecosystem: string, name: string): Promise<OsvRecord[]>
  /** Changes whenever the advisories change, so findings cached under it can be trusted. */
  generation?(): string
}

/** One advisory group affecting one package version, before it is placed at a path. */
interface VersionMatch {
  rule: string
  aliases: string[]
  severity: Severity
  score?: number
  title?: string
  fixedIn: string[]
}

export class VulnMatcher {
  readonly #source: AdvisorySource
  readonly #records = new Map<string, Promise<OsvRecord[]>>()
  readonly #byVersion = new Map<string, VersionMatch[]>()

  constructor(source: AdvisorySource) {
    this.#source = source
  }

  #recordsFor(p: Package): Promise<OsvRecord[]> {
    const name = p.sourceName ?? p.name
    const key = `${baseEcosystem(p.ecosystem)}\0${normalizeName(p.ecosystem, name)}`
    let r = this.#records.get(key)
    if (!r) { r = this.#source.recordsFor(p.ecosystem, name); this.#records.set(key, r) }
    return r
  }

  async #matchVersion(p: Package, key: string): Promise<VersionMatch[]> {
    const records = await this.#recordsFor(p)
    const matched: { record: OsvRecord, fixed: string[] }[] = []
    for (const record of records) {
      const m = affects(record, p)
      if (m) matched.push({ record, fixed: m.fixed })
    }
    const out: VersionMatch[] = groupAliases(matched.map((m) => m.record)).map((group) => {
      const members = matched.filter((m) => group.ids.includes(m.record.id))
      const sev = members.map((m) => severityOf(m.record)).sort((a, b) => (b.score ?? -1) - (a.score ?? -1))[0]!
      const primary = members.find((m) => m.record.id === group.primary) ?? members[0]!
      return {
        rule: group.primary,
        aliases: group.ids,
        severity: sev.level === 'none' ? 'low' : sev.level,
        ...(sev.score !== undefined ? { score: sev.score } : {}),
        ...(primary.record.summary ? { title: primary.record.summary } : {}),
        fixedIn: [...new Set(members.flatMap((m) => m.fixed))],
      }
    })
    this.#byVersion.set(key, out)
    return out
  }

  /** One finding per (advisory group, package, version, path). */
  async findingsFor(packages: Package[], agent: string): Promise<Finding[]> {
    const findings: Finding[] = []
    const seen = new Set<string>()
    for (const p of packages) {
      const key = matchKey(p)
      const matches = this.#byVersion.get(key) ?? await this.#matchVersion(p, key)
      if (matches.length > 0) this.#addFindings(p, matches, agent, findings, seen)
    }
    return findings
  }

  /** The same from files' match keys (package-codec.ts), without decoding package objects. */
  async findingsForKeys(files: { path: string, keys: string }[], agent: string): Promise<Finding[]> {
    const findings: Finding[] = []
    const seen = new Set<string>()
    for (const f of files) {
      if (f.keys === '') continue
      for (const key of f.keys.split('\n')) {
        let matches = this.#byVersion.get(key)
        if (!matches) matches = await this.#matchVersion(packageOfKey(key, f.path), key)
        if (matches.length > 0) this.#addFindings(packageOfKey(key, f.path), matches, agent, findings, seen)
      }
    }
    return findings
  }

  #addFindings(p: Package, matches: VersionMatch[], agent: string, findings: Finding[], seen: Set<string>): void {
    for (const m of matches) {
      const id = fingerprint({ agent, kind: 'vuln', rule: m.rule, subject: `${p.name}@${p.version}`, path: p.source })
      if (seen.has(id)) continue
      seen.add(id)
      findings.push({
        id, kind: 'vuln', rule: m.rule, aliases: m.aliases, severity: m.severity,
        ...(m.score !== undefined ? { score: m.score } : {}), ...(m.title ? { title: m.title } : {}),
        ecosystem: p.ecosystem, package: p.name, version: p.version, fixedIn: m.fixedIn, path: p.source,
      })
    }
  }
}
