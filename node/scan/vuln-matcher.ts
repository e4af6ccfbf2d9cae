// Packages → vulnerability findings. Lockfile trees repeat the same packages many times,
// so advisories are fetched once per (ecosystem, name) and matched once per distinct
// package version (a slot); every occurrence then only costs a lookup.
import { matchPackage, type OsvRecord, type PackageMatch } from '../../advisories/index.ts'
import type { Finding } from '../../crdt/index.ts'
import { baseEcosystem, normalizeName, type Package } from '../../protocol/index.ts'
import type { Group } from './cached-findings.ts'
import { vulnFingerprint } from './finding-id.ts'
import { packageOfKey } from './package-codec.ts'

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

/**
 * One distinct package version of the scan (a match key, package-codec.ts), held once: its
 * fields are the strings every finding of it shares, and `matches` is set once it is matched.
 */
export interface KeySlot { readonly pkg: Package, matches?: VersionMatch[] }

export class VulnMatcher {
  readonly #source: AdvisorySource
  readonly #records = new Map<string, Promise<OsvRecord[]>>()
  readonly #slots = new Map<string, KeySlot>()

  constructor(source: AdvisorySource) {
    this.#source = source
  }

  /** The slot of a match key (the same object every time). */
  slot(key: string): KeySlot {
    let s = this.#slots.get(key)
    if (!s) { s = { pkg: packageOfKey(key, '') }; this.#slots.set(key, s) }
    return s
  }

  #recordsFor(p: Package): Promise<OsvRecord[]> {
    const name = p.sourceName ?? p.name
    const key = recordsKey(p.ecosystem, name)
    let r = this.#records.get(key)
    if (!r) { r = this.#source.recordsFor(p.ecosystem, name); this.#records.set(key, r) }
    return r
  }

  async #prefetchSlots(slots: KeySlot[]): Promise<void> {
    if (!this.#source.recordsForMany) return
    const wanted = new Map<string, { ecosystem: string, name: string }>()
    for (const { pkg, matches } of slots) {
      if (matches) continue
      const name = pkg.sourceName ?? pkg.name
      const rk = recordsKey(pkg.ecosystem, name)
      if (!this.#records.has(rk) && !wanted.has(rk)) wanted.set(rk, { ecosystem: pkg.ecosystem, name })
    }
    if (wanted.size === 0) return
    const pending = this.#source.recordsForMany([...wanted.values()])
    let i = 0
    for (const rk of wanted.keys()) { const n = i++; this.#records.set(rk, pending.then((all) => all[n]!)) }
    await pending
  }

  /**
   * Matches every slot not matched yet. The advisories of every package they name that no
   * earlier call asked for are fetched in one request to the source first: a cold scan then
   * costs one store round trip per batch of files instead of one per package name.
   */
  async match(slots: KeySlot[]): Promise<void> {
    await this.#prefetchSlots(slots)
    for (const s of slots) if (!s.matches) s.matches = matchPackage(await this.#recordsFor(s.pkg), s.pkg)
  }

  /**
   * A file's findings from its matched slots, in slot order. Their ecosystem, package and
   * version are the slot's strings, shared by every finding of that package version.
   */
  findingsOf(path: string, slots: KeySlot[], agent: string): Finding[] {
    const findings: Finding[] = []
    const seen = new Set<string>()
    for (const s of slots) if (s.matches!.length > 0) this.#eachNew(s, path, agent, seen, (m, id) => findings.push(findingOf(s, m, id, path)))
    return findings
  }

  /** Each advisory group of a matched slot at a path with its finding id, but ids already seen. */
  #eachNew(s: KeySlot, path: string, agent: string, seen: Set<string>, emit: (m: VersionMatch, id: string) => void): void {
    for (const m of s.matches!) {
      const id = vulnFingerprint(agent, m.rule, `${s.pkg.name}@${s.pkg.version}`, path)
      if (seen.has(id)) continue
      seen.add(id)
      emit(m, id)
    }
  }
}

function findingOf(s: KeySlot, m: VersionMatch, id: string, path: string): Finding {
  return vulnFinding(id, m, s.pkg.ecosystem, s.pkg.name, s.pkg.version, path)
}

/**
 * A vuln finding, built by one literal per shape: all properties in the object itself, no
 * property store grown field by field (the scan cache rebuilds its findings with it too).
 */
export function vulnFinding(id: string, g: Group, ecosystem: string, pkg: string, version: string, path: string): Finding {
  const { rule, aliases, severity, score, title, fixedIn } = g
  if (score !== undefined) {
    if (title !== undefined) return { id, kind: 'vuln', rule, aliases, severity, score, title, ecosystem, package: pkg, version, fixedIn, path }
    return { id, kind: 'vuln', rule, aliases, severity, score, ecosystem, package: pkg, version, fixedIn, path }
  }
  if (title !== undefined) return { id, kind: 'vuln', rule, aliases, severity, title, ecosystem, package: pkg, version, fixedIn, path }
  return { id, kind: 'vuln', rule, aliases, severity, ecosystem, package: pkg, version, fixedIn, path }
}

function recordsKey(ecosystem: string, name: string): string {
  return `${baseEcosystem(ecosystem)}\0${normalizeName(ecosystem, name)}`
}
