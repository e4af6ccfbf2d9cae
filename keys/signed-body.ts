// The one shape of everything a tenant root signs: msgpack `{body: bin, sig: bin}`, where
// `sig` covers the body bytes exactly as stored. Verifiers never re-encode, so no canonical
// encoding is needed and any byte change breaks the signature.
import { pack, unpackUntrusted, type UnpackLimits } from '../protocol/index.ts'
import { verify } from './ed25519.ts'

export interface SignedBody { body: Uint8Array, sig: Uint8Array }

/** Upper bound for a signed certificate or revocation list (a list of many thousand entries fits). */
export const MAX_SIGNED_BYTES = 4 * 1024 * 1024

/**
 * Signed bytes come from anywhere (pasted, from peers): decoded with bounded work, and
 * refusing what plain msgpack decoding would quietly change (duplicate or non-string keys,
 * extension types). A revocation list of 100,000 entries is 5 values each.
 */
const SIGNED_LIMITS: UnpackLimits = { maxNodes: 600_000, maxDepth: 4 }

export function encodeSignedBody(body: Uint8Array, sig: Uint8Array): Uint8Array {
  return pack({ body, sig })
}

/** The body and signature, or a description of what is wrong. Never throws. */
export function decodeSignedBody(bytes: Uint8Array): SignedBody | string {
  if (bytes.length > MAX_SIGNED_BYTES) return `over ${MAX_SIGNED_BYTES} bytes`
  let outer: unknown
  try { outer = unpackUntrusted(bytes, SIGNED_LIMITS, 'signed bytes') } catch { return 'not msgpack' }
  if (typeof outer !== 'object' || outer === null || Array.isArray(outer)) return 'not a map'
  const keys = Object.keys(outer)
  if (keys.length !== 2 || !keys.includes('body') || !keys.includes('sig')) return 'fields must be exactly body and sig'
  const { body, sig } = outer as Record<string, unknown>
  if (!(body instanceof Uint8Array) || !(sig instanceof Uint8Array)) return 'body and sig must be binary'
  if (sig.length !== 64) return 'sig must be 64 bytes'
  // Re-encoding must give the same bytes: trailing garbage or alternative encodings are refused.
  const again = encodeSignedBody(body, sig)
  if (again.length !== bytes.length || !again.every((b, i) => b === bytes[i])) return 'non-canonical outer encoding'
  return { body: new Uint8Array(body), sig: new Uint8Array(sig) }
}

/** The body decoded as a map with string keys, or undefined. */
export function unpackMap(body: Uint8Array): Record<string, unknown> | undefined {
  let v: unknown
  try { v = unpackUntrusted(body, SIGNED_LIMITS, 'signed body') } catch { return undefined }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) return undefined
  return v as Record<string, unknown>
}

/** Signed bytes opened: the body map, or the one reason they were refused. */
export type Opened = { ok: true, body: Record<string, unknown> } | { ok: false, reason: 'malformed' | 'unknown-issuer' | 'bad-signature', detail: string }

/**
 * The body map of signed bytes issued by `rootPublicKey`, or why not: not decodable, another
 * issuer (the body names its issuer's key), or a signature that does not verify.
 */
export function openSignedBody(bytes: Uint8Array, rootPublicKey: Uint8Array): Opened {
  const signed = decodeSignedBody(bytes)
  if (typeof signed === 'string') return { ok: false, reason: 'malformed', detail: signed }
  const m = unpackMap(signed.body)
  if (!m) return { ok: false, reason: 'malformed', detail: 'body is not a map' }
  const issuer = m.issuer
  if (issuer instanceof Uint8Array && (issuer.length !== rootPublicKey.length || !issuer.every((b, i) => b === rootPublicKey[i]))) {
    return { ok: false, reason: 'unknown-issuer', detail: 'not issued by this tenant\'s root key' }
  }
  if (!verify(rootPublicKey, signed.body, signed.sig)) return { ok: false, reason: 'bad-signature', detail: 'the signature does not verify' }
  return { ok: true, body: m }
}
