// npm range strings (`<1.6.5 || >=2.0.0 <2.1.7`, `~0.8.0-pre`, `2.0.x`, `1.2 - 1.4`) as OSV
// SEMVER ranges. Each `||` alternative becomes one interval, desugared as node-semver does
// (x-ranges, tilde, caret, hyphen ranges; loose `v` prefixes and spaces after operators),
// and each interval becomes one OSV range: introduced (or "0") plus fixed (`<`) or
// last_affected (`<=`). One range per alternative because OSV events in a single range
// must describe disjoint, ordered intervals, and npm alternatives may overlap or come in
// any order (`<2.0.1 || <1.1.7`); OSV ORs ranges, so the union is exact.
// `>v` has no OSV event of its own: it becomes introduced at v's successor in SemVer
// precedence (`1.2.4-0` after `1.2.3`, `1.0.0-rc.1.0` after `1.0.0-rc.1`), which is exact.
import type { OsvRange, RangeEvent } from '../osv.ts'
import { semver } from '../versions/index.ts'

interface Version { major: number, minor: number, patch: number, pre: string[] }
type Op = '<' | '<=' | '>' | '>=' | '='
interface Comparator { op: Op, v: Version }

const ID = '[0-9A-Za-z-]+'
/** A loose partial version: `v1`, `1.2`, `1.2.x`, `=1.2.3-beta.1+build`, `1.7.0-alpha2`, `2.1.0M1`. */
const PARTIAL = new RegExp(`^v?(\\d+|[xX*])(?:\\.(\\d+|[xX*])(?:\\.(\\d+|[xX*])(?:-?(${ID}(?:\\.${ID})*))?(?:\\+(${ID}(?:\\.${ID})*))?)?)?$`)
const HYPHEN = /^(\S+)\s+-\s+(\S+)$/
const OPERATOR = /^(<=|>=|<|>|=|~>|~|\^)?(.*)$/

interface Partial { major?: number, minor?: number, patch?: number, pre: string[] }

function parsePartial(s: string): Partial {
  const m = PARTIAL.exec(s)
  if (!m) throw new Error(`'${s}' is not a version`)
  const num = (x: string | undefined) => (x === undefined || /^[xX*]$/.test(x) ? undefined : Number(x))
  const p: Partial = { major: num(m[1]), minor: num(m[2]), patch: num(m[3]), pre: m[4] ? m[4].split('.') : [] }
  // An x in a position makes every later position an x (`1.x.3` reads as `1.x`).
  if (p.major === undefined) { p.minor = undefined; p.patch = undefined }
  if (p.minor === undefined) p.patch = undefined
  if (p.pre.length > 0 && p.patch === undefined) throw new Error(`'${s}' has a prerelease on a partial version`)
  return p
}

const v = (major: number, minor: number, patch: number, pre: string[] = []): Version => ({ major, minor, patch, pre })
/** The lowest version of the next major/minor: `<2.0.0-0` excludes 2.0.0's prereleases too. */
const floor = (major: number, minor: number, patch: number) => v(major, minor, patch, ['0'])
const NOTHING: Comparator[] = [{ op: '<', v: floor(0, 0, 0) }]

/** The comparators one token of a comparator set stands for (empty: any version). */
function desugar(op: string, p: Partial): Comparator[] {
  const { major: M, minor: m, patch: pt, pre } = p
  if (op === '~' || op === '~>') {
    if (M === undefined) return []
    if (m === undefined) return [{ op: '>=', v: v(M, 0, 0) }, { op: '<', v: floor(M + 1, 0, 0) }]
    return [{ op: '>=', v: v(M, m, pt ?? 0, pre) }, { op: '<', v: floor(M, m + 1, 0) }]
  }
  if (op === '^') {
    if (M === undefined) return []
    if (m === undefined) return [{ op: '>=', v: v(M, 0, 0) }, { op: '<', v: floor(M + 1, 0, 0) }]
    if (pt === undefined) return [{ op: '>=', v: v(M, m, 0) }, { op: '<', v: M === 0 ? floor(0, m + 1, 0) : floor(M + 1, 0, 0) }]
    const upper = M !== 0 ? floor(M + 1, 0, 0) : m !== 0 ? floor(0, m + 1, 0) : floor(0, 0, pt + 1)
    return [{ op: '>=', v: v(M, m, pt, pre) }, { op: '<', v: upper }]
  }
  if (M === undefined) return op === '<' || op === '>' ? NOTHING : []
  if (m !== undefined && pt !== undefined) return [{ op: op === '' ? '=' : (op as Op), v: v(M, m, pt, pre) }]
  // An x-range: 1 or 1.2, with or without an operator.
  const low = v(M, m ?? 0, 0)
  const next = m === undefined ? v(M + 1, 0, 0) : v(M, m + 1, 0)
  switch (op) {
    case '':
    case '=': return [{ op: '>=', v: low }, { op: '<', v: { ...next, pre: ['0'] } }]
    case '>=': return [{ op: '>=', v: low }]
    case '>': return [{ op: '>=', v: next }]
    case '<': return [{ op: '<', v: { ...low, pre: ['0'] } }]
    case '<=': return [{ op: '<', v: { ...next, pre: ['0'] } }]
    default: throw new Error(`unknown operator '${op}'`)
  }
}

