// NuGet ordering: SemVer 2 with up to four numeric parts; prerelease labels compare
// case-insensitively; metadata ignored.
import type { VersionComparator } from './comparator.ts'
import { compareSemverLike } from './semver-like.ts'

export const nuget: VersionComparator = { compare: (a, b) => compareSemverLike(a.toLowerCase(), b.toLowerCase()) }
