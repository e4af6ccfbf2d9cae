import { describe, expect, it } from 'vitest'
import { expectAscending, expectRelations } from './expect-ordering.ts'
import { maven } from './maven.ts'

describe('Maven (ComparableVersion)', () => {
  // Maven's own ComparableVersionTest lists (maven-artifact, Apache-2.0).
  it('orders qualifiers as ComparableVersionTest does', () => {
    expectAscending(maven, ['1-alpha2snapshot', '1-alpha2', '1-alpha-123', '1-beta-2', '1-beta123', '1-m2', '1-m11', '1-rc', '1-cr2', '1-rc123', '1-SNAPSHOT', '1', '1-sp', '1-sp2', '1-sp123', '1-abc', '1-def', '1-pom-1', '1-1-snapshot', '1-1', '1-2', '1-123'])
  })
  it('orders numbers as ComparableVersionTest does', () => {
    expectAscending(maven, ['2.0', '2.0.a', '2-1', '2.0.2', '2.0.123', '2.1.0', '2.1-a', '2.1b', '2.1-c', '2.1-1', '2.1.0.1', '2.2', '2.123', '11.a2', '11.a11', '11.b2', '11.b11', '11.m2', '11.m11', '11', '11.a', '11b', '11c', '11m'])
  })
  // The spec's examples, as osv-scanner's maven-versions.txt collects them (Apache-2.0).
  it('trims nulls, aliases qualifiers and ignores case', () => {
    expectRelations(maven, `
      1 = 1.0.0
      1 = 1-0
      1.0 = 1.0-0
      1.1 = 1.01
      1a = 1-a
      1.0.0a = 1-a
      1ga = 1
      1release = 1
      1FINAL = 1
      1cr = 1rc
      1a1 = 1-alpha-1
      1b2 = 1-beta-2
      1m3 = 1-milestone-3
      1m3 = 1MILESTONE3
      1 = 1.
      1 = 1-
      1-foo = 1.0.0-foo.0.0
      1 = 1.0.0-0.0.0
      1-1.foo-bar-1-baz-0.1 = 1-1.foo-bar1baz-.1
      1.0-SNAPSHOT < 1.0
      1.0-alpha-1-SNAPSHOT < 1.0-alpha-1
      1.0.0 < 1.0-1
      2.0-1 < 2.0.1
      2.0.1 < 2.0.1-xyz
      2.0.1-xyz < 2.0.1-123
      6.1.0rc3 < 6.1.0
      6.1.0 < 6.1H.5-beta
      20190126.230843 < 1234567890.12345
      123456789012345.1H.5-beta < 12345678901234567890.1H.5-beta
      0.0.0-2021-05-17T01-01-51-5ec03a8b < 20.0.0`)
  })
  it('reads a qualifier after a dot as after a hyphen (MNG-7644)', () => {
    expectRelations(maven, `
      1.0.RC1 = 1.0-RC1
      1.foo = 1-foo
      1.0.Final = 1.0
      5.3.0.RELEASE = 5.3.0`)
  })
  it('follows ComparableVersion where the spec prose disagrees', () => {
    // The spec says 1-ga-1 = 1-1; maven-artifact 3.8.7 keeps the nested list and orders it lower.
    expect(maven.compare('1-ga-1', '1-1')).toBe(-1)
  })
  it('says which strings are Maven versions', () => {
    for (const v of ['1.0', '2.17.1', '5.3.0.RELEASE', '1.0-SNAPSHOT']) expect(maven.isValid(v), v).toBe(true)
    for (const v of ['', 'latest', '${project.version}', '[1.0,2.0)']) expect(maven.isValid(v), v).toBe(false)
  })
})
