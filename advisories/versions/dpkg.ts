// Debian and Ubuntu ordering (Debian Policy §5.6.12, dpkg's verrevcmp):
// [epoch:]upstream[-revision]. The epoch compares numerically; upstream, then revision,
// compare as alternating non-digit and digit runs: non-digits character by character with
// `~` before everything (even the end of the string), letters before other characters,
// digit runs numerically. A missing revision equals "0" (1.0 = 1.0-0).
import { comparatorOf, type ParsedVersion } from './comparator.ts'
import { compareDecimal, isAllDigits, isDigitCode, trimZeros } from './decimal.ts'

export interface DpkgParsed extends ParsedVersion {
  readonly epoch: string
  readonly upstream: string
  readonly revision: string
}

const UPSTREAM_CHARS = /^[A-Za-z0-9.+~:-]+$/
const REVISION_CHARS = /^[A-Za-z0-9.+~]+$/

function parseDpkg(version: string): DpkgParsed {
  let s = version.trim()
  let valid = s.length > 0
  let epoch = '0'
  const colon = s.indexOf(':')
  if (colon !== -1) {
    const e = s.slice(0, colon)
    if (isAllDigits(e)) epoch = trimZeros(e)
    else valid = false
    s = s.slice(colon + 1)
  }
  let revision = ''
  const dash = s.lastIndexOf('-')
  if (dash !== -1) {
    revision = s.slice(dash + 1)
    s = s.slice(0, dash)
    if (!REVISION_CHARS.test(revision)) valid = false
  }
  // dpkg only warns when upstream does not start with a digit; such strings are not
  // package versions in practice (`latest`, `unknown`), so ranges skip them.
  if (!UPSTREAM_CHARS.test(s) || !isDigitCode(s.charCodeAt(0))) valid = false
  return { valid, epoch, upstream: s, revision }
}

/** Sort weight of a non-digit character; the end of the string weighs 0, like a digit. */
function order(s: string, i: number): number {
  if (i >= s.length) return 0
  const c = s.charCodeAt(i)
  if (isDigitCode(c)) return 0
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return c
  if (c === 126) return -1 // ~
  return c + 256
}

export function verrevcmp(a: string, b: string): number {
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    let firstDiff = 0
    while ((i < a.length && !isDigitCode(a.charCodeAt(i))) || (j < b.length && !isDigitCode(b.charCodeAt(j)))) {
      const ac = order(a, i)
      const bc = order(b, j)
      if (ac !== bc) return ac - bc
      i++
      j++
    }
    while (i < a.length && a.charCodeAt(i) === 48) i++
    while (j < b.length && b.charCodeAt(j) === 48) j++
    while (i < a.length && j < b.length && isDigitCode(a.charCodeAt(i)) && isDigitCode(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j)
      i++
      j++
    }
    if (i < a.length && isDigitCode(a.charCodeAt(i))) return 1
    if (j < b.length && isDigitCode(b.charCodeAt(j))) return -1
    if (firstDiff !== 0) return firstDiff
  }
  return 0
}

export function compareDpkgParsed(a: DpkgParsed, b: DpkgParsed): number {
  return compareDecimal(a.epoch, b.epoch) || verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision)
}

export const dpkg = comparatorOf(parseDpkg, compareDpkgParsed)
