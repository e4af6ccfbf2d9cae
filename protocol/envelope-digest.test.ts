import { describe, it, expect } from 'vitest'
import { createHash, webcrypto } from 'node:crypto'
import { decodeEnvelope, encodeEnvelope, envelopeBody, GENESIS_PREV, type EnvelopeFields } from './envelope.ts'
import { bodyDigest, bodyDigestAsync, envelopeHash, HASHED_LABEL_V2, signedBytes, SIGNED_LABEL_V2 } from './envelope-digest.ts'
import { PEER, sampleEnvelope } from './samples.test-data.ts'

const sha256 = (...parts: Uint8Array[]) => { const h = createHash('sha256'); for (const p of parts) h.update(p); return new Uint8Array(h.digest()) }
const fields = (v: 1 | 2, payload: Uint8Array): EnvelopeFields => ({ v, doc: `findings/${PEER}`, author: PEER, seq: 2, prev: GENESIS_PREV, ts: 1_764_000_000_000, kind: 'yjs', payload })
const sig = new Uint8Array(64).fill(5)
const envelope = (v: 1 | 2, payload = new Uint8Array(5000).map((_, i) => i * 3)) => decodeEnvelope(encodeEnvelope(envelopeBody(fields(v, payload)), sig))

describe('what an envelope signature covers and what names it on the chain', () => {
  it('v1: the body itself, and SHA-256 of the whole wire form', async () => {
    const env = decodeEnvelope(sampleEnvelope(3))
    expect(signedBytes(env)).toBe(env.body)
    const expected = new Uint8Array(await webcrypto.subtle.digest('SHA-256', env.bytes))
    expect(envelopeHash(env)).toEqual(expected)
    const flipped = new Uint8Array(env.bytes)
    flipped[flipped.length - 1]! ^= 1 // a bit of the signature: the hash must still change
    expect(envelopeHash(decodeEnvelope(flipped))).not.toEqual(expected)
  })

  it('v2: a label and the SHA-256 of the body; the hash of another label, that digest and the signature', async () => {
    const env = envelope(2)
    const digest = sha256(env.body)
    expect(bodyDigest(env.body)).toEqual(digest)
    expect(await bodyDigestAsync(new Uint8Array(env.body))).toEqual(digest)
    expect(signedBytes(env)).toEqual(new Uint8Array([...SIGNED_LABEL_V2, ...digest]))
    expect(envelopeHash(env)).toEqual(sha256(HASHED_LABEL_V2, digest, env.sig))
    // What ed25519 hashes is small, whatever the payload.
    expect(signedBytes(envelope(2, new Uint8Array(1 << 20))).length).toBe(SIGNED_LABEL_V2.length + 32)
  })

  it('v2: a payload byte or a signature bit changes what is signed and the hash', () => {
    const env = envelope(2)
    const at = env.bytes.length - 64 - 10 // inside the payload, before the signature
    const payloadFlipped = new Uint8Array(env.bytes)
    payloadFlipped[at]! ^= 1
    const other = decodeEnvelope(payloadFlipped)
    expect(Buffer.from(signedBytes(other)).equals(Buffer.from(signedBytes(env)))).toBe(false)
    expect(envelopeHash(other)).not.toEqual(envelopeHash(env))
    const sigFlipped = new Uint8Array(env.bytes)
    sigFlipped[sigFlipped.length - 1]! ^= 1
    const resigned = decodeEnvelope(sigFlipped)
    expect(signedBytes(resigned)).toEqual(signedBytes(env))
    expect(envelopeHash(resigned)).not.toEqual(envelopeHash(env))
  })

  it('keeps the versions apart: no v1 body is a v2 signed message, and equal fields sign differently', () => {
    // A v1 body is a msgpack map (its first byte 0x80-0x8f, 0xde or 0xdf); the label starts with 'z'.
    expect(SIGNED_LABEL_V2[0]).toBe(0x7a)
    const one = envelope(1)
    const two = envelope(2)
    expect(one.body[0]! & 0xf0).toBe(0x80)
    expect(Buffer.from(signedBytes(two)).equals(Buffer.from(signedBytes(one)))).toBe(false)
    expect(envelopeHash(two)).not.toEqual(envelopeHash(one))
  })
})
