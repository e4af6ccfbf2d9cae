// The contract every comparator keeps, run against all of them: a total order that never
// throws, whatever the input, and a mapping from OSV ecosystems to comparators.
import { describe, expect, it } from 'vitest'
import { apk } from './apk.ts'
import { dpkg } from './dpkg.ts'
import { comparatorFor, type VersionComparator } from './index.ts'
import { maven } from './maven.ts'
import { nuget } from './nuget.ts'
import { packagist } from './packagist.ts'
import { pep440 } from './pep440.ts'
import { rubygems } from './rubygems.ts'
import { goSemver, pubSemver, semver } from './semver-like.ts'

const ALL: Record<string, VersionComparator> = { semver, goSemver, pubSemver, pep440, dpkg, apk, rubygems, maven, nuget, packagist }

/** Version-like strings from a seeded generator: digits, separators and every ecosystem's words. */
function samples(seed: number, count: number): string[] {
  let s = seed
  const next = (n: number): number => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s % n
  }
  const atoms = ['0', '1', '2', '10', '007', '20230101', '.', '-', '_', '+', '~', ':', '!', 'a', 'b', 'rc', 'alpha', 'beta', 'pre', 'post', 'dev', 'sp', 'ga', 'final', 'SNAPSHOT', 'p', 'r', 'v', 'git', 'x', 'Z', ' ', '']
  const numbers = ['0', '1', '2', '10', '01']
  const words = ['a', 'alpha', 'beta', 'rc', 'RC', 'pre', 'dev', 'SNAPSHOT', 'sp', 'p', 'post', 'final']
  return Array.from({ length: count }, (_, i) => {
    if (i % 2 === 0) return Array.from({ length: 1 + next(6) }, () => atoms[next(atoms.length)]).join('')
    // Version-shaped: numbers, then maybe a word with a number after a separator.
    const core = Array.from({ length: 1 + next(3) }, () => numbers[next(numbers.length)]).join('.')
    return next(2) === 0 ? core : `${core}${['-', '.', '_', ''][next(4)]}${words[next(words.length)]}${numbers[next(numbers.length)]}`
  })
}

describe.each(Object.entries(ALL))('%s keeps the comparator contract', (_name, cmp) => {
  const versions = samples(_name.length * 7919, 300)

  it('never throws and is reflexive and antisymmetric', () => {
    for (let i = 0; i < versions.length; i++) {
      const a = versions[i]!
      const b = versions[(i * 7 + 3) % versions.length]!
      expect(cmp.compare(a, a), a).toBe(0)
      expect(cmp.compare(a, b), `${a} vs ${b}`).toBe(-cmp.compare(b, a) || 0)
      expect(Math.sign(cmp.compareParsed(cmp.parse(a), cmp.parse(b)))).toBe(cmp.compare(a, b))
    }
  })

  // Among well-formed versions only: Maven's own ComparableVersion is not transitive on
  // strings such as "", "Z007beta" and "-alpha-a", and ours reproduces it.
  it('is transitive on valid versions: a sorted list stays ordered pairwise', () => {
    const sorted = versions.filter((v) => cmp.isValid(v)).sort((a, b) => cmp.compare(a, b))
    expect(sorted.length).toBeGreaterThan(20)
    for (let i = 0; i < sorted.length; i += 7) {
      for (let j = i + 1; j < sorted.length; j += 11) expect(cmp.compare(sorted[i]!, sorted[j]!), `${sorted[i]} <= ${sorted[j]}`).toBeLessThanOrEqual(0)
    }
  })
})

describe('comparatorFor', () => {
  it('picks the comparator by base ecosystem', () => {
    expect(comparatorFor('npm')).toBe(semver)
    expect(comparatorFor('crates.io')).toBe(semver)
    expect(comparatorFor('Hex')).toBe(semver)
    expect(comparatorFor('Go')).toBe(goSemver)
    expect(comparatorFor('Pub')).toBe(pubSemver)
    expect(comparatorFor('PyPI')).toBe(pep440)
    expect(comparatorFor('Debian:12')).toBe(dpkg)
    expect(comparatorFor('Ubuntu:22.04:LTS')).toBe(dpkg)
    expect(comparatorFor('Alpine:v3.20')).toBe(apk)
    expect(comparatorFor('Wolfi')).toBe(apk)
    expect(comparatorFor('RubyGems')).toBe(rubygems)
    expect(comparatorFor('Maven')).toBe(maven)
    expect(comparatorFor('NuGet')).toBe(nuget)
    expect(comparatorFor('Packagist:https://packages.drupal.org/8')).toBe(packagist)
  })
  it('has none for ecosystems it does not know', () => {
    expect(comparatorFor('Hackage')).toBeUndefined()
    expect(comparatorFor('constructor')).toBeUndefined()
    expect(comparatorFor('')).toBeUndefined()
  })
})
