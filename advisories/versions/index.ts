// One comparator per ecosystem family, chosen by the ecosystem's base name.
import { baseEcosystem } from '../../protocol/index.ts'
import { apk } from './apk.ts'
import type { VersionComparator } from './comparator.ts'
import { dpkg } from './dpkg.ts'
import { maven } from './maven.ts'
import { nuget } from './nuget.ts'
import { packagist } from './packagist.ts'
import { pep440 } from './pep440.ts'
import { rubygems } from './rubygems.ts'
import { goSemver, pubSemver, semver } from './semver-like.ts'

export type { ParsedVersion, VersionComparator } from './comparator.ts'
export { semver, goSemver } from './semver-like.ts'

const BY_ECOSYSTEM: Record<string, VersionComparator> = {
  npm: semver,
  'crates.io': semver,
  Hex: semver,
  Go: goSemver,
  Pub: pubSemver,
  PyPI: pep440,
  Debian: dpkg,
  Ubuntu: dpkg,
  Alpine: apk,
  // Wolfi and Chainguard build with apk and publish apk versions.
  Wolfi: apk,
  Chainguard: apk,
  RubyGems: rubygems,
  Maven: maven,
  NuGet: nuget,
  Packagist: packagist,
}

/** The comparator for an ecosystem (`Debian:12` → dpkg), or undefined when there is none. */
export function comparatorFor(ecosystem: string): VersionComparator | undefined {
  return Object.hasOwn(BY_ECOSYSTEM, baseEcosystem(ecosystem)) ? BY_ECOSYSTEM[baseEcosystem(ecosystem)] : undefined
}
