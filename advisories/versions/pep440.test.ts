import { describe, expect, it } from 'vitest'
import { expectAscending, expectRelations } from './expect-ordering.ts'
import { pep440 } from './pep440.ts'

describe('PEP 440 (PyPI)', () => {
  it('orders the example list of PEP 440 §"Summary of permitted suffixes and relative ordering"', () => {
    expectAscending(pep440, [
      '1.dev0', '1.0.dev456', '1.0a1', '1.0a2.dev456', '1.0a12.dev456', '1.0a12', '1.0b1.dev456', '1.0b2',
      '1.0b2.post345.dev456', '1.0b2.post345', '1.0rc1.dev456', '1.0rc1', '1.0', '1.0+abc.5', '1.0+abc.7', '1.0+5',
      '1.0.post456.dev34', '1.0.post456', '1.0.15', '1.1.dev1', '1!0.1',
    ])
  })
  it('normalises spellings as packaging does', () => {
    expectRelations(pep440, `
      1.0alpha1 = 1.0a1
      1.0-beta.2 = 1.0b2
      1.0RC1 = 1.0rc1
      1.0c1 = 1.0rc1
      1.0-pre1 = 1.0rc1
      1.0preview1 = 1.0rc1
      1.0-1 = 1.0.post1
      1.0-r = 1.0.post0
      1.0rev2 = 1.0.post2
      1.0.DEV = 1.0.dev0
      2.0.0b = 2.0.0b0
      1.0.0 = 1
      v1.0 = 1.0
      01.02 = 1.2
      0!1.0 = 1.0
      1.0+ubuntu-1 = 1.0+ubuntu.1
      1.0+Local = 1.0+local`)
  })
  it('orders local versions: numeric segments after alphanumeric ones, longer after shorter', () => {
    expectAscending(pep440, ['1.0.0', '1.0.0+a', '1.0.0+local', '1.0.0+local.a', '1.0.0+local.0', '1.0.0+local.0.1', '1.0.0+local.1', '1.0.0+1'])
  })
  // osv-scanner's internal/semantic/fixtures/pypi-versions.txt (Apache-2.0), generated with packaging.
  it('agrees with osv-scanner\'s packaging-generated fixture', () => {
    expect(expectRelations(pep440, `
      1.36.0rc1 > 1.35.0
      0.3.0 > 0
      1.0.0+local > 1.0.0
      1.0.0.dev1 < 1.0.0
      1.0.dev0 < 1.0a0
      1.2b3.DEV4 < 1.2b3.dev5
      1.2a3.dev4 < 1.2b3.dev4
      1.2.post3.dev4 > 1.2b3.dev4
      0.9.alpha < 1.0
      0.9.rev < 1.0
      1!1.0 < 2!1.0`)).toBe(11)
  })
  it('orders non-PEP 440 versions as packaging\'s LegacyVersion: before every PEP 440 version', () => {
    expectAscending(pep440, ['0.1-bulbasaur', '0.1-charmander', '0.9-doduo', '0.9-eevee', '0.9-ivysaur', '0.dev0', '1.0'])
    // LegacyVersion's epoch is -1, so a legacy 2.0.0 sorts below a PEP 440 0.1.
    expectAscending(pep440, ['0.3m1', '0.3m2', '2.0.0-final', '0', '0.1'])
    // Among themselves, by setuptools' components: `-` before a word, words before numbers.
    expectAscending(pep440, ['0.7.1.fix1', '0.7.4.svn.r2010', '2.0.1rc2-git'])
    expect(pep440.isValid('2.0.0-final')).toBe(true)
    expect(pep440.isValid('latest')).toBe(false)
  })
  it('compares release numbers of any length exactly', () => {
    expectAscending(pep440, ['20230101.1', '20230101.2', '99999999999999999998', '99999999999999999999'])
  })
})
