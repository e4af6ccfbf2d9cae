// Envelopes from the author's side (build and sign) and the receiver's (open, check the
// signature and the chain). The bytes are protocol/'s; the keys are keys/'.
import { publicKeyFromPeerId, sign, verify } from '../keys/index.ts'
import {
  bodyDigestAsync, decodeEnvelope, envelopeFrame, envelopeHash, signedBytes, ENVELOPE_VERSION, GENESIS_PREV, MAX_PAYLOAD, ProtocolError,
  type Envelope, type EnvelopeKind,
} from '../protocol/index.ts'
import { EnvelopeError } from './errors.ts'

/** Who signs: the agent (or hub) key, as keys/ loads it. */
export interface Author { peerId: string, seed: Uint8Array }

/** The last envelope of an author on a doc: its seq and the hash the next one must name. */
export interface ChainHead { seq: number, hash: Uint8Array }

/** The envelope in its one buffer (protocol's envelopeFrame), signature still to come. */
function framed(author: Author, doc: string, kind: EnvelopeKind, payload: Uint8Array, head: ChainHead | undefined, ts: number, inRoom = false) {
  if (payload.length > MAX_PAYLOAD) throw new ProtocolError('oversize', `payload of ${payload.length} bytes is over ${MAX_PAYLOAD}`)
  const fields = { v: ENVELOPE_VERSION, doc, author: author.peerId, seq: (head?.seq ?? 0) + 1, prev: head?.hash ?? GENESIS_PREV, ts, kind, payload }
  return { fields, frame: envelopeFrame(fields, { inRoom }) }
}

/** Signs a framed envelope (what is signed is the header and the body's digest, ~60 bytes) and completes it. */
function sealed(author: Author, { fields, frame }: ReturnType<typeof framed>): Envelope {
  const sig = sign(author.seed, signedBytes({ v: fields.v, body: frame.body }))
  frame.setSig(sig)
  return { ...fields, payload: frame.payload, body: frame.body, sig, bytes: frame.bytes }
}

// Built here from valid fields: no need to decode what we just encoded.
export function buildEnvelope(author: Author, doc: string, kind: EnvelopeKind, payload: Uint8Array, head: ChainHead | undefined, ts: number): Envelope {
  return sealed(author, framed(author, doc, kind, payload, head, ts))
}

/**
 * As buildEnvelope, hashing the body on the thread pool (a writer encodes the next payload
 * meanwhile): the digest is kept for the body, where signedBytes and hashOf find it. `inRoom`:
 * the payload's buffer has room for the envelope around it (protocol's envelopeFrame), the
 * caller's to give.
 */
export async function buildEnvelopeAsync(author: Author, doc: string, kind: EnvelopeKind, payload: Uint8Array, head: ChainHead | undefined, ts: number, inRoom = false): Promise<Envelope> {
  const built = framed(author, doc, kind, payload, head, ts, inRoom)
  await bodyDigestAsync(built.frame.body)
  return sealed(author, built)
}

/** Decodes untrusted bytes; anything malformed is an EnvelopeError('malformed'). */
export function openEnvelope(bytes: Uint8Array): Envelope {
  try {
    return decodeEnvelope(bytes)
  } catch (err) {
    if (err instanceof ProtocolError) throw new EnvelopeError('malformed', `malformed envelope: ${err.message}`, { cause: err })
    throw err
  }
}

const publicKeys = new Map<string, Uint8Array>()

/** Throws unless the envelope's author signed exactly these body bytes (v1), or their digest (v2). */
export function checkSignature(env: Envelope): void {
  let key = publicKeys.get(env.author)
  if (!key) {
    try { key = publicKeyFromPeerId(env.author) } catch { throw new EnvelopeError('bad-signature', `author ${env.author} is not an ed25519 PeerId`) }
    if (publicKeys.size > 10_000) publicKeys.clear()
    publicKeys.set(env.author, key)
  }
  if (!verify(key, signedBytes(env), env.sig)) throw new EnvelopeError('bad-signature', `envelope ${env.doc}#${env.seq} is not signed by ${env.author}`)
}

/** What the author's next envelope on the doc names as `prev` (protocol's envelopeHash). */
export function hashOf(env: Envelope): Uint8Array {
  return envelopeHash(env)
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/**
 * Where an envelope goes on its author's chain: 'next' when it extends the head, 'old' when
 * the seq is held already (the caller compares bytes: equal is a duplicate, different a
 * fork). A snapshot may jump ahead: it carries the author's whole state.
 */
export function placeOnChain(env: Envelope, head: ChainHead | undefined): 'next' | 'old' {
  const held = head?.seq ?? 0
  if (env.seq <= held) return 'old'
  // A snapshot may jump ahead (it carries the author's whole state); right after the head it
  // must still name it.
  if (env.kind === 'snapshot' && env.seq > held + 1) return 'next'
  if (env.seq > held + 1) throw new EnvelopeError('seq-gap', `${env.doc}: envelope ${env.seq} of ${env.author} arrived before ${held + 1}`)
  const expected = head?.hash ?? GENESIS_PREV
  if (!sameBytes(env.prev, expected)) throw new EnvelopeError('out-of-chain', `${env.doc}: envelope ${env.seq} of ${env.author} does not follow ${held}`)
  return 'next'
}
