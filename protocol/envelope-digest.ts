// What an envelope's signature covers and the hash that names it on its author's chain, by
// envelope version (PROTOCOL.md "Envelope"; the security argument in docs/ARCHITECTURE.md).
// v1: the signature covers the body bytes, and the hash is SHA-256 of the whole wire form,
// so a writer's megabyte body is hashed three times (ed25519 runs SHA-512 over the message
// twice) and a receiver's twice. v2: both come from one SHA-256 of the body, its digest:
// the signature covers a label and the digest (ed25519 then hashes ~60 bytes), the hash a
// second label, the digest and the signature. The labels keep the two uses, and v1's signed
// bodies (which begin with a msgpack map byte), apart.
import { createHash, webcrypto } from 'node:crypto'

const utf8 = (s: string) => new TextEncoder().encode(s)
/** Prefix of what a v2 signature covers (label, then the body's 32-byte digest). */
export const SIGNED_LABEL_V2 = utf8('zerotrace envelope v2 signed\n')
/** Prefix of what a v2 envelope's hash covers (label, digest, then the 64-byte signature). */
export const HASHED_LABEL_V2 = utf8('zerotrace envelope v2 hashed\n')

/** What the functions below read of an envelope: never its other fields. */
export interface SignedParts { v: number, body: Uint8Array, sig: Uint8Array, bytes: Uint8Array }

// Each body is hashed once, whoever asks first (the signer, the verifier, the chain). Keyed by
// the body's view: an envelope's bytes are a value, never changed once built or decoded
// (decodeEnvelope copies what it is given; a tampered envelope is other bytes, decoded anew).
const digests = new WeakMap<Uint8Array, Uint8Array>()

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return new Uint8Array(h.digest())
}

/** SHA-256 of a body (v2's digest). */
export function bodyDigest(body: Uint8Array): Uint8Array {
  let d = digests.get(body)
  if (!d) { d = sha256(body); digests.set(body, d) }
  return d
}

/** As bodyDigest, on libuv's thread pool (WebCrypto): a writer encodes its next megabyte meanwhile. */
export async function bodyDigestAsync(body: Uint8Array): Promise<Uint8Array> {
  let d = digests.get(body)
  if (!d) { d = new Uint8Array(await webcrypto.subtle.digest('SHA-256', body)); digests.set(body, d) }
  return d
}

/** The bytes an envelope's signature covers: its body (v1), or the label and the body's digest (v2). */
export function signedBytes(env: Pick<SignedParts, 'v' | 'body'>): Uint8Array {
  if (env.v === 1) return env.body
  const d = bodyDigest(env.body)
  const out = new Uint8Array(SIGNED_LABEL_V2.length + d.length)
  out.set(SIGNED_LABEL_V2)
  out.set(d, SIGNED_LABEL_V2.length)
  return out
}

/** What the author's next envelope names as `prev`: SHA-256 of the wire form (v1), or of the label, digest and signature (v2). */
export function envelopeHash(env: SignedParts): Uint8Array {
  return env.v === 1 ? sha256(env.bytes) : sha256(HASHED_LABEL_V2, bodyDigest(env.body), env.sig)
}
