import { describe, it, expect } from 'vitest'
import { decodeEnvelope, encodeEnvelope, envelopeSigningBytes, GENESIS_PREV, type EnvelopeFields } from './envelope.ts'
import { envelopeFrame } from './envelope-frame.ts'
import { PEER } from './samples.test-data.ts'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

describe('an envelope framed in one buffer', () => {
  it('is byte for byte the envelope encodeEnvelope makes, across every bin header size', () => {
    // Payload and body sizes on both sides of msgpack's bin8/bin16/bin32 limits.
    for (const size of [0, 1, 100, 120, 255, 256, 65_000, 65_535, 65_536, 1_000_000]) {
      const f: EnvelopeFields = { v: 1, doc: `findings/${PEER}`, author: PEER, seq: 70_000, prev: GENESIS_PREV, ts: 1_764_000_000_000, kind: 'yjs', payload: new Uint8Array(size).map((_, i) => i * 7) }
      const sig = new Uint8Array(64).map((_, i) => 255 - i)
      const frame = envelopeFrame(f)
      frame.setSig(sig)
      expect(hex(frame.body)).toBe(hex(envelopeSigningBytes(f)))
      expect(hex(frame.bytes)).toBe(hex(encodeEnvelope(envelopeSigningBytes(f), sig)))
      expect(hex(frame.payload)).toBe(hex(f.payload))
      const back = decodeEnvelope(frame.bytes)
      expect(back.seq).toBe(70_000)
      expect(hex(back.sig)).toBe(hex(sig))
    }
  })

  it('takes only a 64-byte signature', () => {
    const frame = envelopeFrame({ v: 1, doc: `findings/${PEER}`, author: PEER, seq: 1, prev: GENESIS_PREV, ts: 1, kind: 'yjs', payload: new Uint8Array(3) })
    expect(() => frame.setSig(new Uint8Array(63))).toThrow(/64 bytes/)
  })
})
