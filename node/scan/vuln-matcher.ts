// Packages → vulnerability findings. Lockfile trees repeat the same packages many times,
// so advisories are fetched once per (ecosystem, name) and matched once per distinct
// package version; every occurrence then only costs a map lookup.
import { matchPackage, type OsvRecord, type PackageMatch } from '../../advisories/index.ts'
import type { Finding } from '../../crdt/index.ts'
import { baseEcosystem, normalizeName, type Package } from '../../protocol/index.ts'
import { vulnFingerprint } from './finding-id.ts'
import { matchKey, packageOfKey } from './package-codec.ts'

/** Where advisories come from: the LevelDB advisory DB, or anything with the same lookup. */
export interface AdvisorySource {
  recordsFor(ecosystem: string, name: string): Promise<OsvRecord[]>
  /** The same for many packages at once (one round trip to the store), where the source can. */
  recordsForMany?(packages: { ecosystem: string, name: string }[]): Promise<OsvRecord[][]>
  /** Changes whenever the advisories change, so findings cached under it can be trusted. */
  generation?(): string
}

/** One advisory group affecting one package version, before it is placed at a path (the hub's re-match computes the same). */
type VersionMatch = PackageMatch

export class VulnMatcher {
  readonly #source: AdvisorySource
  readonly #records = new Map<string, Promise<OsvRecord[]>>()
  readonly #byVersion = new Map<string, VersionMatch[]>()

  constructor(source: AdvisorySource) {
    this.#source = source
  }

  #recordsFor(p: Package): Promise<OsvRecord[]> {
    const name = p.sourceName ?? p.name
    const key = recordsKey(p.ecosystem, name)
    let r = this.#records.get(key)
    if (!r) { r = this.#source.recordsFor(p.ecosystem, name); this.#records.set(key, r) }
    return r
  }

  /**
   * Fetches, in one request to the source, the advisories of every package these match
   * keys name that no earlier call asked for: a cold scan then costs one store round trip
   * per batch of files instead of one per package name.
   */
  async prefetch(keyLists: string[]): Promise<void> {
    if (!this.#source.recordsForMany) return
    const wanted = new Map<string, { ecosystem: string, name: string }>()
    for (const keys of keyLists) {
      if (keys === '') continue
      for (const key of keys.split('\n')) {
        if (this.#byVersion.has(key)) continue
        const p = packageOfKey(key, '')
        const name = p.sourceName ?? p.name
        const rk = recordsKey(p.ecosystem, name)
        if (!this.#records.has(rk) && !wanted.has(rk)) wanted.set(rk, { ecosystem: p.ecosystem, name })
      }
    }
    if (wanted.size === 0) return
    const pending = this.#source.recordsForMany([...wanted.values()])
    let i = 0
    for (const rk of wanted.keys()) { const n = i++; this.#records.set(rk, pending.then((all) => all[n]!)) }
    await pending
  }

  async #matchVersion(p: Package, key: string): Promise<VersionMatch[]> {
    const out = matchPackage(await this.#recordsFor(p), p)
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
      // Most keys of a big tree are known by now and have no match: a scan of the string
      // with indexOf and one map lookup each, no array of the file's keys.
      const keys = f.keys
      for (let at = 0; at <= keys.length;) {
        let end = keys.indexOf('\n', at)
        if (end === -1) end = keys.length
        const key = keys.slice(at, end)
        at = end + 1
        let matches = this.#byVersion.get(key)
        if (!matches) matches = await this.#matchVersion(packageOfKey(key, f.path), key)
        if (matches.length > 0) this.#addFindings(packageOfKey(key, f.path), matches, agent, findings, seen)
      }
    }
    return findings
  }

  #addFindings(p: Package, matches: VersionMatch[], agent: string, findings: Finding[], seen: Set<string>): void {
    for (const m of matches) {
      const id = vulnFingerprint(agent, m.rule, `${p.name}@${p.version}`, p.source)
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

function recordsKey(ecosystem: string, name: string): string {
  return `${baseEcosystem(ecosystem)}\0${normalizeName(ecosystem, name)}`
}
