// What every npm lockfile parser builds: npm Packages, one per name, version and commit.
// Lockfiles repeat a package wherever it is installed; collecting them here, on insertion,
// saves building the duplicates at all.
import type { Package } from '../../../../protocol/index.ts'
import { makePackage } from '../make-package.ts'

export interface NpmExtras {
  /** `dev`, `optional`, `bundled`, as the lockfile states them. */
  groups?: readonly string[]
  commit?: string
  /** True when the project itself declares the dependency; undefined when unknown. */
  direct?: boolean
}

export class NpmPackages {
  readonly #source: string
  readonly #seen = new Map<string, Package>()

  constructor(source: string) {
    this.#source = source
  }

  add(name: string, version: string, extras: NpmExtras = {}): void {
    const key = extras.commit ? `${name}@${version}#${extras.commit}` : `${name}@${version}`
    const prev = this.#seen.get(key)
    if (prev === undefined) {
      // Groups are copied: parsers pass shared constant arrays.
      const p = makePackage('npm', name, version, this.#source, { groups: extras.groups && [...extras.groups], commit: extras.commit })
      if (extras.direct !== undefined) p.direct = extras.direct
      this.#seen.set(key, p)
      return
    }
    // Installed as dev in one place and as prod in another, it is a prod dependency.
    if (prev.groups !== undefined) {
      const groups = extras.groups ?? []
      const shared = prev.groups.filter((g) => groups.includes(g))
      if (shared.length === 0) delete prev.groups
      else prev.groups = shared
    }
    if (extras.direct !== undefined && prev.direct !== true) prev.direct = extras.direct
  }

  list(): Package[] {
    return [...this.#seen.values()]
  }
}
