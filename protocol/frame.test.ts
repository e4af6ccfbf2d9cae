import { describe, it, expect } from 'vitest'
import { ProtocolError } from './errors.ts'
import { decodeFrames, encodeFrame, FrameDecoder } from './frame.ts'

const code = (fn: () => unknown) => { try { fn(); return 'ok' } catch (err) { if (err instanceof ProtocolError) return err.code; throw err } }

describe('frames', () => {
  it('round-trip whatever the chunking', () => {
    const bodies = [new Uint8Array(0), new Uint8Array(1).fill(1), new Uint8Array(127).fill(2), new Uint8Array(128).fill(3), new Uint8Array(70_000).fill(4)]
    const all = new Uint8Array(bodies.reduce((n, b) => n + encodeFrame(b).length, 0))
    let o = 0
    for (const b of bodies) { const f = encodeFrame(b); all.set(f, o); o += f.length }
    expect(decodeFrames(all)).toEqual(bodies)
    for (const size of [1, 3, 1000]) {
      const d = new FrameDecoder()
      const out: Uint8Array[] = []
      for (let i = 0; i < all.length; i += size) out.push(...d.push(all.subarray(i, i + size)))
      d.end()
      expect(out).toEqual(bodies)
    }
  })

  it('uses the unsigned varint prefix of libp2p length-prefixed streams', () => {
    expect([...encodeFrame(new Uint8Array(300)).subarray(0, 2)]).toEqual([0xac, 0x02])
  })

  it('refuses an oversize length before the body arrives, and truncation at the end', () => {
    const d = new FrameDecoder(1000)
    expect(code(() => d.push(new Uint8Array([0xe9, 0x07])))).toBe('oversize')
    expect(code(() => decodeFrames(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])))).toBe('bad-encoding')
    expect(code(() => decodeFrames(encodeFrame(new Uint8Array(10)).subarray(0, 5)))).toBe('truncated')
    expect(code(() => encodeFrame(new Uint8Array(2000), 1000))).toBe('oversize')
  })
})
