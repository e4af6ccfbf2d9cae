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
 * fields are the strings every finding of it shares, `records` names the package whose
 * advisories it is matched against (recordsKey), and `matches` is set once it is matched.
 */
export interface KeySlot { readonly pkg: Package, readonly records: string, matches?: VersionMatch[] }

export class VulnMatcher {
  readonly #source: AdvisorySource
  /** Advisories by package (recordsKey): the request until a batch fetch has them, then the records themselves (matched with no await). */
  readonly #records = new Map<string, OsvRecord[] | Promise<OsvRecord[]>>()
  readonly #slots = new Map<string, KeySlot>()

  constructor(source: AdvisorySource) {
    this.#source = source
  }

  /** The slot of a match key (the same object every time). */
  slot(key: string): KeySlot {
    let s = this.#slots.get(key)
    if (!s) {
      const pkg = packageOfKey(key, '')
      s = { pkg, records: recordsKey(pkg.ecosystem, pkg.sourceName ?? pkg.name) }
      this.#slots.set(key, s)
    }
    return s
  }

  #recordsFor(s: KeySlot): OsvRecord[] | Promise<OsvRecord[]> {
    let r = this.#records.get(s.records)
    if (!r) { r = this.#source.recordsFor(s.pkg.ecosystem, s.pkg.sourceName ?? s.pkg.name); this.#records.set(s.records, r) }
    return r
  }

  async #prefetchSlots(lists: readonly KeySlot[][]): Promise<void> {
    if (!this.#source.recordsForMany) return
    const wanted = new Map<string, { ecosystem: string, name: string }>()
    for (let i = 0; i < lists.length; i++) {
      const list = lists[i]!
      for (let j = 0; j < list.length; j++) {
        const { pkg, records: rk, matches } = list[j]!
        if (matches) continue
        if (!this.#records.has(rk) && !wanted.has(rk)) wanted.set(rk, { ecosystem: pkg.ecosystem, name: pkg.sourceName ?? pkg.name })
      }
    }
    if (wanted.size === 0) return
    const pending = this.#source.recordsForMany([...wanted.values()])
    let i = 0
    for (const rk of wanted.keys()) { const n = i++; this.#records.set(rk, pending.then((all) => all[n]!)) }
    const all = await pending
    i = 0
    for (const rk of wanted.keys()) this.#records.set(rk, all[i++]!)
  }

  /**
   * Matches every slot not matched yet, given as files' slot lists (walked where they are: a
   * cold scan's 1.1M slots are never gathered into one array). The advisories of every
   * package they name that no earlier call asked for are fetched in one request to the source
   * first: a cold scan then costs one store round trip per batch of files instead of one per
   * package name, and matches with no await per slot.
   */
  async match(lists: readonly KeySlot[][]): Promise<void> {
    await this.#prefetchSlots(lists)
    for (let i = 0; i < lists.length; i++) {
      const list = lists[i]!
      for (let j = 0; j < list.length; j++) {
        const s = list[j]!
        if (s.matches) continue
        const records = this.#recordsFor(s)
        s.matches = matchPackage(Array.isArray(records) ? records : await records, s.pkg)
      }
    }
  }

  /**
   * A file's findings from its matched slots, in slot order, each id once. Their ecosystem,
   * package and version are the slot's strings, shared by every finding of that package
   * version. Indexed loops, no callback: a cold scan runs this over 1.1M slots, and what it
   * allocates besides the findings was a third of the main thread's young-generation garbage.
   */
  findingsOf(path: string, slots: KeySlot[], agent: string): Finding[] {
    const findings: Finding[] = []
    let seen: Set<string> | undefined
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!
      const matches = s.matches!
      for (let j = 0; j < matches.length; j++) {
        const m = matches[j]!
        const id = vulnFingerprint(agent, m.rule, s.pkg.name, s.pkg.version, path)
        if (seen === undefined) seen = new Set()
        else if (seen.has(id)) continue
        seen.add(id)
        findings.push(vulnFinding(id, m, s.pkg.ecosystem, s.pkg.name, s.pkg.version, path))
      }
    }
    return findings
  }
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
