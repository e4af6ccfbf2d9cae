// Which packages an advisory's `affected[].package.ecosystem` covers. OSV ecosystems may
// carry a `:suffix`; what it means depends on the ecosystem:
//   a release for distributions (`Debian:12`, `Alpine:v3.20`, `Ubuntu:22.04:LTS`,
//     `Ubuntu:Pro:18.04:LTS`): an advisory scoped to a release covers that release only,
//     and one without a release covers them all;
//   a registry elsewhere (`Maven:https://maven.google.com`,
//     `Packagist:https://packages.drupal.org/8`): package coordinates are the same names
//     whichever registry served them, so the suffix never narrows a match.
// A package whose release is unknown (plain `Debian`) is covered by the advisories of every
// release: reporting an advisory for another release is the lesser evil next to
// reporting nothing, since distribution feeds now scope nearly every record to a release.
import { baseEcosystem } from '../protocol/index.ts'

const RELEASE_SCOPED = new Set(['Debian', 'Ubuntu', 'Alpine', 'Rocky Linux', 'AlmaLinux', 'Red Hat', 'SUSE', 'openSUSE', 'Photon OS', 'Mageia', 'openEuler', 'Android'])

const UBUNTU_RELEASE = /^\d+\.\d+$/

/** The release an ecosystem string names, normalised; '' for none. */
export function releaseOf(ecosystem: string): string {
  const i = ecosystem.indexOf(':')
  if (i === -1) return ''
  const base = ecosystem.slice(0, i)
  const rest = ecosystem.slice(i + 1)
  // Ubuntu marks LTS and Pro (ESM) streams around the release number; both are that release.
  if (base === 'Ubuntu') return rest.split(':').find((s) => UBUNTU_RELEASE.test(s)) ?? rest
  // Alpine's releases are written both `v3.20` and `3.20`.
  if (base === 'Alpine' && rest.startsWith('v')) return rest.slice(1)
  return rest
}

/** Whether an advisory's ecosystem covers a package's ecosystem. */
export function ecosystemCovers(advisoryEcosystem: string, packageEcosystem: string): boolean {
  if (advisoryEcosystem === packageEcosystem) return true
  const base = baseEcosystem(advisoryEcosystem)
  if (base !== baseEcosystem(packageEcosystem)) return false
  if (!RELEASE_SCOPED.has(base)) return true
  const advisoryRelease = releaseOf(advisoryEcosystem)
  const packageRelease = releaseOf(packageEcosystem)
  return advisoryRelease === '' || packageRelease === '' || advisoryRelease === packageRelease
}
