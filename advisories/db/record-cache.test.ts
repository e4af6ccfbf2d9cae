import { describe, it, expect } from 'vitest'
import type { OsvRecord } from '../osv.ts'
import { RecordCache } from './record-cache.ts'

const records = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `R-${i}` }) as OsvRecord)

describe('record cache', () => {
  it('evicts the least recently used packages once it holds more records than its limit', () => {
    const cache = new RecordCache(5)
    cache.set('a', records(2))
    cache.set('b', records(2))
    expect(cache.get('a')?.length).toBe(2) // a is now the most recently used
    cache.set('c', records(2)) // 6 > 5: b goes
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')?.length).toBe(2)
    expect(cache.get('c')?.length).toBe(2)
  })

  it('counts a package without records as one, and keeps nothing larger than the limit', () => {
    const cache = new RecordCache(3)
    cache.set('empty-1', [])
    cache.set('empty-2', [])
    cache.set('empty-3', [])
    cache.set('empty-4', [])
    expect(cache.size).toBe(3)
    expect(cache.get('empty-1')).toBeUndefined()
    cache.set('huge', records(4))
    expect(cache.get('huge')).toBeUndefined()
    expect(cache.size).toBe(3)
  })

  it('replaces an entry without counting it twice, and clears', () => {
    const cache = new RecordCache(4)
    cache.set('a', records(3))
    cache.set('a', records(3))
    cache.set('b', records(1))
    expect(cache.get('a')?.length).toBe(3)
    expect(cache.get('b')?.length).toBe(1)
    cache.clear()
    expect(cache.size).toBe(0)
  })
})
