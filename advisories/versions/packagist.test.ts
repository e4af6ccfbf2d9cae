import { describe, expect, it } from 'vitest'
import { expectAscending, expectRelations } from './expect-ordering.ts'
import { packagist } from './packagist.ts'

describe('Packagist (Composer)', () => {
  it('orders stabilities dev < alpha < beta < RC < stable < patch', () => {
    expectAscending(packagist, ['1.0.0-dev', '1.0.0-alpha1', '1.0.0-alpha2', '1.0.0-beta1', '1.0.0-beta.2', '1.0.0-RC1', '1.0.0-RC2', '1.0.0', '1.0.0-p1', '1.0.0-patch2', '1.0.1', 'v1.1', '2.0.0.1'])
  })
  it('normalises as Composer\'s VersionParser does', () => {
    expectRelations(packagist, `
      v1.0.0 = 1.0.0
      1.0 = 1.0.0.0
      1.0.0-beta.2 = 1.0.0-beta2
      1.0.0-b2 = 1.0.0-beta2
      1.0.0-rc1 = 1.0.0-RC1
      1.0.0-pl1 = 1.0.0-patch1
      1.0.0+build.7 = 1.0.0
      1.0.0-stable = 1.0.0
      2010.01.02 = 2010.1.2
      2010-01-02 < 2010-01-03
      1.0.0-alpha.1.2 = 1.0.0-alpha1.2
      1.9 < 1.10`)
  })
  it('treats branches as unversioned', () => {
    for (const v of ['dev-main', 'dev-feature/x', '2.x-dev', 'master']) expect(packagist.isValid(v), v).toBe(false)
    for (const v of ['1.0.0', 'v2.3.4', '1.0.0-RC1', '1.0.0-dev', '20230101']) expect(packagist.isValid(v), v).toBe(true)
  })
})
