// Maven ordering: ComparableVersion from maven-artifact (3.8.7, the behaviour behind
// Maven's "Version Order Specification"), reproduced item for item because the prose spec
// leaves cases open that real version strings hit.
// Parsing: lower-cased; `.` separates items, `-` opens a nested list, and so does every
// digit/letter transition; a qualifier following `.` also opens one (MNG-7644: 1.0.RC1 =
// 1.0-RC1); empty items are 0. Qualifiers: a, b, m directly followed by a digit mean
// alpha, beta, milestone; cr = rc; ga = final = release = "". Each list then drops its
// trailing nulls (0, "", empty lists), looking past non-null nested lists.
// Comparing: lists item by item, a missing item as null; a number beats a qualifier and a
// list; a list beats a qualifier; qualifiers order alpha < beta < milestone < rc <
// snapshot < "" < sp < any other (alphabetical); against null a qualifier compares with
// "" and a list by its items in turn.
import { comparatorOf, type ParsedVersion } from './comparator.ts'
import { compareDecimal, compareText, isDigitCode, trimZeros } from './decimal.ts'

const INT = 0
const STRING = 1
const LIST = 2

interface Item {
  readonly kind: number
  /** Digits for INT; the qualifier's sort key for STRING ("0"…"6", or "7-" + name). */
  readonly key: string
  readonly items: Item[]
}

export interface MavenParsed extends ParsedVersion {
  readonly root: Item
}

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp']
const RELEASE_KEY = '5'
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' }
const SHORT: Record<string, string> = { a: 'alpha', b: 'beta', m: 'milestone' }
const NONE: Item[] = []

function list(): Item {
  return { kind: LIST, key: '', items: [] }
}

function stringItem(value: string, followedByDigit: boolean): Item {
  let q = followedByDigit && value.length === 1 ? (SHORT[value] ?? value) : value
  q = ALIASES[q] ?? q
  const i = QUALIFIERS.indexOf(q)
  return { kind: STRING, key: i === -1 ? `${QUALIFIERS.length}-${q}` : String(i), items: NONE }
}

function parseItem(isDigit: boolean, buf: string): Item {
  return isDigit ? { kind: INT, key: trimZeros(buf), items: NONE } : stringItem(buf, false)
}

function isNull(item: Item): boolean {
  if (item.kind === INT) return item.key === '0'
  if (item.kind === STRING) return item.key === RELEASE_KEY
  return item.items.length === 0
}

function normalize(l: Item): void {
  for (let i = l.items.length - 1; i >= 0; i--) {
    const last = l.items[i]!
    if (isNull(last)) l.items.splice(i, 1)
    else if (last.kind !== LIST) break
  }
}

function parseMaven(version: string): MavenParsed {
  const s = version.trim().toLowerCase()
  const root = list()
  let current = root
  const stack: Item[] = [root]
  const nest = (): void => {
    const next = list()
    current.items.push(next)
    current = next
    stack.push(next)
  }
  let isDigit = false
  let start = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 46 || c === 45) { // . -
      current.items.push(i === start ? { kind: INT, key: '0', items: NONE } : parseItem(isDigit, s.slice(start, i)))
      start = i + 1
      if (c === 45) nest()
    } else if (isDigitCode(c)) {
      if (!isDigit && i > start) {
        if (current.items.length > 0) nest()
        current.items.push(stringItem(s.slice(start, i), true))
        start = i
        nest()
      }
      isDigit = true
    } else {
      if (isDigit && i > start) {
        current.items.push(parseItem(true, s.slice(start, i)))
        start = i
        nest()
      }
      isDigit = false
    }
  }
  if (s.length > start) {
    if (!isDigit && current.items.length > 0) nest()
    current.items.push(parseItem(isDigit, s.slice(start)))
  }
  for (let i = stack.length - 1; i >= 0; i--) normalize(stack[i]!)
  const valid = s.length > 0 && isDigitCode(s.charCodeAt(0)) && /^[a-z0-9._-]+$/.test(s)
  return { valid, root }
}

/** ComparableVersion's Item.compareTo; `b` undefined stands for Java's null. */
function compareItem(a: Item, b: Item | undefined): number {
  if (a.kind === INT) {
    if (b === undefined) return a.key === '0' ? 0 : 1
    return b.kind === INT ? compareDecimal(a.key, b.key) : 1
  }
  if (a.kind === STRING) {
    if (b === undefined) return compareText(a.key, RELEASE_KEY)
    return b.kind === STRING ? compareText(a.key, b.key) : -1
  }
  if (b === undefined) {
    for (const item of a.items) {
      const d = compareItem(item, undefined)
      if (d !== 0) return d
    }
    return 0
  }
  if (b.kind === INT) return -1
  if (b.kind === STRING) return 1
  const n = Math.max(a.items.length, b.items.length)
  for (let i = 0; i < n; i++) {
    const l = a.items[i]
    const r = b.items[i]
    const d = l === undefined ? (r === undefined ? 0 : -compareItem(r, undefined)) : compareItem(l, r)
    if (d !== 0) return d
  }
  return 0
}

export function compareMavenParsed(a: MavenParsed, b: MavenParsed): number {
  return compareItem(a.root, b.root)
}

export const maven = comparatorOf(parseMaven, compareMavenParsed)
