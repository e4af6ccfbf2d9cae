import { describe, it, expect, beforeAll } from 'vitest'
import { findingsDoc } from './doc-names.ts'
import { buildEnvelope, buildEnvelopeAsync, checkSignature, hashOf, type Author } from './envelope.ts'
import { newAuthor } from './test-authors.test-data.ts'

let alice: Author
beforeAll(async () => { alice = await newAuthor() })

describe('envelopes built on the thread pool', () => {
  it('are the bytes the synchronous builder makes', async () => {
    const payload = new Uint8Array(300_000).map((_, i) => i * 31)
    const head = { seq: 4, hash: new Uint8Array(32).fill(9) }
    const sync = buildEnvelope(alice, findingsDoc(alice.peerId), 'yjs', payload, head, 1_700_000_000_000)
    const async = await buildEnvelopeAsync(alice, findingsDoc(alice.peerId), 'yjs', payload, head, 1_700_000_000_000)
    expect(Buffer.from(async.bytes).equals(Buffer.from(sync.bytes))).toBe(true)
    expect(async.seq).toBe(5)
    checkSignature(async)
    expect(hashOf(async)).toEqual(hashOf(sync))
  })

  it('refuse an oversize payload as the synchronous builder does', async () => {
    await expect(buildEnvelopeAsync(alice, findingsDoc(alice.peerId), 'yjs', new Uint8Array(5 * 1024 * 1024), undefined, 1)).rejects.toMatchObject({ code: 'oversize' })
  })
})
