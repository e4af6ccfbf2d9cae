// RubyGems ordering (Gem::Version#<=>): segments are digit or letter runs; a letter makes a
// prerelease; numbers sort after letters; missing segments count as 0.
import type { VersionComparator } from './comparator.ts'

function segments(v: string): (number | string)[] {
  const out = (v.trim().replace(/-/g, '.pre.').match(/\d+|[a-z]+/gi) ?? []).map((s) => (/^\d/.test(s) ? Number(s) : s))
  // Trailing zeros do not change a version (1.0 == 1).
  while (out.length > 1 && out[out.length - 1] === 0) out.pop()
  return out
}

export function compareRubyGems(a: string, b: string): number {
  const x = segments(a)
  const y = segments(b)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const l = x[i] ?? 0
    const r = y[i] ?? 0
    if (l === r) continue
    if (typeof l === 'string' && typeof r === 'number') return -1
    if (typeof l === 'number' && typeof r === 'string') return 1
    return l < r ? -1 : 1
  }
  return 0
}

export const rubygems: VersionComparator = { compare: compareRubyGems }
