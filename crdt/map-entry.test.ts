import { describe, it, expect } from 'vitest'
import * as Y from 'yjs'
import { changeOf } from './author-doc.ts'
import { clean, sameValue, setIfChanged } from './map-entry.ts'

describe('map entries', () => {
  it('sameValue: deep, key order free, undefined fields absent', () => {
    expect(sameValue({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true)
    expect(sameValue({ a: 1, u: undefined }, { a: 1 })).toBe(true)
    expect(sameValue({ a: 1 }, { a: 2 })).toBe(false)
    expect(sameValue([1, 2], [2, 1])).toBe(false)
    expect(sameValue({ a: [1] }, { a: { 0: 1 } })).toBe(false)
    expect(sameValue(new Uint8Array([1]), new Uint8Array([1]))).toBe(true)
    expect(sameValue(null, {})).toBe(false)
    expect(clean({ a: 1, b: undefined, c: { d: undefined, e: [1] } })).toEqual({ a: 1, c: { e: [1] } })
  })

  it('setIfChanged writes a changed entry and leaves an equal one alone', () => {
    const doc = new Y.Doc()
    const map = doc.getMap<{ n: number, s?: string }>('m')
    expect(changeOf(doc, () => expect(setIfChanged(map, 'k', { n: 1, s: undefined })).toBe(true))).toBeDefined()
    expect(changeOf(doc, () => expect(setIfChanged(map, 'k', { n: 1 })).toBe(false))).toBeUndefined()
    expect(setIfChanged(map, 'k', { n: 2 })).toBe(true)
    expect(map.get('k')).toEqual({ n: 2 })
  })
})
