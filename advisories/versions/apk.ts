// Alpine (and Wolfi/Chainguard) apk ordering, as current apk-tools' version.c tokenises
// and compares: digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#}.
// Tokens compare pairwise while both versions have a token of the same kind: numbers
// numerically, except that a dotted group with a leading zero compares as text (Gentoo's
// rule: 1.01 < 1.1, 1.0 < 1.00); the letter by character; suffixes _alpha < _beta < _pre
// < _rc < (none) < _cvs < _svn < _git < _hg < _p; a ~hash as text; then the -rN revision.
// When the kinds differ, the version going on with a pre-release suffix is smaller, else
// the one going on is greater — and text apk cannot read ends a version below both.
// (apk-tools before 2.14 counted leading zeros instead, which put 1.0_rc1 after 1.0;
// osv.dev's Alpine ordering agrees with this one there.)
import { comparatorOf, type ParsedVersion } from './comparator.ts'
import { compareDecimal, compareText, isDigitCode, trimZeros } from './decimal.ts'

// Token kinds; their order decides the comparison once the versions' kinds differ.
const INITIAL_DIGIT = 0
const DIGIT = 1
const LETTER = 2
const SUFFIX = 3
const SUFFIX_NO = 4
const COMMIT_HASH = 5
const REVISION_NO = 6
const END = 7
const INVALID = 8

const SUFFIX_NONE = 5
const SUFFIX_VALUE: Record<string, number> = { alpha: 1, beta: 2, pre: 3, rc: 4, cvs: 6, svn: 7, git: 8, hg: 9, p: 10 }

export interface ApkParsed extends ParsedVersion {
  /** Token kinds, ending with END or INVALID. */
  readonly kinds: readonly number[]
  /** Each token's text: its digits, letter, suffix name or hash. */
  readonly texts: readonly string[]
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122
}

function isHex(c: number): boolean {
  return isDigitCode(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
}

function span(s: string, from: number, test: (c: number) => boolean): number {
  let i = from
  while (i < s.length && test(s.charCodeAt(i))) i++
  return i
}

function parseApk(version: string): ApkParsed {
  const s = version
  const kinds: number[] = []
  const texts: string[] = []
  let pos = span(s, 0, isDigitCode)
  let kind = pos === 0 ? INVALID : INITIAL_DIGIT
  let text = s.slice(0, pos)
  while (kind < END) {
    kinds.push(kind)
    // Numbers compare as numbers, except a dotted group's, whose leading zeros count.
    texts.push(kind === DIGIT ? text : kind === INITIAL_DIGIT || kind === SUFFIX_NO || kind === REVISION_NO ? trimZeros(text) : text)
    if (pos >= s.length) {
      kind = END
      break
    }
    const c = s.charCodeAt(pos)
    const prev = kind
    kind = INVALID
    if (isLower(c)) {
      if (prev <= DIGIT) { kind = LETTER; text = s[pos]!; pos++ }
    } else if (c === 46 || isDigitCode(c)) { // . or a digit
      const dot = c === 46
      if (dot ? prev <= DIGIT : prev <= DIGIT || prev === SUFFIX) {
        const start = dot ? pos + 1 : pos
        const end = span(s, start, isDigitCode)
        if (end > start) { kind = prev === SUFFIX ? SUFFIX_NO : DIGIT; text = s.slice(start, end); pos = end }
      }
    } else if (c === 95) { // _
      const end = span(s, pos + 1, isLower)
      const name = s.slice(pos + 1, end)
      if (prev <= SUFFIX_NO && Object.hasOwn(SUFFIX_VALUE, name)) { kind = SUFFIX; text = name; pos = end }
    } else if (c === 126) { // ~
      const end = span(s, pos + 1, isHex)
      if (prev < COMMIT_HASH && end > pos + 1) { kind = COMMIT_HASH; text = s.slice(pos + 1, end); pos = end }
    } else if (c === 45 && s.charCodeAt(pos + 1) === 114) { // -r
      const end = span(s, pos + 2, isDigitCode)
      if (prev < REVISION_NO && end > pos + 2) { kind = REVISION_NO; text = s.slice(pos + 2, end); pos = end }
    }
  }
  kinds.push(kind)
  texts.push('')
  return { valid: kind === END, kinds, texts }
}

/** apk_blob_sort: byte-wise, a prefix first. */
function blobSort(a: string, b: string): number {
  return compareText(a, b)
}

function compareToken(kind: number, a: string, b: string): number {
  switch (kind) {
    case DIGIT:
      if (a.charCodeAt(0) === 48 || b.charCodeAt(0) === 48) return blobSort(a, b)
      return compareDecimal(a, b)
    case INITIAL_DIGIT:
    case SUFFIX_NO:
    case REVISION_NO:
      return compareDecimal(a, b)
    case SUFFIX:
      return SUFFIX_VALUE[a]! - SUFFIX_VALUE[b]!
    default:
      return blobSort(a, b)
  }
}

export function compareApkParsed(a: ApkParsed, b: ApkParsed): number {
  let i = 0
  while (a.kinds[i] === b.kinds[i] && a.kinds[i]! < END) {
    const d = compareToken(a.kinds[i]!, a.texts[i]!, b.texts[i]!)
    if (d !== 0) return d
    i++
  }
  const ta = a.kinds[i]!
  const tb = b.kinds[i]!
  if (ta === tb) return 0
  // The version going on with a pre-release suffix is the smaller one.
  if (ta === SUFFIX && SUFFIX_VALUE[a.texts[i]!]! < SUFFIX_NONE) return -1
  if (tb === SUFFIX && SUFFIX_VALUE[b.texts[i]!]! < SUFFIX_NONE) return 1
  return ta > tb ? -1 : 1
}

export const apk = comparatorOf(parseApk, compareApkParsed)
