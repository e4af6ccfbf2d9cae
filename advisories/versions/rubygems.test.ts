import { describe, expect, it } from 'vitest'
import { expectAscending, expectRelations } from './expect-ordering.ts'
import { rubygems } from './rubygems.ts'

describe('RubyGems (Gem::Version)', () => {
  it('treats any letter as a prerelease', () => {
    expectAscending(rubygems, ['1.0.a', '1.0.a.2', '1.0.b1', '1.0.rc1', '1.0', '1.0.1', '1.1', '2'])
    expectAscending(rubygems, ['3.0.0.beta4', '3.0.pre', '3.0.0.rc', '3.0.0', '3.0.0.1'])
    expectAscending(rubygems, ['5.0.0.beta1', '5.0.0.beta1.1', '5.0.0.beta2', '5.0.0.racecar1', '5.0.0.rc1', '5.0.0'])
  })
  it('drops trailing zeros of the numeric and the prerelease part, reads - as .pre.', () => {
    expectRelations(rubygems, `
      1.0 = 1
      1.0.0 = 1
      1.0.a.0 = 1.a
      1.2.b1 = 1.2.b.1
      1.0.0-alpha = 1.0.0.pre.alpha
      1.0.0-alpha < 1.0.0
      1.0.A < 1.0.a
      1.9.3 < 1.10.0`)
  })
  it('says which strings are gem versions', () => {
    for (const v of ['1.0', '1.0.0.rc1', '1.0.0-alpha.1', ' 2.0 ']) expect(rubygems.isValid(v), v).toBe(true)
    for (const v of ['', 'latest', '1..0', '1.0_beta', '=1.0']) expect(rubygems.isValid(v), v).toBe(false)
  })
})
