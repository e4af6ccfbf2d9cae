// Semantic-version ordering as npm, crates.io, Go, Hex and Pub use it: numeric
// major.minor.patch (missing parts are 0, extra parts compared too), a prerelease sorts
// before its release and compares dot-separated identifiers (numbers numerically, below
// strings), build metadata ignored. Go's leading `v` and `+incompatible` are dropped.
import type { VersionComparator } from './comparator.ts'

interface Parsed { release: number[], pre: (number | string)[] }

const cache = new Map<string, Parsed>()

export function parseSemverLike(v: string): Parsed {
  let p = cache.get(v)
  if (p) return p
  let s = v.trim()
  if (s[0] === 'v' || s[0] === 'V' || s[0] === '=') s = s.slice(1)
  const plus = s.indexOf('+')
  if (plus !== -1) s = s.slice(0, plus)
  const dash = s.indexOf('-')
  const core = dash === -1 ? s : s.slice(0, dash)
  const pre = dash === -1 ? '' : s.slice(dash + 1)
  const release = core.split('.').map((x) => { const n = Number.parseInt(x, 10); return Number.isNaN(n) ? 0 : n })
  p = { release, pre: pre === '' ? [] : pre.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x)) }
  if (cache.size > 50_000) cache.clear()
  cache.set(v, p)
  return p
}

export function compareSemverLike(a: string, b: string): number {
  const pa = parseSemverLike(a)
  const pb = parseSemverLike(b)
  const n = Math.max(pa.release.length, pb.release.length, 3)
  for (let i = 0; i < n; i++) {
    const d = (pa.release[i] ?? 0) - (pb.release[i] ?? 0)
    if (d !== 0) return d < 0 ? -1 : 1
  }
  // A release sorts after its prereleases.
  if (pa.pre.length === 0) return pb.pre.length === 0 ? 0 : 1
  if (pb.pre.length === 0) return -1
  for (let i = 0; i < Math.max(pa.pre.length, pb.pre.length); i++) {
    const x = pa.pre[i]
    const y = pb.pre[i]
    if (x === undefined) return -1
    if (y === undefined) return 1
    if (x === y) continue
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1
    if (typeof x === 'number') return -1
    if (typeof y === 'number') return 1
    return x < y ? -1 : 1
  }
  return 0
}

export const semverLike: VersionComparator = { compare: compareSemverLike }
