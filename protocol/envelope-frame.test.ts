import { describe, it, expect } from 'vitest'
import { decodeEnvelope, encodeEnvelope, envelopeBody, GENESIS_PREV, type EnvelopeFields } from './envelope.ts'
import { envelopeFrame, FRAME_ROOM_AFTER, FRAME_ROOM_BEFORE } from './envelope-frame.ts'
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
      expect(hex(frame.body)).toBe(hex(envelopeBody(f)))
      expect(hex(frame.bytes)).toBe(hex(encodeEnvelope(envelopeBody(f), sig)))
      expect(hex(frame.payload)).toBe(hex(f.payload))
      const back = decodeEnvelope(frame.bytes)
      expect(back.seq).toBe(70_000)
      expect(hex(back.sig)).toBe(hex(sig))
    }
  })

  it('is built in the room a writer left around the payload, and never outside a payload it was not given room around', () => {
    const fields = (payload: Uint8Array): EnvelopeFields => ({ v: 1, doc: `findings/${PEER}`, author: PEER, seq: 9, prev: GENESIS_PREV, ts: 1_764_000_000_000, kind: 'yjs', payload })
    const sig = new Uint8Array(64).fill(0x5a)
    const n = 70_000
    // A buffer with the room around the payload and guard bytes beyond it.
    const buffer = new Uint8Array(8 + FRAME_ROOM_BEFORE + n + FRAME_ROOM_AFTER + 8).fill(0xee)
    const payload = buffer.subarray(8 + FRAME_ROOM_BEFORE, 8 + FRAME_ROOM_BEFORE + n).fill(3)
    const expected = encodeEnvelope(envelopeBody(fields(payload)), sig)
    const inRoom = envelopeFrame(fields(payload), { inRoom: true })
    inRoom.setSig(sig)
    expect(inRoom.bytes.buffer).toBe(buffer.buffer)
    expect(hex(inRoom.bytes)).toBe(hex(expected))
    expect([...buffer.subarray(0, 8), ...buffer.subarray(buffer.length - 8)].every((b) => b === 0xee)).toBe(true)
    // Without the flag, or without enough room, the payload's buffer is left alone.
    const untouched = hex(buffer)
    for (const [p, opts] of [[payload, {}], [buffer.subarray(8, 8 + n), { inRoom: true }]] as const) {
      const frame = envelopeFrame(fields(p), opts)
      frame.setSig(sig)
      expect(frame.bytes.buffer).not.toBe(buffer.buffer)
      expect(hex(frame.bytes)).toBe(hex(encodeEnvelope(envelopeBody(fields(p)), sig)))
    }
    expect(hex(buffer)).toBe(untouched)
  })

  it('takes only a 64-byte signature', () => {
    const frame = envelopeFrame({ v: 1, doc: `findings/${PEER}`, author: PEER, seq: 1, prev: GENESIS_PREV, ts: 1, kind: 'yjs', payload: new Uint8Array(3) })
    expect(() => frame.setSig(new Uint8Array(63))).toThrow(/64 bytes/)
  })
})
