import { describe, it, expect } from 'vitest'
import { pack, unpack } from './encoding.ts'
import { ProtocolError } from './errors.ts'
import { scanMsgpack, unpackUntrusted } from './untrusted-msgpack.ts'

const LOOSE = { maxNodes: 1_000_000, maxDepth: 16 }
const code = (fn: () => unknown) => { try { fn(); return 'ok' } catch (err) { if (err instanceof ProtocolError) return err.code; throw err } }
const scan = (bytes: number[] | Uint8Array, limits = LOOSE) => code(() => scanMsgpack(Uint8Array.from(bytes), limits, 'test'))
const fixstr = (s: string) => [0xa0 + s.length, ...Buffer.from(s)]

describe('untrusted msgpack', () => {
  it('passes every plain value msgpackr writes, and unpacks it unchanged', () => {
    const values = [
      0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0xffffffff, 2 ** 40, -1, -32, -33, -200, -40_000, -(2 ** 31), -(2 ** 40), 1.5,
      true, false, null, '', 'x', 'é€😀', 'y'.repeat(40), 'z'.repeat(300), 'w'.repeat(70_000),
      new Uint8Array(0), new Uint8Array(300), new Uint8Array(70_000), [], [1, [2, [3]]], Array(20).fill(7), Array(70_000).fill(0),
      {}, { a: 1, b: { c: [new Uint8Array(3)] } }, Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
      Object.fromEntries(Array.from({ length: 70_000 }, (_, i) => [`k${i}`, i])),
    ]
    for (const v of values) {
      const bytes = pack(v)
      expect(scan(bytes)).toBe('ok')
      expect(unpackUntrusted(bytes, LOOSE, 'test')).toEqual(unpack(bytes))
    }
    // 0x40–0x7f are plain integers here, not msgpackr record references.
    expect(unpackUntrusted(Uint8Array.from([0x92, 0x50, 0x7f]), LOOSE, 'test')).toEqual([0x50, 0x7f])
  })

  it('refuses what msgpackr would quietly turn into something else', () => {
    expect(scan([0xd6, 0xff, 0, 0, 0, 1])).toBe('bad-encoding') // timestamp → Date
    expect(scan([0xc7, 8, 0x74, 3, 1, 2, 3, 4, 5, 6, 7])).toBe('bad-encoding') // typed array
    expect(scan([0xd4, 5, 1])).toBe('bad-encoding') // any other extension
    expect(scan([0xc1])).toBe('bad-encoding')
    expect(scan([0x81, 0x01, 0x02])).toBe('bad-encoding') // integer key, would become '1'
    expect(scan([0x81, 0x80, 0x02])).toBe('bad-encoding') // map as a key
    expect(scan([0x82, ...fixstr('a'), 1, ...fixstr('a'), 2])).toBe('bad-encoding') // duplicate key, last would win
    expect(scan([0x81, ...fixstr('__proto__'), 0x80])).toBe('bad-field') // would be renamed __proto_
    expect(scan([0xa2, 0xff, 0xfe])).toBe('bad-encoding') // not UTF-8, would become U+FFFD
    expect(scan([0x01, 0x02])).toBe('bad-encoding') // trailing bytes
    expect(scan([])).toBe('bad-encoding')
    // Same keys in different maps are fine.
    expect(scan([0x92, 0x81, ...fixstr('a'), 1, 0x81, ...fixstr('a'), 2])).toBe('ok')
  })

  it('refuses every truncation of a valid value', () => {
    const bytes = pack({ a: [1, 'two', new Uint8Array(300), { b: 2 ** 40 }], c: 'x'.repeat(40) })
    for (let n = 0; n < bytes.length; n++) expect(scan(bytes.subarray(0, n))).toBe('bad-encoding')
  })

  it('bounds nesting and the number of values before anything is built', () => {
    expect(scan([0x91, 0x91, 0x91, 0x01], { maxNodes: 100, maxDepth: 3 })).toBe('ok')
    expect(scan([0x91, 0x91, 0x91, 0x91, 0x01], { maxNodes: 100, maxDepth: 3 })).toBe('bad-encoding')
    // Empty containers do not nest.
    expect(scan([0x91, 0x91, 0x91, 0x90], { maxNodes: 100, maxDepth: 3 })).toBe('ok')
    expect(scan([0x93, 1, 2, 3], { maxNodes: 4, maxDepth: 3 })).toBe('ok')
    expect(scan([0x93, 1, 2, 3], { maxNodes: 3, maxDepth: 3 })).toBe('oversize')
    // A million empty maps: msgpackr alone would build them all (tens of MB) before any check.
    const flood = new Uint8Array(5 + 1_000_000).fill(0x80)
    flood.set([0xdd, 0x00, 0x0f, 0x42, 0x40])
    expect(scan(flood, { maxNodes: 1000, maxDepth: 4 })).toBe('oversize')
    // A count beyond the bytes that follow is refused at the header.
    expect(scan([0xdd, 0xff, 0xff, 0xff, 0xff, 0x01])).toBe('bad-encoding')
    expect(scan([0xdf, 0xff, 0xff, 0xff, 0xff, 0xa1, 0x61])).toBe('bad-encoding')
    expect(scan([0xc6, 0xff, 0xff, 0xff, 0xff, 0x01])).toBe('bad-encoding')
  })

  it('unpackUntrusted throws only ProtocolError', () => {
    expect(() => unpackUntrusted(Uint8Array.from([0xc1]), LOOSE, 'test')).toThrow(ProtocolError)
    // Deep nesting that would overflow msgpackr's recursion is refused by the scan instead.
    const deep = new Uint8Array(200_001).fill(0x91)
    deep[200_000] = 1
    expect(code(() => unpackUntrusted(deep, LOOSE, 'test'))).toBe('bad-encoding')
  })
})