function comparatorSet(text: string): Comparator[] {
  const s = text.trim()
  if (s === '') return []
  const hyphen = HYPHEN.exec(s)
  if (hyphen) {
    const from = parsePartial(hyphen[1]!)
    const to = parsePartial(hyphen[2]!)
    const lower = from.major === undefined ? [] : [{ op: '>=' as const, v: v(from.major, from.minor ?? 0, from.patch ?? 0, from.pre) }]
    const upper = to.major === undefined ? []
      : to.minor === undefined ? [{ op: '<' as const, v: floor(to.major + 1, 0, 0) }]
        : to.patch === undefined ? [{ op: '<' as const, v: floor(to.major, to.minor + 1, 0) }]
          : [{ op: '<=' as const, v: v(to.major, to.minor, to.patch, to.pre) }]
    return [...lower, ...upper]
  }
  // node-semver's loose reading: no space needed (or kept) between an operator and its version.
  const tokens = s.replace(/(<=|>=|<|>|=|~>|~|\^)\s+/g, '$1').split(/\s+/)
  return tokens.flatMap((t) => {
    const [, op = '', rest = ''] = OPERATOR.exec(t)!
    return desugar(op, parsePartial(rest))
  })
}

export const formatVersion = (x: Version): string => `${x.major}.${x.minor}.${x.patch}${x.pre.length > 0 ? '-' + x.pre.join('.') : ''}`
const compare = (a: Version, b: Version) => semver.compare(formatVersion(a), formatVersion(b))
const successor = (x: Version): Version => (x.pre.length > 0 ? { ...x, pre: [...x.pre, '0'] } : v(x.major, x.minor, x.patch + 1, ['0']))

/** The interval a comparator set allows, as OSV events; undefined when it allows nothing. */
function intervalEvents(set: Comparator[]): RangeEvent[] | undefined {
  let lower: Comparator | undefined
  let upper: Comparator | undefined
  for (const c of set) {
    const bounds: Comparator[] = c.op === '=' ? [{ op: '>=', v: c.v }, { op: '<=', v: c.v }] : [c]
    for (const b of bounds) {
      if (b.op === '>' || b.op === '>=') {
        const d = lower ? compare(b.v, lower.v) : 1
        if (d > 0 || (d === 0 && b.op === '>')) lower = b
      } else {
        const d = upper ? compare(b.v, upper.v) : -1
        if (d < 0 || (d === 0 && b.op === '<')) upper = b
      }
    }
  }
  // Nothing precedes 0.0.0-0, the least version there is.
  if (!lower && upper?.op === '<' && formatVersion(upper.v) === '0.0.0-0') return undefined
  if (lower && upper) {
    const d = compare(lower.v, upper.v)
    if (d > 0 || (d === 0 && (lower.op === '>' || upper.op === '<'))) return undefined
  }
  const events: RangeEvent[] = [{ introduced: lower ? formatVersion(lower.op === '>' ? successor(lower.v) : lower.v) : '0' }]
  if (upper) events.push(upper.op === '<' ? { fixed: formatVersion(upper.v) } : { last_affected: formatVersion(upper.v) })
  return events
}

/** OSV SEMVER ranges for an npm range string; throws Error naming the token it cannot read. */
export function npmRangeToOsv(range: string): OsvRange[] {
  const out: OsvRange[] = []
  for (const alternative of range.split('||')) {
    const events = intervalEvents(comparatorSet(alternative))
    if (events) out.push({ type: 'SEMVER', events })
  }
  return out
}
