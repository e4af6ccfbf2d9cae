// Maven ordering (ComparableVersion): items split at `.`, `-` and digit/letter changes;
// qualifiers alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp,
// unknown qualifiers after those (alphabetically); numbers after qualifiers; trailing
// "null" items (0, "", ga, final, release) ignored.
import type { VersionComparator } from './comparator.ts'

const QUALIFIERS: Record<string, number> = { alpha: 0, a: 0, beta: 1, b: 1, milestone: 2, m: 2, rc: 3, cr: 3, snapshot: 4, '': 5, ga: 5, final: 5, release: 5, sp: 6 }

function items(v: string): (number | string)[] {
  const out: (number | string)[] = []
  for (const part of v.trim().toLowerCase().split(/[.-]/)) {
    for (const tok of part.match(/\d+|[a-z]+/g) ?? ['']) out.push(/^\d/.test(tok) ? Number(tok) : tok)
  }
  while (out.length > 0 && (out[out.length - 1] === 0 || (typeof out[out.length - 1] === 'string' && QUALIFIERS[out[out.length - 1] as string] === 5))) out.pop()
  return out
}

function qualifierRank(q: string): [number, string] {
  const r = QUALIFIERS[q]
  return r === undefined ? [7, q] : [r, '']
}

function cmpItem(x: number | string | undefined, y: number | string | undefined): number {
  if (x === undefined && y === undefined) return 0
  if (x === undefined) return -cmpItem(y, undefined)
  if (typeof x === 'number') {
    if (y === undefined) return x === 0 ? 0 : 1
    if (typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0
    return 1
  }
  if (y === undefined) return qualifierRank(x)[0] < 5 ? -1 : qualifierRank(x)[0] === 5 ? 0 : 1
  if (typeof y === 'number') return -1
  const [rx, sx] = qualifierRank(x)
  const [ry, sy] = qualifierRank(y)
  if (rx !== ry) return rx < ry ? -1 : 1
  return sx < sy ? -1 : sx > sy ? 1 : 0
}

export function compareMaven(a: string, b: string): number {
  const x = items(a)
  const y = items(b)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = cmpItem(x[i], y[i])
    if (d !== 0) return d
  }
  return 0
}

export const maven: VersionComparator = { compare: compareMaven }
