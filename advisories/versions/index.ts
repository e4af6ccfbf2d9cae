// One comparator per ecosystem family.
import { baseEcosystem } from '../../protocol/index.ts'
import type { VersionComparator } from './comparator.ts'
import { apk } from './apk.ts'
import { dpkg } from './dpkg.ts'
import { maven } from './maven.ts'
import { nuget } from './nuget.ts'
import { packagist } from './packagist.ts'
import { pep440 } from './pep440.ts'
import { rubygems } from './rubygems.ts'
import { semverLike } from './semver-like.ts'

export type { VersionComparator } from './comparator.ts'

const BY_ECOSYSTEM: Record<string, VersionComparator> = {
  npm: semverLike, 'crates.io': semverLike, Go: semverLike, Hex: semverLike, Pub: semverLike,
  PyPI: pep440, Debian: dpkg, Ubuntu: dpkg, Alpine: apk, RubyGems: rubygems, Maven: maven, NuGet: nuget, Packagist: packagist,
}

/** The comparator for an ecosystem (`Debian:12` → dpkg), or undefined when we have none. */
export function comparatorFor(ecosystem: string): VersionComparator | undefined {
  return BY_ECOSYSTEM[baseEcosystem(ecosystem)]
}
