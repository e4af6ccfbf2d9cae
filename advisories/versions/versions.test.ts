// Each comparator against its ecosystem's published ordering: every list is ascending.
import { describe, it, expect } from 'vitest'
import { comparatorFor } from './index.ts'

function ascending(ecosystem: string, list: string[]) {
  const cmp = comparatorFor(ecosystem)!
  for (let i = 0; i + 1 < list.length; i++) {
    expect(cmp.compare(list[i]!, list[i + 1]!), `${list[i]} < ${list[i + 1]}`).toBeLessThan(0)
    expect(cmp.compare(list[i + 1]!, list[i]!), `${list[i + 1]} > ${list[i]}`).toBeGreaterThan(0)
    expect(cmp.compare(list[i]!, list[i]!)).toBe(0)
  }
}

describe('version ordering', () => {
  it('semver (semver.org §11, npm, crates.io, Hex, Pub)', () => {
    ascending('npm', ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.2.0', '1.10.0', '2.0.0'])
    expect(comparatorFor('crates.io')!.compare('1.0.0+build.5', '1.0.0')).toBe(0)
  })
  it('Go modules: v prefix, pseudo-versions, +incompatible', () => {
    ascending('Go', ['v0.0.0-20190101000000-abcdefabcdef', 'v0.1.0', 'v1.2.3-pre', 'v1.2.3', 'v1.10.0', 'v2.0.0+incompatible', 'v2.1.0'])
    expect(comparatorFor('Go')!.compare('1.21', '1.21.0')).toBe(0)
  })
  it('PEP 440 (the spec\'s ordering example)', () => {
    ascending('PyPI', ['1.dev0', '1.0.dev456', '1.0a1', '1.0a2.dev456', '1.0a12.dev456', '1.0a12', '1.0b1.dev456', '1.0b2', '1.0b2.post345.dev456', '1.0b2.post345', '1.0rc1.dev456', '1.0rc1', '1.0', '1.0+abc.5', '1.0+abc.7', '1.0+5', '1.0.post456.dev34', '1.0.post456', '1.0.15', '1.1.dev1', '1!0.1'])
    const cmp = comparatorFor('PyPI')!
    expect(cmp.compare('1.0', '1.0.0')).toBe(0)
    expect(cmp.compare('1.0alpha1', '1.0a1')).toBe(0)
    expect(cmp.compare('1.0-1', '1.0.post1')).toBe(0)
    expect(cmp.compare('2.0.0b', '2.0.0b0')).toBe(0)
  })
  it('dpkg (Debian Policy §5.6.12: ~ sorts before everything)', () => {
    ascending('Debian:12', ['1.0~rc1', '1.0', '1.0-1', '1.0-1+deb12u1', '1.0-2', '1.0a', '1.0+b1', '1.1', '1:0.1'])
    expect(comparatorFor('Ubuntu')!.compare('2.36.1-8+deb11u1', '2.36.1-8+deb11u1')).toBe(0)
  })
  it('apk (apk-tools version.c)', () => {
    ascending('Alpine:v3.20', ['1.0_alpha1', '1.0_beta', '1.0_pre1', '1.0_rc1', '1.0', '1.0-r1', '1.0_p1', '1.0a', '1.0.1', '1.2', '1.10'])
  })
  it('RubyGems (Gem::Version)', () => {
    ascending('RubyGems', ['1.0.a', '1.0.a.2', '1.0.b1', '1.0.rc1', '1.0', '1.0.1', '1.1', '2'])
    expect(comparatorFor('RubyGems')!.compare('1.0', '1')).toBe(0)
  })
  it('Maven (ComparableVersion)', () => {
    ascending('Maven', ['1.0-alpha-1', '1.0-beta', '1.0-milestone-1', '1.0-rc1', '1.0-SNAPSHOT', '1.0', '1.0-sp1', '1.0.1', '1.1', '2.0'])
    expect(comparatorFor('Maven')!.compare('1.0', '1.0.0.Final')).toBe(0)
    expect(comparatorFor('Maven')!.compare('1.0-RC1', '1.0-cr1')).toBe(0)
  })
  it('NuGet (SemVer 2, four parts, case-insensitive labels)', () => {
    ascending('NuGet', ['1.0.0-alpha', '1.0.0-Beta', '1.0.0', '1.0.0.1', '1.0.1'])
    expect(comparatorFor('NuGet')!.compare('1.0.0-ALPHA', '1.0.0-alpha')).toBe(0)
  })
  it('Packagist (Composer stabilities)', () => {
    ascending('Packagist', ['1.0.0-dev', '1.0.0-alpha1', '1.0.0-beta2', '1.0.0-RC1', '1.0.0', '1.0.0-p1', 'v1.0.1', '1.1'])
  })
  it('has no comparator for an unknown ecosystem', () => {
    expect(comparatorFor('Nonsense')).toBeUndefined()
  })
})
