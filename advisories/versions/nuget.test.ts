import { describe, expect, it } from 'vitest'
import { expectAscending, expectRelations } from './expect-ordering.ts'
import { nuget } from './nuget.ts'

describe('NuGet (NuGet.Versioning)', () => {
  it('orders four-part versions and release labels', () => {
    expectAscending(nuget, ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.0.1', '1.0.1', '1.0.1.5', '1.1'])
  })
  it('compares labels case-insensitively and ignores metadata', () => {
    expectRelations(nuget, `
      1.0.0-ALPHA = 1.0.0-alpha
      1.0.0-Beta < 1.0.0-rc
      1.0 = 1.0.0.0
      1.01 = 1.1
      1.0.0+meta = 1.0.0
      1.0.0-a_b > 1.0.0-aZ`)
  })
  it('says which strings are NuGet versions', () => {
    expect(nuget.isValid('1.2.3.4')).toBe(true)
    expect(nuget.isValid('1.2.3.4.5')).toBe(false)
  })
})
