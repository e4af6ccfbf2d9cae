// Assertions the comparator tests share: a published ordering holds in both directions,
// and published equalities hold. Used by tests only.
import { expect } from 'vitest'
import type { VersionComparator } from './comparator.ts'

/** Every element sorts strictly before the next, and equal to itself. */
export function expectAscending(cmp: VersionComparator, versions: readonly string[]): void {
  for (let i = 0; i + 1 < versions.length; i++) {
    const a = versions[i]!
    const b = versions[i + 1]!
    expect(cmp.compare(a, b), `${a} < ${b}`).toBe(-1)
    expect(cmp.compare(b, a), `${b} > ${a}`).toBe(1)
  }
  for (const v of versions) expect(cmp.compare(v, v), `${v} = ${v}`).toBe(0)
}

/** Lines of `a < b`, `a > b` or `a = b`, as upstream test suites write them. */
export function expectRelations(cmp: VersionComparator, lines: string): number {
  let checked = 0
  for (const line of lines.split('\n')) {
    const m = /^\s*(\S+)\s+([<>=])\s+(\S+)\s*$/.exec(line)
    if (!m) continue
    const want = m[2] === '<' ? -1 : m[2] === '>' ? 1 : 0
    expect(cmp.compare(m[1]!, m[3]!), line.trim()).toBe(want)
    expect(cmp.compare(m[3]!, m[1]!), `${line.trim()} (reversed)`).toBe(-want || 0)
    checked++
  }
  return checked
}
