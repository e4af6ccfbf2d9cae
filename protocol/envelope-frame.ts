// An envelope's wire bytes built in one buffer around its payload, for writers of megabyte
// envelopes: encoding the body and then `{body, sig}` with msgpack copies the payload four
// times into four fresh buffers (and the garbage drives full GCs); here it is copied once,
// or not at all when the writer left room for the rest around it in the payload's buffer.
// The bytes are exactly encodeEnvelope(envelopeBody(f), sig) (envelope-frame.test.ts).
import { ProtocolError } from './errors.ts'
import { envelopeBody, type EnvelopeFields } from './envelope.ts'

const EMPTY = new Uint8Array(0)
/** msgpack fixstr "body" and "sig" (the outer map's keys, in the canonical order), bin8 of 64 bytes. */
const BODY_KEY = [0xa4, 0x62, 0x6f, 0x64, 0x79]
const SIG_KEY_AND_HEADER = [0xa3, 0x73, 0x69, 0x67, 0xc4, 64]

/** Room a writer leaves before a payload for the rest of its envelope (its fields, headers): ample for any doc name. */
export const FRAME_ROOM_BEFORE = 1024
/** Room after it: the signature, its key and header. */
export const FRAME_ROOM_AFTER = SIG_KEY_AND_HEADER.length + 64

/** msgpack's shortest bin header for n bytes, as msgpackr writes it. */
function binHeader(n: number): number[] {
  if (n < 0x100) return [0xc4, n]
  if (n < 0x10000) return [0xc5, n >> 8, n & 0xff]
  return [0xc6, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]
}

export interface EnvelopeFrame {
  /** The whole wire form; its last 64 bytes are the signature once `setSig` put it there. */
  bytes: Uint8Array
  /** The signed body: a view into `bytes`. */
  body: Uint8Array
  /** The payload: a view into `bytes`. */
  payload: Uint8Array
  setSig(sig: Uint8Array): void
}

/**
 * The envelope around `f.payload`. With `inRoom`, the payload is a view whose buffer has
 * FRAME_ROOM_BEFORE and FRAME_ROOM_AFTER bytes around it that are the caller's to give (a
 * writer allocated them for this): the envelope is written there, the payload not copied.
 */
export function envelopeFrame(f: EnvelopeFields, opts: { inRoom?: boolean } = {}): EnvelopeFrame {
  // The body with an empty payload, which is its last field: its bin header (c4 00) is
  // replaced by the payload's, followed by the payload.
  const stub = envelopeBody({ ...f, payload: EMPTY })
  if (stub[stub.length - 2] !== 0xc4 || stub[stub.length - 1] !== 0) throw new ProtocolError('bad-encoding', 'the envelope body does not end with its payload')
  const payloadHeader = binHeader(f.payload.length)
  const bodyLength = stub.length - 2 + payloadHeader.length + f.payload.length
  const outerHeader = [0x82, ...BODY_KEY, ...binHeader(bodyLength)]
  const total = outerHeader.length + bodyLength + SIG_KEY_AND_HEADER.length + 64
  const before = outerHeader.length + stub.length - 2 + payloadHeader.length
  const { buffer, byteOffset, length } = f.payload
  const inRoom = opts.inRoom === true && before <= Math.min(byteOffset, FRAME_ROOM_BEFORE) && buffer.byteLength - byteOffset - length >= FRAME_ROOM_AFTER
  const bytes = inRoom ? new Uint8Array(buffer, byteOffset - before, total) : new Uint8Array(total)
  let at = 0
  bytes.set(outerHeader, at)
  at += outerHeader.length
  const bodyAt = at
  bytes.set(stub.subarray(0, stub.length - 2), at)
  at += stub.length - 2
  bytes.set(payloadHeader, at)
  at += payloadHeader.length
  if (!inRoom) bytes.set(f.payload, at)
  const payload = bytes.subarray(at, at + f.payload.length)
  at += f.payload.length
  bytes.set(SIG_KEY_AND_HEADER, at)
  at += SIG_KEY_AND_HEADER.length
  const sigAt = at
  return {
    bytes,
    body: bytes.subarray(bodyAt, bodyAt + bodyLength),
    payload,
    setSig(sig) {
      if (sig.length !== 64) throw new ProtocolError('bad-field', `a signature is 64 bytes, not ${sig.length}`)
      bytes.set(sig, sigAt)
    },
  }
}
