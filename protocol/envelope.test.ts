import { describe, it, expect } from 'vitest'
import { pack } from './encoding.ts'
import { decodeEnvelope, encodeEnvelope, envelopeBody, GENESIS_PREV, MAX_ENVELOPE, MAX_PAYLOAD, type EnvelopeFields } from './envelope.ts'
import { ProtocolError } from './errors.ts'
import { PEER, sampleEnvelope } from './samples.test-data.ts'

const code = (fn: () => unknown) => { try { fn(); return 'ok' } catch (err) { if (err instanceof ProtocolError) return err.code; throw err } }
const fields: EnvelopeFields = { v: 1, doc: `findings/${PEER}`, author: PEER, seq: 1, prev: GENESIS_PREV, ts: 1_764_000_000_000, kind: 'yjs', payload: new Uint8Array([1]) }
const sig = new Uint8Array(64).fill(5)
const withFields = (change: Record<string, unknown>) => code(() => decodeEnvelope(encodeEnvelope(pack({ ...fields, ...change }), sig)))

/** A msgpack map written by hand, each value given as its own bytes. */
function handMap(entries: [string, Uint8Array | number[]][]): Uint8Array {
  const parts: number[] = [0x80 + entries.length]
  for (const [k, v] of entries) parts.push(0xa0 + k.length, ...Buffer.from(k), ...v)
  return Uint8Array.from(parts)
}

