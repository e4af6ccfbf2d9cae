import { describe, it, expect } from 'vitest'
import { pack, unpack } from './encoding.ts'

describe('encoding', () => {
  it('writes plain msgpack: maps with string keys, binary as bin', () => {
    expect(Buffer.from(pack({ a: new Uint8Array([1]) })).toString('hex')).toBe('81a161c40101')
    expect(Buffer.from(pack([1, 'x'])).toString('hex')).toBe('9201a178')
  })

  it('packs into a buffer of its own', () => {
    const a = pack({ a: 1 })
    const b = pack({ b: 2 })
    expect(a.buffer).not.toBe(b.buffer)
    expect(a.byteLength).toBe(a.buffer.byteLength)
  })

  it('leaves the array it reads untouched, and hands back bins of the same kind', () => {
    const bytes = pack({ a: new Uint8Array([1, 2]) })
    const decoded = unpack(bytes) as { a: Uint8Array }
    expect(Object.keys(bytes).filter((k) => !/^\d+$/.test(k))).toEqual([])
    expect(Buffer.isBuffer(decoded.a)).toBe(false)
    expect(Buffer.isBuffer((unpack(Buffer.from(bytes)) as { a: Uint8Array }).a)).toBe(true)
  })
})
