import { describe, expect, it } from 'vitest'
import { apk } from './apk.ts'
import { expectAscending, expectRelations } from './expect-ordering.ts'

describe('apk (Alpine)', () => {
  it('orders suffixes, letters and revisions', () => {
    expectAscending(apk, ['1.0_alpha1', '1.0_alpha2', '1.0_beta', '1.0_pre1', '1.0_rc1', '1.0', '1.0-r1', '1.0_p1', '1.0a', '1.0.1', '1.2', '1.10'])
    expectAscending(apk, ['1.0_cvs1', '1.0_svn1', '1.0_git1', '1.0_hg1', '1.0_p1'])
  })
  // From apk-tools' tests/version.data, as osv-scanner's alpine-versions.txt carries it (GPL-2.0 test data, Apache-2.0 fixture).
  it('agrees with apk-tools\' version.data', () => {
    expect(expectRelations(apk, `
      2.34 > 0.1.0_alpha
      23_foo > 4_beta
      1.0 < 1.0bc
      0.1.0_alpha2 > 0.1.0_alpha
      1.1 > 1.1_alpha1
      3.10.18-r1 > 2.3.0b-r1
      0.12.3 > 0.12
      3.1_p17 > 1.06-r6
      1.06-r6 < 006
      2.59 < 20050718-r1
      3.9.8-r5 > 2.01.01_alpha10
      1.0 > 0.99.3.20040818
      1.39 > 1.00_beta2
      4.2.52_p2-r1 < 4.2.52_p4-r2
      1.02.07 < 1.02.10-r1
      20060720 > 3.0.20060720
      2.5.1-r8 < 2.5.1a-r1
      3.0.0-r2 < 021109-r3
      1.1.7 < 6b-r7
      0.10.0 < 0.10.1_rc1
      22.7-r1 < 22.7.3-r1
      02.08.01b < 4.77
      3.81 > 1.6d
      1.2.07.8 < 1.2.12.04
      1.07-r1 < 1.07.5
      0.59s-r11 < 0.65
      4.20 > 0.20070118
      0.20070118 < 0.20070207_rc1
      4.5_p1-r1 > 4.5_p1
      0.9.8c-r1 < 0.9.8d
      2.2.3-r2 < 013
      1.8.5 < 1.8.5_p2
      0.98 < 1.00
      2.9.11_pre20051101-r3 > 2.9.11_pre20051101
      1.6.8_p12-r1 > 1.6.8_p9-r2
      0.9.28.1 < 087-r1
      20040406-r1 > 2.12r-r4
      7.0.17 < 7.0.174
      1.0_p10-r0 > 1.0_p9-r0
      0.1.0_alpha_pre2 < 0.1.0_alpha
      1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0
      1-r2 > 1-r-1
      1-ruff2 = 1-ruff1`)).toBe(43)
  })
  it('compares a dotted group with a leading zero as text', () => {
    expectAscending(apk, ['1.001', '1.01', '1.1'])
    expectAscending(apk, ['1.0', '1.00', '1.01'])
    expect(apk.compare('1.2', '1.02')).toBe(1)
  })
  it('orders commit hashes before the revision, and unreadable text below the version it extends', () => {
    expectAscending(apk, ['1.0_git20230101~abc123', '1.0_git20230101~abc124', '1.0_git20230101~abc124-r1', '1.0_git20230102'])
    expectAscending(apk, ['1.0-ruff', '1.0', '1.0-r1'])
    expect(apk.compare('abc', 'xyz')).toBe(0)
  })
  it('says which strings apk accepts', () => {
    for (const v of ['1.0', '1.2.3_rc1-r0', '2.4.4a_p1-r12', '1.0_git20230101-r2']) expect(apk.isValid(v), v).toBe(true)
    for (const v of ['', '1.0-foo', '1.0_foo', 'latest', '1.0-r1a']) expect(apk.isValid(v), v).toBe(false)
  })
})