describe('envelopes', () => {
  it('round-trips, keeping the signed body bytes exactly as sent', () => {
    const body = envelopeBody({ ...fields, seq: 3, kind: 'snapshot', payload: new Uint8Array(1000).fill(3) })
    const bytes = encodeEnvelope(body, sig)
    const e = decodeEnvelope(bytes)
    expect(e).toMatchObject({ v: 1, doc: fields.doc, author: PEER, seq: 3, ts: fields.ts, kind: 'snapshot' })
    expect(e.prev).toEqual(GENESIS_PREV)
    expect(e.payload).toEqual(new Uint8Array(1000).fill(3))
    expect(e.body).toEqual(body)
    expect(e.sig).toEqual(sig)
    expect(e.bytes).toEqual(bytes)
  })

  it('keeps a body another encoder wrote (the signature covers those bytes, not ours)', () => {
    // ts as uint64 (msgpackr writes float64 for integers over 32 bits), keys in another order.
    const ts = new Uint8Array(9)
    ts[0] = 0xcf
    new DataView(ts.buffer).setBigUint64(1, BigInt(fields.ts))
    const body = handMap([
      ['kind', pack('yjs')], ['v', [1]], ['doc', pack(fields.doc)], ['author', pack(PEER)], ['seq', [7]],
      ['prev', pack(GENESIS_PREV)], ['ts', ts], ['payload', pack(new Uint8Array([9]))],
    ])
    const e = decodeEnvelope(encodeEnvelope(body, sig))
    expect(e.ts).toBe(fields.ts)
    expect(e.seq).toBe(7)
    expect(e.body).toEqual(body)
    expect(envelopeBody(e)).not.toEqual(body)
  })

  it('refuses each malformed field with its code', () => {
    expect(withFields({})).toBe('ok')
    expect(withFields({ seq: 0 })).toBe('bad-field')
    expect(withFields({ seq: 1.5 })).toBe('bad-field')
    expect(withFields({ seq: 2 ** 53 })).toBe('bad-field')
    expect(withFields({ prev: new Uint8Array(31) })).toBe('bad-field')
    expect(withFields({ prev: new Uint8Array(33) })).toBe('bad-field')
    expect(withFields({ ts: -1 })).toBe('bad-field')
    expect(withFields({ kind: 'other' })).toBe('bad-field')
    expect(withFields({ doc: 'a b' })).toBe('bad-field')
    expect(withFields({ doc: 'd'.repeat(201) })).toBe('bad-field')
    expect(withFields({ author: 'peer' })).toBe('bad-field')
    expect(withFields({ payload: 'text' })).toBe('bad-field')
    expect(withFields({ extra: 1 })).toBe('bad-field')
    const { payload: _, ...noPayload } = fields
    expect(code(() => decodeEnvelope(encodeEnvelope(pack(noPayload), sig)))).toBe('bad-field')
    // msgpackr writes undefined as an extension, which is no protocol value
    expect(withFields({ payload: undefined })).toBe('bad-encoding')
    expect(withFields({ v: 2 })).toBe('ok')
    expect(withFields({ v: 3 })).toBe('bad-version')
    expect(withFields({ v: 3, future: 'field' })).toBe('bad-version')
    expect(withFields({ v: 0 })).toBe('bad-version')
    expect(withFields({ v: 'one' })).toBe('bad-field')
  })

  it('refuses a malformed outer form', () => {
    const body = envelopeBody(fields)
    expect(code(() => decodeEnvelope(encodeEnvelope(body, new Uint8Array(63))))).toBe('bad-field')
    expect(code(() => decodeEnvelope(pack({ body, sig, x: 1 })))).toBe('bad-field')
    expect(code(() => decodeEnvelope(pack({ body })))).toBe('bad-field')
    expect(code(() => decodeEnvelope(pack([body, sig])))).toBe('bad-field')
    expect(code(() => decodeEnvelope(encodeEnvelope(pack([1, 2]), sig)))).toBe('bad-field')
    expect(code(() => decodeEnvelope(encodeEnvelope(new Uint8Array([0xc1]), sig)))).toBe('bad-encoding')
    expect(code(() => decodeEnvelope(new Uint8Array([...sampleEnvelope(1), 0])))).toBe('bad-encoding')
    expect(code(() => decodeEnvelope(new Uint8Array(MAX_ENVELOPE + 1)))).toBe('oversize')
    // Duplicate keys in the signed body: implementations would disagree on which one counts.
    const dup = handMap([['v', [1]], ['doc', pack(fields.doc)], ['author', pack(PEER)], ['seq', [1]], ['seq', [2]],
      ['prev', pack(GENESIS_PREV)], ['ts', [1]], ['kind', pack('yjs')], ['payload', pack(new Uint8Array(1))]])
    expect(code(() => decodeEnvelope(encodeEnvelope(dup, sig)))).toBe('bad-encoding')
  })

  it('has one canonical outer form, so one hash', () => {
    const body = envelopeBody(fields)
    const good = encodeEnvelope(body, sig)
    expect(code(() => decodeEnvelope(good))).toBe('ok')
    // sig before body
    expect(code(() => decodeEnvelope(pack({ sig, body })))).toBe('bad-encoding')
    // sig as bin16 instead of bin8
    const sigAt = good.length - 64
    expect(good[sigAt - 2]).toBe(0xc4)
    const wide = new Uint8Array([...good.subarray(0, sigAt - 2), 0xc5, 0x00, 0x40, ...good.subarray(sigAt)])
    expect(code(() => decodeEnvelope(wide))).toBe('bad-encoding')
    // the body's length in a wider header than it needs (bin16 for a body under 256 bytes, bin32 for one under 65,536)
    expect(good.subarray(0, 6)).toEqual(new Uint8Array([0x82, 0xa4, 0x62, 0x6f, 0x64, 0x79]))
    const headerAt = 6
    const bodyAt = good[headerAt] === 0xc4 ? headerAt + 2 : headerAt + 3
    const n = body.length
    const wider = good[headerAt] === 0xc4 ? [0xc5, 0, n] : [0xc6, 0, 0, n >> 8, n & 0xff]
    expect(code(() => decodeEnvelope(new Uint8Array([...good.subarray(0, headerAt), ...wider, ...good.subarray(bodyAt)])))).toBe('bad-encoding')
    // and every size of header, each accepted where it is the one encodeEnvelope writes
    for (const size of [0, 200, 300, 70_000]) {
      const e = encodeEnvelope(envelopeBody({ ...fields, payload: new Uint8Array(size).fill(7) }), sig)
      expect(decodeEnvelope(e).payload).toEqual(new Uint8Array(size).fill(7))
    }
  })

  it('shares nothing with the bytes it decoded', () => {
    const bytes = encodeEnvelope(envelopeBody({ ...fields, payload: new Uint8Array([1, 2, 3]) }), sig)
    const env = decodeEnvelope(bytes)
    const before = { body: [...env.body], sig: [...env.sig], payload: [...env.payload], prev: [...env.prev], bytes: [...env.bytes] }
    bytes.fill(0)
    expect({ body: [...env.body], sig: [...env.sig], payload: [...env.payload], prev: [...env.prev], bytes: [...env.bytes] }).toEqual(before)
    expect(env.payload).toEqual(new Uint8Array([1, 2, 3]))
  })

  it('limits the payload, by default and when asked', () => {
    const big = (n: number) => encodeEnvelope(envelopeBody({ ...fields, payload: new Uint8Array(n) }), sig)
    expect(code(() => decodeEnvelope(big(MAX_PAYLOAD)))).toBe('ok')
    expect(code(() => decodeEnvelope(big(MAX_PAYLOAD + 1)))).toBe('bad-field')
    expect(code(() => decodeEnvelope(big(1000), { maxPayload: 1000 }))).toBe('ok')
    expect(code(() => decodeEnvelope(big(1001), { maxPayload: 1000 }))).toBe('bad-field')
    expect(code(() => decodeEnvelope(big(10_000), { maxPayload: 1000 }))).toBe('oversize')
  })
})
