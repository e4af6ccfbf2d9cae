// Alpine apk version ordering (apk-tools' version.c): digit groups numerically (a leading
// zero compares as a fraction), an optional letter, suffixes _alpha < _beta < _pre < _rc <
// (none) < _cvs < _svn < _git < _hg < _p, then the -rN package revision.
import type { VersionComparator } from './comparator.ts'

const SUFFIX: Record<string, number> = { alpha: -4, beta: -3, pre: -2, rc: -1, '': 0, cvs: 1, svn: 2, git: 3, hg: 4, p: 5 }

interface Parsed { nums: string[], letter: string, suffixes: [number, number][], rev: number }

function parse(v: string): Parsed {
  let s = v.trim()
  let rev = 0
  const r = /-r(\d+)$/.exec(s)
  if (r) { rev = Number(r[1]); s = s.slice(0, r.index) }
  const m = /^(\d+(?:\.\d+)*)([a-z]?)((?:_[a-z]+\d*)*)/.exec(s)
  if (!m) return { nums: [], letter: '', suffixes: [], rev }
  const suffixes = [...m[3]!.matchAll(/_([a-z]+)(\d*)/g)].map((x) => [SUFFIX[x[1]!] ?? 0, Number(x[2] || 0)] as [number, number])
  return { nums: m[1]!.split('.'), letter: m[2]!, suffixes, rev }
}

function cmpDigits(a: string, b: string, first: boolean): number {
  // After the first group, a leading zero means the group compares as a decimal fraction.
  if (!first && (a.startsWith('0') || b.startsWith('0'))) {
    const x = `0.${a}`, y = `0.${b}`
    return x < y ? -1 : x > y ? 1 : 0
  }
  const d = Number(a) - Number(b)
  return d < 0 ? -1 : d > 0 ? 1 : 0
}

export function compareApk(a: string, b: string): number {
  const pa = parse(a)
  const pb = parse(b)
  for (let i = 0; i < Math.max(pa.nums.length, pb.nums.length); i++) {
    const x = pa.nums[i]
    const y = pb.nums[i]
    if (x === undefined) return -1
    if (y === undefined) return 1
    const d = cmpDigits(x, y, i === 0)
    if (d !== 0) return d
  }
  if (pa.letter !== pb.letter) return pa.letter < pb.letter ? -1 : 1
  for (let i = 0; i < Math.max(pa.suffixes.length, pb.suffixes.length); i++) {
    const [xs, xn] = pa.suffixes[i] ?? [0, 0]
    const [ys, yn] = pb.suffixes[i] ?? [0, 0]
    if (xs !== ys) return xs < ys ? -1 : 1
    if (xn !== yn) return xn < yn ? -1 : 1
  }
  return pa.rev < pb.rev ? -1 : pa.rev > pb.rev ? 1 : 0
}

export const apk: VersionComparator = { compare: compareApk }
