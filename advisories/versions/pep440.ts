// PyPI ordering per PEP 440, as `packaging.version.Version` implements it: epoch, release
// (trailing zeros ignored), pre-release a < b < rc, post-release, dev release, local
// version. Spellings normalise as packaging does: alpha→a, beta→b, c/pre/preview→rc,
// rev/r→post, `1.0-1` is 1.0.post1, `2.0.0b` is 2.0.0b0, separators `-_.` optional, a
// leading `v`, any case.
//
// Strings outside PEP 440 (`2.0.0-final`, `0.3m1`, `0.7.1.fix1` — PyPI still serves old
// uploads like these) are ordered as packaging's LegacyVersion did (now in
// `packaging_legacy`, which osv.dev uses to enumerate PyPI advisories' versions): all of
// them before every PEP 440 version (epoch -1), among themselves by setuptools' old
// component rules. They count as valid, so ranges apply to them as osv.dev applies them;
// only strings without a single digit are refused.
import { comparatorOf, type ParsedVersion } from './comparator.ts'
import { compareDecimal, compareText, isDigitCode, trimZeros } from './decimal.ts'

// packaging's VERSION_PATTERN, anchored, case-insensitive.
const PEP440 = /^\s*v?(?:(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?(?:[-_.]?(dev)[-_.]?([0-9]+)?)?)(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i

/** Pre-release rank; the ends stand for packaging's -Infinity (dev-only) and +Infinity (none). */
const PRE_DEV_ONLY = 0
const PRE_NONE = 4
const PRE_RANK: Record<string, number> = { a: 1, alpha: 1, b: 2, beta: 2, c: 3, rc: 3, pre: 3, preview: 3 }

interface LocalPart { numeric: boolean, text: string }

export interface Pep440Parsed extends ParsedVersion {
  /** LegacyVersion's component list, or null for a PEP 440 version. */
  readonly legacy: readonly string[] | null
  readonly epoch: string
  readonly release: readonly string[]
  readonly pre: number
  readonly preNumber: string
  /** null: no post-release (packaging's -Infinity). */
  readonly post: string | null
  /** null: no dev release (packaging's +Infinity). */
  readonly dev: string | null
  readonly local: readonly LocalPart[] | null
}

const num = (s: string | undefined): string => (s === undefined ? '0' : trimZeros(s))

function parsePep440(version: string): Pep440Parsed {
  const m = PEP440.exec(version)
  if (!m) return legacyVersion(version)
  const release = m[2]!.split('.').map(trimZeros)
  while (release.length > 1 && release[release.length - 1] === '0') release.pop()
  const hasPost = m[5] !== undefined || m[6] !== undefined
  const hasDev = m[8] !== undefined
  let pre = PRE_NONE
  // packaging: a bare dev release sorts before the pre-releases of its version.
  if (m[3] !== undefined) pre = PRE_RANK[m[3].toLowerCase()]!
  else if (hasDev && !hasPost) pre = PRE_DEV_ONLY
  return {
    valid: true,
    legacy: null,
    epoch: num(m[1]),
    release,
    pre,
    preNumber: num(m[4]),
    post: hasPost ? num(m[5] ?? m[7]) : null,
    dev: hasDev ? num(m[9]) : null,
    local: m[10] === undefined ? null : m[10].toLowerCase().split(/[-_.]/).map((p) => (/^[0-9]+$/.test(p) ? { numeric: true, text: trimZeros(p) } : { numeric: false, text: p })),
  }
}

const LEGACY_REPLACE: Record<string, string> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' }

function isLowerLetter(c: number): boolean {
  return c >= 97 && c <= 122
}

/** setuptools' old parse_version components: runs of digits, of letters, `.`, `-` and the rest. */
function legacyPieces(s: string): string[] {
  const pieces: string[] = []
  let i = 0
  while (i < s.length) {
    const c = s.charCodeAt(i)
    let j = i + 1
    if (isDigitCode(c)) while (j < s.length && isDigitCode(s.charCodeAt(j))) j++
    else if (isLowerLetter(c)) while (j < s.length && isLowerLetter(s.charCodeAt(j))) j++
    else if (c !== 46 && c !== 45) {
      while (j < s.length) {
        const d = s.charCodeAt(j)
        if (isDigitCode(d) || isLowerLetter(d) || d === 46 || d === 45) break
        j++
      }
    }
    pieces.push(s.slice(i, j))
    i = j
  }
  return pieces
}

function legacyVersion(version: string): Pep440Parsed {
  const parts: string[] = []
  const add = (part: string): void => {
    if (part.startsWith('*')) {
      // Drop a "-" before a pre-release tag, and trailing zeros of each numeric series.
      if (part < '*final') while (parts.length > 0 && parts[parts.length - 1] === '*final-') parts.pop()
      while (parts.length > 0 && parts[parts.length - 1] === '00000000') parts.pop()
    }
    parts.push(part)
  }
  for (const piece of legacyPieces(version.toLowerCase())) {
    const part = LEGACY_REPLACE[piece] ?? piece
    if (part === '' || part === '.') continue
    add(isDigitCode(part.charCodeAt(0)) ? part.padStart(8, '0') : '*' + part)
  }
  add('*final')
  return { valid: /[0-9]/.test(version), legacy: parts, epoch: '0', release: [], pre: PRE_NONE, preNumber: '0', post: null, dev: null, local: null }
}

function compareLegacy(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = compareText(a[i]!, b[i]!)
    if (d !== 0) return d
  }
  return a.length - b.length
}

function compareLocal(a: readonly LocalPart[] | null, b: readonly LocalPart[] | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a[i]!
    const y = b[i]!
    // Numeric segments sort after alphanumeric ones.
    const d = x.numeric && y.numeric ? compareDecimal(x.text, y.text) : x.numeric !== y.numeric ? (x.numeric ? 1 : -1) : compareText(x.text, y.text)
    if (d !== 0) return d
  }
  return a.length - b.length
}

function compareNullable(a: string | null, b: string | null, nullIsLow: boolean): number {
  if (a === null || b === null) return a === b ? 0 : (a === null) === nullIsLow ? -1 : 1
  return compareDecimal(a, b)
}

export function comparePep440Parsed(a: Pep440Parsed, b: Pep440Parsed): number {
  if (a.legacy !== null || b.legacy !== null) {
    if (a.legacy === null) return 1
    if (b.legacy === null) return -1
    return compareLegacy(a.legacy, b.legacy)
  }
  let d = compareDecimal(a.epoch, b.epoch)
  if (d !== 0) return d
  const n = Math.max(a.release.length, b.release.length)
  for (let i = 0; i < n; i++) {
    d = compareDecimal(a.release[i] ?? '0', b.release[i] ?? '0')
    if (d !== 0) return d
  }
  if (a.pre !== b.pre) return a.pre - b.pre
  if (a.pre !== PRE_NONE && a.pre !== PRE_DEV_ONLY) {
    d = compareDecimal(a.preNumber, b.preNumber)
    if (d !== 0) return d
  }
  d = compareNullable(a.post, b.post, true)
  if (d !== 0) return d
  d = compareNullable(a.dev, b.dev, false)
  if (d !== 0) return d
  return compareLocal(a.local, b.local)
}

export const pep440 = comparatorOf(parsePep440, comparePep440Parsed)
