// A package found in an inventory: the one shape shared by lockfile parsers (node/),
// the advisory matcher (advisories/), the inventory doc (crdt/) and the hub's re-matching.

/** A dependency group a lockfile format states (npm dev/optional, poetry groups, …). */
export type DepGroup = string

export interface Package {
  /** Ecosystem as OSV spells it: `npm`, `PyPI`, `Go`, `crates.io`, `Debian:12`, `Alpine:v3.20`… */
  ecosystem: string
  /** Name as the format states it (display form); see normalizeName for the match key. */
  name: string
  version: string
  /** package URL (purl spec), when the ecosystem has a purl type. */
  purl?: string
  /** Path of the file the package was read from, relative to the scanned root. */
  source: string
  /** Dependency groups where the format says so (`dev`, `optional`, …). */
  groups?: DepGroup[]
  /** Commit for git-sourced dependencies. */
  commit?: string
  /** OS packages: the source package name (dpkg `Source:`, apk `o:`), which advisories use. */
  sourceName?: string
  /** OS packages: the source package version when it differs (dpkg `Source: x (ver)`). */
  sourceVersion?: string
  /** Declared directly by the project (not transitive), where the format says so. */
  direct?: boolean
}

/** The part of an ecosystem before `:` (`Debian:12` → `Debian`). */
export function baseEcosystem(ecosystem: string): string {
  const i = ecosystem.indexOf(':')
  return i === -1 ? ecosystem : ecosystem.slice(0, i)
}

/**
 * The key a package name is matched under, per ecosystem: PyPI per PEP 503, the
 * case-insensitive registries lowercased, everything else byte for byte.
 */
export function normalizeName(ecosystem: string, name: string): string {
  switch (baseEcosystem(ecosystem)) {
    case 'PyPI':
      return name.toLowerCase().replace(/[-_.]+/g, '-')
    case 'NuGet':
    case 'Packagist':
    case 'Hex':
    case 'Pub':
    case 'RubyGems':
      return name.toLowerCase()
    default:
      return name
  }
}

const PURL_TYPE: Record<string, string> = {
  npm: 'npm', PyPI: 'pypi', Go: 'golang', 'crates.io': 'cargo', RubyGems: 'gem',
  Packagist: 'composer', Maven: 'maven', NuGet: 'nuget', Pub: 'pub', Hex: 'hex',
  CRAN: 'cran', ConanCenter: 'conan', Debian: 'deb', Ubuntu: 'deb', Alpine: 'apk',
}

const PURL_SAFE = /^[A-Za-z0-9._~/-]*$/

function purlEncode(s: string): string {
  // Almost every name and version is already safe: skip the slow general path.
  return PURL_SAFE.test(s) ? s : encodeURIComponent(s).replace(/%2F/g, '/')
}

/** package URL for a package, or undefined where the ecosystem has no purl type. */
export function purlOf(ecosystem: string, name: string, version: string): string | undefined {
  const base = baseEcosystem(ecosystem)
  const type = PURL_TYPE[base]
  if (type === undefined) return undefined
  let namespace = ''
  let pkg = name
  if (type === 'maven') {
    const i = name.indexOf(':')
    if (i !== -1) { namespace = name.slice(0, i); pkg = name.slice(i + 1) }
  } else if (type === 'npm' && name.startsWith('@')) {
    const i = name.indexOf('/')
    namespace = name.slice(0, i); pkg = name.slice(i + 1)
  } else if (type === 'golang' || type === 'composer') {
    const i = name.lastIndexOf('/')
    if (i !== -1) { namespace = name.slice(0, i); pkg = name.slice(i + 1) }
  } else if (type === 'deb' || type === 'apk') {
    namespace = base.toLowerCase()
  } else if (type === 'pypi') {
    pkg = normalizeName('PyPI', name)
  }
  const ns = namespace ? purlEncode(namespace) + '/' : ''
  const qualifier = (type === 'deb' || type === 'apk') && ecosystem.includes(':')
    ? `?distro=${encodeURIComponent(ecosystem.slice(ecosystem.indexOf(':') + 1))}` : ''
  return `pkg:${type}/${ns}${purlEncode(pkg)}${version ? '@' + (PURL_SAFE.test(version) && !version.includes('/') ? version : encodeURIComponent(version)) : ''}${qualifier}`
}
