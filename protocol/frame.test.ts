import { describe, it, expect } from 'vitest'
import { byteStream, LengthPrefixedDecoder, lpStream, streamPair } from '@libp2p/utils'
import { ProtocolError } from './errors.ts'
import { decodeFrames, encodeFrame, encodeVarint, FrameDecoder, MAX_FRAME } from './frame.ts'
import { MAX_ENVELOPE } from './envelope.ts'

const code = (fn: () => unknown) => { try { fn(); return 'ok' } catch (err) { if (err instanceof ProtocolError) return err.code; throw err } }
const concat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]))
const body = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff)
/** Frames as strings: deep-equal on big typed arrays is slow. */
const b64 = (frames: Uint8Array[]) => frames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64'))

describe('frames', () => {
  const bodies = [new Uint8Array(0), body(1, 1), body(127, 2), body(128, 3), body(16_383, 4), body(16_384, 5), body(200_000, 6)]
  const all = concat(bodies.map((b) => encodeFrame(b)))

  it('round-trip whatever the chunking', () => {
    expect(b64(decodeFrames(all))).toEqual(b64(bodies))
    for (const size of [1, 2, 3, 1000, 65_537, all.length]) {
      const d = new FrameDecoder()
      const out: Uint8Array[] = []
      for (let i = 0; i < all.length; i += size) out.push(...d.push(all.subarray(i, i + size)))
      d.end()
      expect(b64(out)).toEqual(b64(bodies))
      expect(d.buffered).toBe(0)
    }
  })

  it('hands out frames that share nothing with the pushed chunks', () => {
    const chunk = encodeFrame(body(10, 9))
    const [frame] = new FrameDecoder().push(chunk)
    chunk.fill(0)
    expect(frame).toEqual(body(10, 9))
  })

  it('writes the minimal unsigned LEB128 varint', () => {
    expect([...encodeVarint(0)]).toEqual([0])
    expect([...encodeVarint(127)]).toEqual([0x7f])
    expect([...encodeVarint(128)]).toEqual([0x80, 0x01])
    expect([...encodeVarint(300)]).toEqual([0xac, 0x02])
    expect([...encodeVarint(2 ** 21)]).toEqual([0x80, 0x80, 0x80, 0x01])
    expect([...encodeVarint(2 ** 28 - 1)]).toEqual([0xff, 0xff, 0xff, 0x7f])
    expect([...encodeFrame(new Uint8Array(300)).subarray(0, 2)]).toEqual([0xac, 0x02])
  })

  it('reads and is read by libp2p length-prefixed streams', async () => {
    // libp2p's decoder on our bytes (it skips empty frames; messages are never empty)
    const theirs = new LengthPrefixedDecoder({ maxDataLength: MAX_FRAME, maxBufferSize: MAX_FRAME + 8 })
    expect(b64([...theirs.decode(all)].map((l) => l.subarray()))).toEqual(b64(bodies.filter((b) => b.length > 0)))

    const [outbound, inbound] = await streamPair()
    try {
      // lpStream → our decoder
      const lpOut = lpStream(outbound, { maxDataLength: MAX_FRAME })
      const rawIn = byteStream(inbound)
      for (const b of bodies.slice(1)) await lpOut.write(b)
      const expected = bodies.slice(1).reduce((n, b) => n + encodeFrame(b).length, 0)
      const d = new FrameDecoder()
      const got: Uint8Array[] = []
      for (let read = 0; read < expected;) {
        const list = await rawIn.read()
        if (list === null) throw new Error('stream ended early')
        const chunk = list.subarray()
        read += chunk.length
        got.push(...d.push(chunk))
      }
      expect(b64(got)).toEqual(b64(bodies.slice(1)))
      // our frames → lpStream
      const rawOut = byteStream(lpOut.unwrap())
      const lpIn = lpStream(rawIn.unwrap(), { maxDataLength: MAX_FRAME })
      await rawOut.write(concat(bodies.slice(1).map((b) => encodeFrame(b))))
      for (const b of bodies.slice(1)) expect(b64([(await lpIn.read()).subarray()])).toEqual(b64([b]))
    } finally {
      outbound.abort(new Error('test over'))
      inbound.abort(new Error('test over'))
    }
  })

  it('refuses an oversize length from its prefix alone', () => {
    const d = new FrameDecoder(1000)
    expect(code(() => d.push(encodeVarint(1001)))).toBe('oversize')
    expect(code(() => new FrameDecoder(1000).push(encodeVarint(1000)))).toBe('ok')
    expect(code(() => new FrameDecoder().push(encodeVarint(MAX_FRAME + 1)))).toBe('oversize')
    expect(code(() => encodeFrame(new Uint8Array(2000), 1000))).toBe('oversize')
    // The default fits the largest envelope in an `envelopes` message.
    expect(MAX_FRAME).toBeGreaterThan(MAX_ENVELOPE + 64)
  })

  it('refuses bad prefixes and streams that end inside a frame', () => {
    expect(code(() => decodeFrames(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])))).toBe('bad-encoding')
    expect(code(() => decodeFrames(Uint8Array.from([0x80, 0x00])))).toBe('bad-encoding') // padded 0
    expect(code(() => decodeFrames(Uint8Array.from([0x81, 0x80, 0x00, 1])))).toBe('bad-encoding') // padded 1
    const frame = encodeFrame(body(200, 1))
    for (const n of [1, 2, 5, frame.length - 1]) expect(code(() => decodeFrames(frame.subarray(0, n)))).toBe('truncated')
    expect(code(() => decodeFrames(Uint8Array.from([0x80])))).toBe('truncated')
  })

  it('stays failed after an error: the stream cannot be resynchronised', () => {
    const d = new FrameDecoder(10)
    expect(code(() => d.push(Uint8Array.from([20])))).toBe('oversize')
    expect(code(() => d.push(encodeFrame(new Uint8Array(1))))).toBe('oversize')
    expect(code(() => d.end())).toBe('oversize')
  })

  it('buffers what arrived, not what was announced', () => {
    const d = new FrameDecoder()
    d.push(encodeVarint(MAX_FRAME))
    d.push(new Uint8Array(10))
    expect(d.buffered).toBe(10)
    expect(code(() => d.end())).toBe('truncated')
  })
})
