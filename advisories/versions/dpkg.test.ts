import { describe, expect, it } from 'vitest'
import { dpkg } from './dpkg.ts'
import { expectAscending, expectRelations } from './expect-ordering.ts'

describe('dpkg (Debian, Ubuntu)', () => {
  it('sorts ~ before everything, even the end of the string (Debian Policy §5.6.12)', () => {
    expectAscending(dpkg, ['1.0~~', '1.0~~a', '1.0~', '1.0~rc1', '1.0', '1.0a', '1.0+', '1.0+b1', '1.0.1'])
  })
  it('compares epoch, then upstream, then revision (letters before other characters)', () => {
    expectAscending(dpkg, ['0.9-9', '1.0-1', '1.0-1ubuntu0.1', '1.0-1+deb12u1', '1.0-2', '1.2.3-1', '1.10-1', '2:0.1', '10:0.1'])
    expectRelations(dpkg, `
      1.0 = 1.0-0
      1.0 = 0:1.0
      00:1.0 = 1.0
      1.0-1 = 1.0-01
      1:1.0 > 9.9
      3.0.11-1~deb12u1 < 3.0.11-1~deb12u2
      3.0.11-1~deb12u2 < 3.0.11-1
      2.36.1-8+deb11u1 = 2.36.1-8+deb11u1
      1.0a < 1.0+
      7.6p2-4 > 7.6-0`)
  })
  it('compares digit runs numerically whatever their length', () => {
    expectAscending(dpkg, ['1.9', '1.10', '1.99999999999999999999', '1.100000000000000000000'])
  })
  it('says which strings are Debian versions', () => {
    for (const v of ['1.0', '1:2.3-4', '2.36.1-8+deb11u1', '1.0~rc1-0ubuntu1']) expect(dpkg.isValid(v), v).toBe(true)
    for (const v of ['', 'latest', 'a:1.0', '1.0-', '1.0-a_b', ':1.0']) expect(dpkg.isValid(v), v).toBe(false)
  })
})
