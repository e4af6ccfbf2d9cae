// NuGet ordering (NuGet.Versioning's VersionComparer): SemVer 2 with up to four numeric
// parts (1.0 = 1.0.0 = 1.0.0.0, leading zeros allowed), release labels compared
// case-insensitively (OrdinalIgnoreCase, i.e. by upper case), numeric labels below
// alphanumeric ones, metadata after `+` ignored.
import { comparatorOf } from './comparator.ts'
import { compareSemverParsed, parseSemverLike } from './semver-like.ts'

const OPTIONS = { maxCore: 4, foldCase: true, orderBuild: false, goTags: false }

export const nuget = comparatorOf((v) => parseSemverLike(v, OPTIONS), compareSemverParsed)
