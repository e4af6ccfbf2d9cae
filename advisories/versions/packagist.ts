// Packagist (Composer) ordering: Composer normalises a version (VersionParser::normalize:
// `v` dropped, four numeric parts, stabilities spelled alpha/beta/RC/patch, `+build`
// dropped, date versions dotted) and compares with PHP's version_compare: parts split at
// `.`, `-`, `_`, `+` and digit/letter transitions; numbers numerically; words by the first
// special form they start with, any other word < dev < alpha = a < beta = b < RC = rc <
// (a number) < pl = p (so patch); when one version runs out, a remaining number makes
// the longer one greater and a remaining word compares against a number.
// Branch versions (dev-main, 2.x-dev) name moving targets, not releases: they parse, but
// are not valid, so ranges never match them.
import { comparatorOf, type ParsedVersion } from './comparator.ts'
import { compareDecimal, isDigitCode, trimZeros } from './decimal.ts'

interface Part {
  readonly numeric: boolean
  readonly text: string
  /** Special-form order of a word (version_compare's table); -1 for other words. */
  readonly order: number
}

export interface PackagistParsed extends ParsedVersion {
  readonly parts: readonly Part[]
}

const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?'
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}$`, 'i')
const DATED = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3}){0,2})${MODIFIER}$`, 'i')
const STABILITY: Record<string, string> = { a: 'alpha', b: 'beta', p: 'patch', pl: 'patch', rc: 'RC' }

// version_compare's special forms, matched by prefix in this order.
const SPECIAL_FORMS: [string, number][] = [['dev', 0], ['alpha', 1], ['a', 1], ['beta', 2], ['b', 2], ['RC', 3], ['rc', 3], ['#', 4], ['pl', 5], ['p', 5]]
const NUMBER_ORDER = 4
/** The "#N#" version_compare pits a remaining word against. */
const AS_NUMBER: readonly Part[] = [{ numeric: false, text: '#', order: NUMBER_ORDER }]

/** Composer's normalised form, or null where Composer would refuse it or it names a branch. */
function normalizeComposer(version: string): string | null {
  let v = version.trim()
  const alias = /^([^,\s]+) +as +([^,\s]+)$/.exec(v)
  if (alias) v = alias[1]!
  v = v.replace(/@(?:stable|RC|beta|alpha|dev)$/i, '')
  if (/^dev-/i.test(v) || v === 'master' || v === 'trunk' || v === 'default') return null
  const build = /^([^,\s+]+)\+\S+$/.exec(v)
  if (build) v = build[1]!
  let m = CLASSICAL.exec(v)
  let normalized: string
  let index: number
  if (m) {
    normalized = m[1]! + (m[2] || '.0') + (m[3] || '.0') + (m[4] || '.0')
    index = 5
  } else {
    m = DATED.exec(v)
    if (!m) return null
    normalized = m[1]!.replace(/\D/g, '.')
    index = 2
  }
  const stability = m[index]
  if (stability) {
    if (stability === 'stable') return normalized
    normalized += '-' + (STABILITY[stability.toLowerCase()] ?? stability.toLowerCase()) + (m[index + 1] ? m[index + 1]!.replace(/^[.-]+/, '') : '')
  }
  return m[index + 2] ? normalized + '-dev' : normalized
}

function specialOrder(word: string): number {
  for (const [form, order] of SPECIAL_FORMS) if (word.startsWith(form)) return order
  return -1
}

/** php_canonicalize_version, then split at dots. */
function phpParts(v: string): Part[] {
  let canonical = v.slice(0, 1)
  for (let i = 1; i < v.length; i++) {
    const c = v.charCodeAt(i)
    const prev = v.charCodeAt(i - 1)
    const dot = canonical.endsWith('.') ? '' : '.'
    if (c === 45 || c === 95 || c === 43) canonical += dot // - _ +
    else if ((isDigitCode(prev) && !isDigitCode(c) && c !== 46) || (isDigitCode(c) && !isDigitCode(prev) && prev !== 46)) canonical += dot + v[i]
    else if (!isAlphanumeric(c)) canonical += dot
    else canonical += v[i]
  }
  return canonical.split('.').filter((p) => p !== '').map((p): Part => (isDigitCode(p.charCodeAt(0))
    ? { numeric: true, text: trimZeros(p.replace(/\D.*$/, '')), order: NUMBER_ORDER }
    : { numeric: false, text: p, order: specialOrder(p) }))
}

function isAlphanumeric(c: number): boolean {
  return isDigitCode(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
}

function parsePackagist(version: string): PackagistParsed {
  const normalized = normalizeComposer(version)
  if (normalized !== null) return { valid: true, parts: phpParts(normalized) }
  const raw = version.trim()
  return { valid: false, parts: phpParts(raw.startsWith('v') ? raw.slice(1) : raw) }
}

function comparePart(a: Part, b: Part): number {
  if (a.numeric && b.numeric) return compareDecimal(a.text, b.text)
  return Math.sign(a.order - b.order)
}

function compareFrom(a: readonly Part[], i: number, b: readonly Part[], j: number): number {
  while (i < a.length && j < b.length) {
    const d = comparePart(a[i]!, b[j]!)
    if (d !== 0) return d
    i++
    j++
  }
  if (i < a.length) return a[i]!.numeric ? 1 : compareFrom(a, i, AS_NUMBER, 0)
  if (j < b.length) return b[j]!.numeric ? -1 : compareFrom(AS_NUMBER, 0, b, j)
  return 0
}

export function comparePackagistParsed(a: PackagistParsed, b: PackagistParsed): number {
  return compareFrom(a.parts, 0, b.parts, 0)
}

export const packagist = comparatorOf(parsePackagist, comparePackagistParsed)
