// RubyGems ordering (Gem::Version#<=>): `-` reads as `.pre.`; the version splits into
// runs of digits and of letters; trailing zeros are dropped from the numeric part and from
// the part after the first letter run (1.0.a.0 = 1.a); segments compare pairwise, missing
// ones as 0, numbers numerically, letters byte-wise and case-sensitively, and a letter
// segment sorts before a number (so 1.0.a < 1.0: any letter makes a prerelease).
import { comparatorOf, type ParsedVersion } from './comparator.ts'
import { compareDecimal, compareText, isDigitCode, trimZeros } from './decimal.ts'

interface Segment { numeric: boolean, text: string }

export interface RubyGemsParsed extends ParsedVersion {
  readonly segments: readonly Segment[]
}

// Gem::Version::ANCHORED_VERSION_PATTERN
const VALID = /^\s*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?\s*$/
const SEGMENT = /[0-9]+|[a-z]+/gi
const ZERO: Segment = { numeric: true, text: '0' }

function dropTrailingZeros(segments: Segment[]): Segment[] {
  let n = segments.length
  while (n > 0 && segments[n - 1]!.numeric && segments[n - 1]!.text === '0') n--
  return n === segments.length ? segments : segments.slice(0, n)
}

function parseRubyGems(version: string): RubyGemsParsed {
  const s = version.trim()
  const all = (s.replaceAll('-', '.pre.').match(SEGMENT) ?? []).map((t): Segment => (isDigitCode(t.charCodeAt(0)) ? { numeric: true, text: trimZeros(t) } : { numeric: false, text: t }))
  const firstLetters = all.findIndex((x) => !x.numeric)
  const numericPart = firstLetters === -1 ? all : all.slice(0, firstLetters)
  const rest = firstLetters === -1 ? [] : all.slice(firstLetters)
  // An empty version is "0" in Gem::Version; `valid` keeps it out of range matching.
  return { valid: s.length > 0 && VALID.test(s), segments: [...dropTrailingZeros(numericPart), ...dropTrailingZeros(rest)] }
}

export function compareRubyGemsParsed(a: RubyGemsParsed, b: RubyGemsParsed): number {
  const n = Math.max(a.segments.length, b.segments.length)
  for (let i = 0; i < n; i++) {
    const l = a.segments[i] ?? ZERO
    const r = b.segments[i] ?? ZERO
    if (l.numeric !== r.numeric) return l.numeric ? 1 : -1
    const d = l.numeric ? compareDecimal(l.text, r.text) : compareText(l.text, r.text)
    if (d !== 0) return d
  }
  return 0
}

export const rubygems = comparatorOf(parseRubyGems, compareRubyGemsParsed)
