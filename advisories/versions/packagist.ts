// Composer (Packagist) ordering: `v` prefix dropped, up to four numeric parts, then the
// stability dev < alpha < beta < RC < stable < patch (`p`/`pl`), then its number.
import type { VersionComparator } from './comparator.ts'

const STABILITY: Record<string, number> = { dev: 0, alpha: 1, a: 1, beta: 2, b: 2, rc: 3, stable: 4, '': 4, patch: 5, pl: 5, p: 5 }

function parse(v: string): [number[], number, number] {
  const s = v.trim().toLowerCase().replace(/^v/, '')
  const m = /^(\d+(?:\.\d+){0,3})(?:[-_.]?(dev|alpha|a|beta|b|rc|stable|patch|pl|p)[-_.]?(\d*))?/.exec(s)
  if (!m) return [[-1], 0, 0]
  const nums = m[1]!.split('.').map(Number)
  while (nums.length < 4) nums.push(0)
  return [nums, STABILITY[m[2] ?? ''] ?? 4, Number(m[3] || 0)]
}

export function comparePackagist(a: string, b: string): number {
  const [na, sa, ia] = parse(a)
  const [nb, sb, ib] = parse(b)
  for (let i = 0; i < 4; i++) if (na[i] !== nb[i]) return na[i]! < nb[i]! ? -1 : 1
  if (sa !== sb) return sa < sb ? -1 : 1
  return ia < ib ? -1 : ia > ib ? 1 : 0
}

export const packagist: VersionComparator = { compare: comparePackagist }
