import { describe, expect, it } from 'vitest'
import { expectAscending, expectRelations } from './expect-ordering.ts'
import { goSemver, pubSemver, semver } from './semver-like.ts'

describe('SemVer 2.0 (npm, crates.io, Hex)', () => {
  it('orders as semver.org §11 lists it', () => {
    expectAscending(semver, ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '2.0.0', '2.1.0', '2.1.1'])
  })
  it('ignores build metadata and tolerates v, = and short versions', () => {
    expectRelations(semver, `
      1.0.0+build.1 = 1.0.0
      1.0.0+build.1 = 1.0.0+other
      v1.2.3 = 1.2.3
      =1.2.3 = 1.2.3
      1.2 = 1.2.0
      0 < 0.0.1
      1.0.0-rc.1+build = 1.0.0-rc.1`)
  })
  it('compares numeric identifiers of any length exactly', () => {
    expectAscending(semver, ['1.0.0-9', '1.0.0-10', '1.0.0-99999999999999999998', '1.0.0-99999999999999999999', '1.0.0-a'])
    expectAscending(semver, ['9007199254740993.0.0', '9007199254740994.0.0'])
  })
  it('says which strings are versions', () => {
    for (const v of ['1.2.3', 'v1.2.3', '1.2.3-rc.1+b.5', '0']) expect(semver.isValid(v), v).toBe(true)
    for (const v of ['latest', 'file:../x', 'github:a/b#c', '1.2.3.4', '1.2.3-', '', '^1.2.3']) expect(semver.isValid(v), v).toBe(false)
  })
})

describe('Go modules', () => {
  it('orders pseudo-versions as prereleases and ignores +incompatible', () => {
    expectAscending(goSemver, [
      'v0.0.0-20190101000000-abcdefabcdef', 'v0.0.0-20200101000000-abcdefabcdef', 'v0.1.0',
      'v1.2.3-pre', 'v1.2.3', 'v1.2.4-0.20191109021931-daa7c04131f5', 'v1.2.4', 'v1.10.0', 'v2.0.0+incompatible', 'v2.1.0',
    ])
    expect(goSemver.compare('v2.0.0+incompatible', '2.0.0')).toBe(0)
  })
  it('reads Go toolchain tags as the Go vulndb writes them', () => {
    expectAscending(goSemver, ['1.21.0-0', 'go1.21beta1', 'go1.21rc2', '1.21.0', 'go1.21.3', '1.22.0'])
    expectRelations(goSemver, `
      go1.21rc2 = 1.21.0-rc.2
      go1.21 = 1.21.0
      1.21 = 1.21.0`)
  })
})

describe('Pub (pub_semver)', () => {
  it('orders build metadata after the plain version', () => {
    expectAscending(pubSemver, ['1.0.0-pre', '1.0.0-pre+build', '1.0.0', '1.0.0+1', '1.0.0+2', '1.0.0+10', '1.0.1'])
    expect(semver.compare('1.0.0+1', '1.0.0')).toBe(0)
  })
})
