// Semantic Versioning 2.0 precedence (semver.org §11) and the ecosystems that follow it
// with small differences:
//   npm, crates.io, Hex — plain SemVer: numeric major.minor.patch, a prerelease sorts
//     before its release, prerelease identifiers compare numerically when all digits and
//     ASCII-lexically otherwise (numeric below alphanumeric), build metadata ignored.
//   Go — a leading `v`; `+incompatible` is build metadata; pseudo-versions
//     (v0.0.0-20190101000000-abcdef…) are prereleases and order by their timestamp; Go
//     release tags (go1.21rc2, go1.9beta1) read as 1.21.0-rc.2, as the Go vulndb writes them.
//   Pub — pub_semver orders build metadata too: 1.0.0-pre < 1.0.0-pre+b < 1.0.0 < 1.0.0+b.
// A leading `v` or `=` and missing minor/patch (`1.2`) are tolerated everywhere, since OSV
// events such as "0" and Go's "1.21" are written that way.
import { comparatorOf, type ParsedVersion, type VersionComparator } from './comparator.ts'
import { compareDecimal, compareText, isAllDigits, isDigitCode, trimZeros } from './decimal.ts'

export interface Identifier {
  /** All digits: compared numerically (text without leading zeros). */
  readonly numeric: boolean
  readonly text: string
}

export interface SemverParsed extends ParsedVersion {
  /** Release numbers as digit strings without leading zeros. */
  readonly core: readonly string[]
  /** Prerelease identifiers; empty for a release. */
  readonly pre: readonly Identifier[]
  /** Build identifiers where the ecosystem orders them (Pub), else empty. */
  readonly build: readonly Identifier[]
}

export interface SemverOptions {
  /** Most numeric release parts (3 for SemVer, 4 for NuGet). */
  maxCore: number
  /** Compare prerelease labels case-insensitively (NuGet). */
  foldCase: boolean
  /** Order build metadata after the version without it (Pub). */
  orderBuild: boolean
  /** Accept Go toolchain tags (go1.21rc2). */
  goTags: boolean
}

const IDENT = /^[0-9A-Za-z-]+$/
const GO_TAG = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(alpha|beta|rc)(\d+))?$/

function identifiers(s: string, foldCase: boolean): { ids: Identifier[], valid: boolean } {
  let valid = true
  const ids = s.split('.').map((part): Identifier => {
    if (!IDENT.test(part)) valid = false
    return isAllDigits(part) ? { numeric: true, text: trimZeros(part) } : { numeric: false, text: foldCase ? part.toUpperCase() : part }
  })
  return { ids, valid }
}

/** The digits a release part starts with ("3rc1" → "3"), for best-effort ordering. */
function leadingDigits(s: string): string {
  let i = 0
  while (i < s.length && isDigitCode(s.charCodeAt(i))) i++
  return i === 0 ? '0' : trimZeros(s.slice(0, i))
}

export function parseSemverLike(version: string, options: SemverOptions): SemverParsed {
  let s = version.trim()
  if (options.goTags) {
    const tag = GO_TAG.exec(s)
    if (tag) {
      return {
        valid: true,
        core: [trimZeros(tag[1]!), trimZeros(tag[2]!), trimZeros(tag[3] ?? '0')],
        pre: tag[4] ? [{ numeric: false, text: tag[4] }, { numeric: true, text: trimZeros(tag[5]!) }] : [],
        build: [],
      }
    }
  }
  if (s.startsWith('=')) s = s.slice(1)
  if (s.startsWith('v') || s.startsWith('V')) s = s.slice(1)
  let valid = s.length > 0
  let build: Identifier[] = []
  const plus = s.indexOf('+')
  if (plus !== -1) {
    const b = identifiers(s.slice(plus + 1), false)
    valid &&= b.valid
    if (options.orderBuild) build = b.ids
    s = s.slice(0, plus)
  }
  let pre: Identifier[] = []
  const dash = s.indexOf('-')
  if (dash !== -1) {
    const p = identifiers(s.slice(dash + 1), options.foldCase)
    pre = p.ids
    valid &&= p.valid
    s = s.slice(0, dash)
  }
  const parts = s.split('.')
  if (parts.length > options.maxCore) valid = false
  const core = parts.map((part) => {
    if (!isAllDigits(part)) {
      valid = false
      return leadingDigits(part)
    }
    return trimZeros(part)
  })
  return { valid, core, pre, build }
}

function compareIdentifiers(a: readonly Identifier[], b: readonly Identifier[]): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a[i]!
    const y = b[i]!
    if (x.numeric && y.numeric) {
      const d = compareDecimal(x.text, y.text)
      if (d !== 0) return d
    } else if (x.numeric !== y.numeric) {
      // Numeric identifiers have lower precedence than alphanumeric ones.
      return x.numeric ? -1 : 1
    } else {
      const d = compareText(x.text, y.text)
      if (d !== 0) return d
    }
  }
  return a.length - b.length
}

export function compareSemverParsed(a: SemverParsed, b: SemverParsed): number {
  const n = Math.max(a.core.length, b.core.length)
  for (let i = 0; i < n; i++) {
    const d = compareDecimal(a.core[i] ?? '0', b.core[i] ?? '0')
    if (d !== 0) return d
  }
  // A release sorts after its prereleases.
  if (a.pre.length === 0 || b.pre.length === 0) {
    if (a.pre.length !== b.pre.length) return a.pre.length === 0 ? 1 : -1
  } else {
    const d = compareIdentifiers(a.pre, b.pre)
    if (d !== 0) return d
  }
  if (a.build.length === 0 || b.build.length === 0) return a.build.length === 0 ? (b.build.length === 0 ? 0 : -1) : 1
  return compareIdentifiers(a.build, b.build)
}

function semverFamily(options: SemverOptions): VersionComparator<SemverParsed> {
  return comparatorOf((v) => parseSemverLike(v, options), compareSemverParsed)
}

/** npm, crates.io, Hex, and every SEMVER-typed OSV range. */
export const semver = semverFamily({ maxCore: 3, foldCase: false, orderBuild: false, goTags: false })

/** Go modules and the Go toolchain (`stdlib`, `toolchain`). */
export const goSemver = semverFamily({ maxCore: 3, foldCase: false, orderBuild: false, goTags: true })

/** Dart's pub_semver. */
export const pubSemver = semverFamily({ maxCore: 3, foldCase: false, orderBuild: true, goTags: false })
