// One finding per vulnerability, not per database: records naming each other in
// `aliases`, or sharing an alias (GHSA-x and PYSEC-y both aliasing CVE-z), are one
// vulnerability, transitively. Each group gets a primary id, chosen among the records
// held (so its summary and ranges are at hand): the database native to the ecosystem the
// record covers first (GO for Go, PYSEC for PyPI, RUSTSEC for crates.io, GHSA for npm…),
// then any other database's id, then CVE ids; ties broken by the id itself.
import { baseEcosystem } from '../protocol/index.ts'
import type { OsvRecord } from './osv.ts'

export interface AliasGroup {
  primary: string
  /** Every id of the group, primary first: held records, then the aliases they name. */
  ids: string[]
}

/** The id prefixes of each ecosystem's own advisory database. */
const NATIVE_PREFIXES: Record<string, readonly string[]> = {
  Go: ['GO'],
  PyPI: ['PYSEC'],
  'crates.io': ['RUSTSEC'],
  npm: ['GHSA'],
  Maven: ['GHSA'],
  NuGet: ['GHSA'],
  RubyGems: ['GHSA'],
  Packagist: ['GHSA', 'DRUPAL'],
  Pub: ['GHSA'],
  Hex: ['GHSA', 'EEF'],
  SwiftURL: ['GHSA'],
  'GitHub Actions': ['GHSA'],
  Debian: ['DSA', 'DLA', 'DTSA', 'DEBIAN'],
  Ubuntu: ['USN', 'UBUNTU'],
  Alpine: ['ALPINE'],
  'Rocky Linux': ['RLSA', 'RXSA'],
  AlmaLinux: ['ALSA', 'ALBA', 'ALEA'],
  'Red Hat': ['RHSA', 'RHBA', 'RHEA'],
  SUSE: ['SUSE'],
  openSUSE: ['openSUSE'],
  'Photon OS': ['PHSA'],
  Mageia: ['MGASA'],
  Wolfi: ['CGA'],
  Chainguard: ['CGA'],
  Hackage: ['HSEC'],
  GHC: ['HSEC'],
  CRAN: ['RSEC'],
  Julia: ['JLSEC'],
  Bitnami: ['BIT'],
  'OSS-Fuzz': ['OSV'],
}

function prefixOf(id: string): string {
  const dash = id.indexOf('-')
  return dash === -1 ? id : id.slice(0, dash)
}

/** 0: the covered ecosystem's own database; 1: another database; 2: CVE. */
function rank(id: string, record: OsvRecord | undefined): number {
  const prefix = prefixOf(id)
  if (prefix === 'CVE') return 2
  if (record !== undefined) {
    for (const a of record.affected) {
      if (a.package !== undefined && NATIVE_PREFIXES[baseEcosystem(a.package.ecosystem)]?.includes(prefix)) return 0
    }
  }
  return 1
}

class UnionFind {
  readonly #parent = new Map<string, string>()

  find(x: string): string {
    if (!this.#parent.has(x)) {
      this.#parent.set(x, x)
      return x
    }
    let root = x
    while (this.#parent.get(root) !== root) root = this.#parent.get(root)!
    // Path compression keeps later finds short.
    for (let node = x; node !== root;) {
      const next = this.#parent.get(node)!
      this.#parent.set(node, root)
      node = next
    }
    return root
  }

  union(a: string, b: string): void {
    const ra = this.find(a)
    const rb = this.find(b)
    if (ra !== rb) this.#parent.set(rb, ra)
  }
}

/** Groups records by alias links; groups come in the order of their first record. */
export function groupAliases(records: readonly OsvRecord[]): AliasGroup[] {
  const sets = new UnionFind()
  for (const r of records) {
    sets.find(r.id)
    for (const alias of r.aliases) sets.union(r.id, alias)
  }
  const byRoot = new Map<string, OsvRecord[]>()
  for (const r of records) {
    const root = sets.find(r.id)
    const members = byRoot.get(root)
    if (members) {
      if (!members.some((m) => m.id === r.id)) members.push(r)
    } else {
      byRoot.set(root, [r])
    }
  }
  return [...byRoot.values()].map((members) => {
    const held = new Map(members.map((r) => [r.id, r]))
    const order = (x: string, y: string): number => rank(x, held.get(x)) - rank(y, held.get(y)) || (x < y ? -1 : x > y ? 1 : 0)
    const heldIds = [...held.keys()].sort(order)
    const aliases = [...new Set(members.flatMap((r) => r.aliases))].filter((id) => !held.has(id)).sort(order)
    return { primary: heldIds[0]!, ids: [...heldIds, ...aliases] }
  })
}

/** The groups' ids alone, primary first. */
export function aliasGroups(records: readonly OsvRecord[]): string[][] {
  return groupAliases(records).map((g) => g.ids)
}
