// The envelope: the unit of replication (DESIGN.md "Signed envelopes"). On the wire it is
// msgpack `{body: bin, sig: bin}`; body is the msgpack map of every other field. The author
// signs the body bytes as sent (v1), or their SHA-256 (v2, envelope-digest.ts), so receivers
// and relays never re-encode anything.
import { pack } from './encoding.ts'
import { ProtocolError } from './errors.ts'
import { asMap, binView, docName, oneOf, onlyKeys, peerId, uint } from './fields.ts'
import { unpackUntrusted, type UnpackLimits } from './untrusted-msgpack.ts'

export const ENVELOPE_KINDS = ['yjs', 'snapshot', 'advisories'] as const
export type EnvelopeKind = typeof ENVELOPE_KINDS[number]

/** Largest payload an envelope may carry (4 MiB). */
export const MAX_PAYLOAD = 4 * 1024 * 1024
/** Largest encoded envelope: the payload plus room for the other fields. */
export const MAX_ENVELOPE = MAX_PAYLOAD + 4096

/** Envelope versions a receiver accepts: v1's signature covers the body, v2's the body's digest (envelope-digest.ts). */
export const ENVELOPE_VERSIONS = [1, 2] as const
export type EnvelopeVersion = typeof ENVELOPE_VERSIONS[number]
/** The version writers make. */
export const ENVELOPE_VERSION: EnvelopeVersion = 2

export interface EnvelopeFields {
  v: EnvelopeVersion
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
  /** The body bytes exactly as received (what the signature covers, or the digest of which). */
  body: Uint8Array
  sig: Uint8Array
  /** The whole wire form (what `prev` of the next envelope hashes). */
  bytes: Uint8Array
}

export const GENESIS_PREV = new Uint8Array(32)

const FIELDS = ['v', 'doc', 'author', 'seq', 'prev', 'ts', 'kind', 'payload'] as const

/** The body: the msgpack map of every field but the signature. */
export function envelopeBody(f: EnvelopeFields): Uint8Array {
  return pack({ v: f.v, doc: f.doc, author: f.author, seq: f.seq, prev: f.prev, ts: f.ts, kind: f.kind, payload: f.payload })
}

/** Wire bytes of a signed envelope: `{body, sig}` with `body` from envelopeBody. */
export function encodeEnvelope(body: Uint8Array, sig: Uint8Array): Uint8Array {
  return pack({ body, sig })
}

export interface EnvelopeLimits {
  /** Largest payload accepted (default MAX_PAYLOAD). */
  maxPayload?: number
}

// Both maps are flat and small (5 and 17 values); the slack lets a stray field be named as
// such (bad-field) instead of as a size problem.
const OUTER: UnpackLimits = { maxNodes: 32, maxDepth: 1 }
const BODY: UnpackLimits = { maxNodes: 64, maxDepth: 1 }

function checkFields(m: Record<string, unknown>, maxPayload: number): EnvelopeFields {
  // The version first: a later version may well add fields, and should be named as what it is.
  const v = uint(m, 'v')
  if (!(ENVELOPE_VERSIONS as readonly unknown[]).includes(v)) throw new ProtocolError('bad-version', `envelope version ${String(m.v)} is not supported`)
  onlyKeys(m, FIELDS, 'envelope')
  return {
    v: v as EnvelopeVersion, doc: docName(m, 'doc'), author: peerId(m, 'author'), seq: uint(m, 'seq', 1),
    prev: binView(m, 'prev', 32, 32), ts: uint(m, 'ts'), kind: oneOf(m, 'kind', ENVELOPE_KINDS), payload: binView(m, 'payload', maxPayload),
  }
}

/**
 * Strictly decodes an envelope (the signature is the receiver's to check). The body is kept
 * as sent and never re-encoded: it is what the signature covers, whatever encoder made it.
 * The outer `{body, sig}` must be in its one canonical form, so an envelope has one hash.
 */
export function decodeEnvelope(bytes: Uint8Array, limits: EnvelopeLimits = {}): Envelope {
  const maxPayload = limits.maxPayload ?? MAX_PAYLOAD
  const maxEnvelope = maxPayload + (MAX_ENVELOPE - MAX_PAYLOAD)
  if (bytes.length > maxEnvelope) throw new ProtocolError('oversize', `envelope of ${bytes.length} bytes is over ${maxEnvelope}`)
  // One copy, which body, sig, prev and payload are views of: none shares the caller's buffer
  // (a megabyte envelope was copied five times here, the re-encoding below included).
  const own = new Uint8Array(bytes)
  const outer = asMap(unpackUntrusted(own, OUTER, 'envelope'), 'envelope')
  onlyKeys(outer, ['body', 'sig'], 'envelope')
  const body = binView(outer, 'body', maxEnvelope)
  const sig = binView(outer, 'sig', 64, 64)
  const fields = checkFields(asMap(unpackUntrusted(body, BODY, 'envelope body'), 'envelope body'), maxPayload)
  if (!isCanonical(own, body.length)) throw new ProtocolError('bad-encoding', 'envelope is not in canonical form')
  return { ...fields, body, sig, bytes: own }
}

/** `{body, sig}` as encodeEnvelope writes it around a body of this length: what comes before the body, and between it and the signature. */
function canonicalParts(bodyLength: number): [before: number[], between: number[]] {
  const n = bodyLength
  const header = n < 0x100 ? [0xc4, n] : n < 0x10000 ? [0xc5, n >> 8, n & 0xff] : [0xc6, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]
  // fixmap of 2, fixstr 'body', bin header · body · fixstr 'sig', bin8 of 64 · signature
  return [[0x82, 0xa4, 0x62, 0x6f, 0x64, 0x79, ...header], [0xa3, 0x73, 0x69, 0x67, 0xc4, 0x40]]
}

/** Whether the bytes are encodeEnvelope's for a body of this length (which they hold, decoded): checked in place, not encoded again. */
function isCanonical(bytes: Uint8Array, bodyLength: number): boolean {
  const [before, between] = canonicalParts(bodyLength)
  if (bytes.length !== before.length + bodyLength + between.length + 64) return false
  for (let i = 0; i < before.length; i++) if (bytes[i] !== before[i]) return false
  const at = before.length + bodyLength
  for (let i = 0; i < between.length; i++) if (bytes[at + i] !== between[i]) return false
  return true
}
