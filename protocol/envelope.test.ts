import { describe, it, expect } from 'vitest'
import { pack } from './encoding.ts'
import { decodeEnvelope, encodeEnvelope, envelopeBody, envelopeHash, GENESIS_PREV, MAX_PAYLOAD } from './envelope.ts'
import { ProtocolError } from './errors.ts'
import { PEER, sampleEnvelope } from './samples.test-data.ts'

const code = (fn: () => unknown) => { try { fn(); return 'ok' } catch (err) { if (err instanceof ProtocolError) return err.code; throw err } }
const fields = { v: 1 as const, doc: `findings/${PEER}`, author: PEER, seq: 1, prev: GENESIS_PREV, ts: 1, kind: 'yjs' as const, payload: new Uint8Array([1]) }

describe('envelopes', () => {
  it('decode keeps the signed body bytes exactly as sent', () => {
    const bytes = sampleEnvelope(3)
    const e = decodeEnvelope(bytes)
    expect(e.seq).toBe(3)
    expect(Buffer.from(encodeEnvelope(e.body, e.sig))).toEqual(Buffer.from(bytes))
    expect(envelopeHash(bytes)).toHaveLength(32)
    expect(envelopeHash(bytes)).not.toEqual(envelopeHash(sampleEnvelope(4)))
  })

  it('refuses malformed envelopes with named codes', () => {
    const sig = new Uint8Array(64)
    expect(code(() => decodeEnvelope(encodeEnvelope(envelopeBody({ ...fields, seq: 0 }), sig)))).toBe('bad-field')
    expect(code(() => decodeEnvelope(encodeEnvelope(envelopeBody({ ...fields, prev: new Uint8Array(31) }), sig)))).toBe('bad-field')
    expect(code(() => decodeEnvelope(encodeEnvelope(envelopeBody({ ...fields, kind: 'other' as 'yjs' }), sig)))).toBe('bad-field')
    expect(code(() => decodeEnvelope(encodeEnvelope(pack({ ...fields, v: 2 }), sig)))).toBe('bad-version')
    expect(code(() => decodeEnvelope(encodeEnvelope(envelopeBody(fields), new Uint8Array(63))))).toBe('bad-field')
    expect(code(() => decodeEnvelope(pack({ body: envelopeBody(fields), sig, x: 1 })))).toBe('bad-field')
    expect(code(() => decodeEnvelope(new Uint8Array([...sampleEnvelope(1), 0])))).toBe('bad-encoding')
    expect(code(() => decodeEnvelope(new Uint8Array(MAX_PAYLOAD + 10_000)))).toBe('oversize')
  })
})
