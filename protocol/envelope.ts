// The envelope: the unit of replication (DESIGN.md "Signed envelopes"). On the wire it is
// msgpack `{body: bin, sig: bin}`; body is the msgpack map of every other field. The author
// signs the body bytes as sent, so receivers and relays never re-encode anything.
import { createHash } from 'node:crypto'
import { pack, unpack } from './encoding.ts'
import { ProtocolError } from './errors.ts'
import { asMap, bin, docName, oneOf, onlyKeys, peerId, uint } from './fields.ts'

export const ENVELOPE_KINDS = ['yjs', 'snapshot'] as const
export type EnvelopeKind = typeof ENVELOPE_KINDS[number]

/** Largest payload an envelope may carry (4 MiB). */
export const MAX_PAYLOAD = 4 * 1024 * 1024
/** Largest encoded envelope: the payload plus room for the other fields. */
export const MAX_ENVELOPE = MAX_PAYLOAD + 4096

export interface EnvelopeFields {
  v: 1
  doc: string
  /** PeerId of the author. */
  author: string
  /** 1, 2, 3… per author per doc. */
  seq: number
  /** SHA-256 of the author's previous envelope for this doc (32 zero bytes for seq 1). */
  prev: Uint8Array
  /** Author's clock, ms since the epoch. */
  ts: number
  kind: EnvelopeKind
  payload: Uint8Array
}

export interface Envelope extends EnvelopeFields {
  /** The signed body bytes exactly as received. */
  body: Uint8Array
  sig: Uint8Array
  /** The whole wire form (what `prev` of the next envelope hashes). */
  bytes: Uint8Array
}

export const GENESIS_PREV = new Uint8Array(32)

const FIELDS = ['v', 'doc', 'author', 'seq', 'prev', 'ts', 'kind', 'payload'] as const

/** The bytes an author signs. */
export function envelopeBody(f: EnvelopeFields): Uint8Array {
  return pack({ v: f.v, doc: f.doc, author: f.author, seq: f.seq, prev: f.prev, ts: f.ts, kind: f.kind, payload: f.payload })
}

/** Wire bytes of a signed envelope. */
export function encodeEnvelope(body: Uint8Array, sig: Uint8Array): Uint8Array {
  return pack({ body, sig })
}

function checkFields(m: Record<string, unknown>): EnvelopeFields {
  onlyKeys(m, FIELDS, 'envelope')
  if (m.v !== 1) throw new ProtocolError('bad-version', `envelope version ${String(m.v)} is not supported`)
  return {
    v: 1, doc: docName(m, 'doc'), author: peerId(m, 'author'), seq: uint(m, 'seq', 1),
    prev: bin(m, 'prev', 32, 32), ts: uint(m, 'ts'), kind: oneOf(m, 'kind', ENVELOPE_KINDS), payload: bin(m, 'payload', MAX_PAYLOAD),
  }
}

function safeUnpack(bytes: Uint8Array, what: string): unknown {
  try {
    return unpack(bytes)
  } catch (err) {
    throw new ProtocolError('bad-encoding', `${what} is not valid msgpack`, { cause: err })
  }
}

/** Strictly decodes an envelope (the signature is the receiver's to check). */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  if (bytes.length > MAX_ENVELOPE) throw new ProtocolError('oversize', `envelope of ${bytes.length} bytes is over ${MAX_ENVELOPE}`)
  const outer = asMap(safeUnpack(bytes, 'envelope'), 'envelope')
  onlyKeys(outer, ['body', 'sig'], 'envelope')
  const body = bin(outer, 'body', MAX_ENVELOPE)
  const sig = bin(outer, 'sig', 64, 64)
  const fields = checkFields(asMap(safeUnpack(body, 'envelope body'), 'envelope body'))
  // Only one encoding of an envelope is valid, so its hash (the next `prev`) is unambiguous.
  const again = encodeEnvelope(body, sig)
  if (!Buffer.from(again.buffer, again.byteOffset, again.byteLength).equals(bytes)) throw new ProtocolError('bad-encoding', 'envelope is not in canonical form')
  return { ...fields, body, sig, bytes: new Uint8Array(bytes) }
}

/** SHA-256 of an envelope's wire bytes: what the author's next envelope names as `prev`. */
export function envelopeHash(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest())
}
