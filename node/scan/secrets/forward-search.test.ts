import { describe, it, expect } from 'vitest'
import { forwardSearch } from './forward-search.ts'

describe('forwardSearch', () => {
  it('answers as indexOf does (text.length for none) for positions that never decrease', () => {
    let seed = 3
    const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x80000000 }
    for (let round = 0; round < 200; round++) {
      let text = ''
      for (let len = Math.floor(rnd() * 300); len > 0; len--) text += rnd() < 0.05 ? '\n' : rnd() < 0.05 ? '<' : 'a'
      for (const needle of ['\n', '<', 'a\n']) {
        const next = forwardSearch(text, needle)
        for (let from = 0; from <= text.length + 2; from += Math.floor(rnd() * 5)) {
          const i = text.indexOf(needle, from)
          expect(next(from)).toBe(i === -1 ? text.length : i)
        }
      }
    }
  })

  it('refuses to go back', () => {
    const next = forwardSearch('a\nb\nc', '\n')
    expect(next(3)).toBe(3)
    expect(() => next(1)).toThrow(RangeError)
  })
})
