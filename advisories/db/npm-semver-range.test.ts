import { describe, it, expect } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import nodeSemver from 'semver'
import { affects } from '../match.ts'
import { parseOsvRecord } from '../osv.ts'
import { npmRangeToOsv } from './npm-semver-range.ts'

const NPM_WG = join(import.meta.dirname, '../../../shared/data/osv/npm-nodejs-security-wg/nodejs-security-wg-npm.jsonl')

const ev = (introduced: string, end?: { fixed: string } | { last_affected: string }) => ({ type: 'SEMVER', events: [{ introduced }, ...(end ? [end] : [])] })

/** Does the OSV conversion of `range` affect `version`, as the matcher evaluates it? */
function converted(range: string): (version: string) => boolean {
  const record = parseOsvRecord({ id: 'T-1', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'p' }, ranges: npmRangeToOsv(range) }] })
  return (version) => affects(record, { ecosystem: 'npm', name: 'p', version, source: 'package-lock.json' }) !== undefined
}

describe('npm range strings as OSV SEMVER ranges', () => {
  it.each([
    ['<=1.5.1', [ev('0', { last_affected: '1.5.1' })]],
    ['<13.0.8', [ev('0', { fixed: '13.0.8' })]],
    ['>=4.17.15 <4.17.19', [ev('4.17.15', { fixed: '4.17.19' })]],
    ['>= 0.0.10 <= 0.0.14', [ev('0.0.10', { last_affected: '0.0.14' })]],
    ['> 2.4.3', [ev('2.4.4-0')]],
    ['>1.0.0-rc.1 <2', [ev('1.0.0-rc.1.0', { fixed: '2.0.0-0' })]],
    ['*', [ev('0')]],
    ['', [ev('0')]],
    ['2.0.x || 2.1.x', [ev('2.0.0', { fixed: '2.1.0-0' }), ev('2.1.0', { fixed: '2.2.0-0' })]],
    ['=3.0.0-rc.1', [ev('3.0.0-rc.1', { last_affected: '3.0.0-rc.1' })]],
    ['<=v2.0.0-alpha7', [ev('0', { last_affected: '2.0.0-alpha7' })]],
    ['<= 1.0', [ev('0', { fixed: '1.1.0-0' })]],
    ['<3.11 || >= 4 <4.5', [ev('0', { fixed: '3.11.0-0' }), ev('4.0.0', { fixed: '4.5.0-0' })]],
    ['~0.8.0-pre', [ev('0.8.0-pre', { fixed: '0.9.0-0' })]],
    ['^1.1.7 || ^0.2.3 || ^0.0.3', [ev('1.1.7', { fixed: '2.0.0-0' }), ev('0.2.3', { fixed: '0.3.0-0' }), ev('0.0.3', { fixed: '0.0.4-0' })]],
    ['1.2 - 2.3.4', [ev('1.2.0', { last_affected: '2.3.4' })]],
    ['1.2.3 - 2', [ev('1.2.3', { fixed: '3.0.0-0' })]],
    // Overlapping and unordered alternatives stay separate ranges, which OSV ORs.
    ['<2.0.1 || <1.1.7', [ev('0', { fixed: '2.0.1' }), ev('0', { fixed: '1.1.7' })]],
    ['<5.0.3 >=5.0.0 || < 4.2.1', [ev('5.0.0', { fixed: '5.0.3' }), ev('0', { fixed: '4.2.1' })]],
    // Nothing satisfies these: no range at all.
    ['<0.0.0-0', []],
    ['>2.0.0 <1.0.0', []],
    ['>1.0.0 <=1.0.0', []],
  ] as const)('%s', (range, expected) => {
    expect(npmRangeToOsv(range)).toEqual(expected)
  })

  it('refuses what is no range', () => {
    for (const r of ['latest', '>=1.2.3.4', '1.x-beta', '>=', '~>foo']) expect(() => npmRangeToOsv(r), r).toThrow()
  })

  it('places prereleases as SemVer precedence does', () => {
    const inRange = converted('>=1.0.0 <2.0.0 || 3.x')
    expect(inRange('1.0.0-beta')).toBe(false)
    expect(inRange('2.0.0-rc.1')).toBe(true) // below 2.0.0
    expect(inRange('3.0.0-rc.1')).toBe(false) // 3.x starts at 3.0.0
    expect(inRange('4.0.0-rc.1')).toBe(false) // 3.x ends before 4.0.0's prereleases
  })

  it.skipIf(!existsSync(NPM_WG))('agrees with node-semver on every vulnerable_versions of the npm security WG data (../shared/data/osv/npm-nodejs-security-wg)', () => {
    const ranges = new Set<string>()
    for (const line of readFileSync(NPM_WG, 'utf8').split('\n')) {
      const json = line.trim() ? JSON.parse(line) : undefined
      if (typeof json?.vulnerable_versions === 'string') ranges.add(json.vulnerable_versions)
    }
    expect(ranges.size).toBeGreaterThan(150)
    let checked = 0
    for (const range of ranges) {
      const inRange = converted(range)
      // Releases around every number the range mentions; node-semver leaves prereleases out by policy, not by range.
      const candidates = new Set(['0.0.0', '0.0.1', '0.1.0', '1.0.0', '99.0.0'])
      for (const m of range.matchAll(/(\d+)(?:\.(\d+))?(?:\.(\d+))?/g)) {
        const [M, mi, p] = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)]
        for (const [a, b, c] of [[M, mi, p], [M, mi, p + 1], [M, mi, Math.max(p - 1, 0)], [M, mi + 1, 0], [M + 1, 0, 0], [M, Math.max(mi - 1, 0), 99], [Math.max(M - 1, 0), 99, 0]]) {
          candidates.add(`${a}.${b}.${c}`)
        }
      }
      for (const version of candidates) {
        expect(inRange(version), `${version} in '${range}'`).toBe(nodeSemver.satisfies(version, range, { loose: true }))
        checked++
      }
    }
    expect(checked).toBeGreaterThan(2000)
  })
})
