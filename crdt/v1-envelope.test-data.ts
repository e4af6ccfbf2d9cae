// Version 1 envelopes, as older writers made them (stores and bundles still hold them):
// signed over the body bytes, hashed over the whole wire form. Writers make version 2 now.
import { sign } from '../keys/index.ts'
import { envelopeFrame, GENESIS_PREV, type Envelope, type EnvelopeKind } from '../protocol/index.ts'
import type { Author, ChainHead } from './envelope.ts'

export function buildEnvelopeV1(author: Author, doc: string, kind: EnvelopeKind, payload: Uint8Array, head: ChainHead | undefined, ts: number): Envelope {
  const fields = { v: 1 as const, doc, author: author.peerId, seq: (head?.seq ?? 0) + 1, prev: head?.hash ?? GENESIS_PREV, ts, kind, payload }
  const frame = envelopeFrame(fields)
  const sig = sign(author.seed, frame.body)
  frame.setSig(sig)
  return { ...fields, payload: frame.payload, body: frame.body, sig, bytes: frame.bytes }
}
