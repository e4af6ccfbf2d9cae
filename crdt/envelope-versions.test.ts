// Envelope versions at the receiver: v2 (signed over the body's digest) refuses any changed
// byte as v1 did, v1 envelopes held in stores and bundles still verify, and an author's chain
// may go on from v1 to v2.
import { describe, it, expect, beforeAll } from 'vitest'
import { MemoryLevel } from 'memory-level'
import * as Y from 'yjs'
import { sign } from '../keys/index.ts'
import { encodeEnvelope, envelopeHash, signedBytes, type Envelope } from '../protocol/index.ts'
import { deltaOf, openAuthorDoc } from './author-doc.ts'
import { findingsDoc } from './doc-names.ts'
import { buildEnvelope, buildEnvelopeAsync, checkSignature, hashOf, openEnvelope, type Author } from './envelope.ts'
import { EnvelopeLog, type Store } from './envelope-log.ts'
import { EnvelopeError } from './errors.ts'
import { newAuthor } from './test-authors.test-data.ts'
import { buildEnvelopeV1 } from './v1-envelope.test-data.ts'

let alice: Author
const policy = { rights: { hubs: new Set<string>() } }
beforeAll(async () => { alice = await newAuthor() })

const newLog = () => new EnvelopeLog(new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' }) as unknown as Store)
const codeOf = (fn: () => unknown) => { try { fn(); return 'ok' } catch (err) { if (err instanceof EnvelopeError) return err.code; throw err } }
const refusal = (p: Promise<unknown>) => p.then(() => 'ok', (err) => { if (err instanceof EnvelopeError) return err.code; throw err })

/** A Yjs update adding `n` findings to the author's doc (a payload a receiver applies). */
function update(doc: Y.Doc, from: number, n: number): Uint8Array {
  return deltaOf(doc, () => { for (let i = from; i < from + n; i++) doc.getMap('findings').set(`f${i}`, { id: `f${i}`, path: 'x'.repeat(200) }) })!
}

describe('envelope versions', () => {
  it('v2: a flipped payload byte is refused as a bad signature, and stores nothing', async () => {
    const name = findingsDoc(alice.peerId)
    const y = openAuthorDoc(alice.peerId)
    const env = await buildEnvelopeAsync(alice, name, 'yjs', update(y, 0, 4000), undefined, 1)
    expect(env.v).toBe(2)
    expect(env.payload.length).toBeGreaterThan(800_000)
    const payloadAt = env.bytes.length - 64 - 6 - env.payload.length // the sig, its key and header follow the payload
    for (const at of [payloadAt, payloadAt + (env.payload.length >> 1), payloadAt + env.payload.length - 1]) {
      const flipped = new Uint8Array(env.bytes)
      flipped[at]! ^= 0x10
      const opened = openEnvelope(flipped) // still well-formed: only the signature can tell
      expect(opened.payload.length).toBe(env.payload.length)
      expect(codeOf(() => checkSignature(opened))).toBe('bad-signature')
      const log = newLog()
      expect(await refusal(log.append(flipped, policy))).toBe('bad-signature')
      expect(await log.haveVector()).toEqual({})
    }
    expect(codeOf(() => checkSignature(openEnvelope(env.bytes)))).toBe('ok')
  })

  it('v1 envelopes still verify, and a chain goes on from v1 to v2', async () => {
    const name = findingsDoc(alice.peerId)
    const y = openAuthorDoc(alice.peerId)
    const one = buildEnvelopeV1(alice, name, 'yjs', update(y, 0, 2), undefined, 1)
    expect(hashOf(one)).toEqual(envelopeHash({ ...one })) // v1: SHA-256 of the wire form
    const two = buildEnvelope(alice, name, 'yjs', update(y, 2, 2), { seq: 1, hash: hashOf(one) }, 2)
    const three = buildEnvelopeV1(alice, name, 'yjs', update(y, 4, 2), { seq: 2, hash: hashOf(two) }, 3)
    const log = newLog()
    for (const e of [one, two, three]) expect(await log.append(e.bytes, policy)).toBe('stored')
    const state = new Y.Doc()
    Y.applyUpdate(state, (await log.state(name))!)
    expect(state.getMap('findings').size).toBe(6)
  })

  it('a signature made by the other version\'s rule is refused', async () => {
    const name = findingsDoc(alice.peerId)
    const y = openAuthorDoc(alice.peerId)
    const v2 = buildEnvelope(alice, name, 'yjs', update(y, 0, 1), undefined, 1)
    const v1 = buildEnvelopeV1(alice, name, 'yjs', update(y, 1, 1), undefined, 1)
    const resigned = (env: Envelope, over: Uint8Array) => encodeEnvelope(env.body, sign(alice.seed, over))
    // v2 body signed as v1 would sign it (the body itself), v1 body signed over its digest.
    expect(await refusal(newLog().append(resigned(v2, v2.body), policy))).toBe('bad-signature')
    expect(await refusal(newLog().append(resigned(v1, signedBytes({ ...v1, v: 2 })), policy))).toBe('bad-signature')
  })

  it('a v2 envelope naming its predecessor by the wrong version\'s hash is out of chain', async () => {
    const name = findingsDoc(alice.peerId)
    const y = openAuthorDoc(alice.peerId)
    const one = buildEnvelopeV1(alice, name, 'yjs', update(y, 0, 1), undefined, 1)
    const log = newLog()
    await log.append(one.bytes, policy)
    const wrongHash = envelopeHash({ ...one, v: 2 })
    const two = buildEnvelope(alice, name, 'yjs', update(y, 1, 1), { seq: 1, hash: wrongHash }, 2)
    expect(await refusal(log.append(two.bytes, policy))).toBe('out-of-chain')
  })
})
