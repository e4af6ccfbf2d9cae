// ed25519 signatures. Both libraries give identical signatures (RFC 8032 is deterministic);
// `npm run bench:keys` measures them side by side. node:crypto (OpenSSL) verifies several
// times faster than @noble/ed25519 in pure JS, and verification runs on every envelope a
// peer receives, so the hot path uses node:crypto with KeyObjects cached per key.
// @noble/ed25519 stays for what must run without OpenSSL: the browser UI and the
// cross-check in tests (see ed25519.test.ts), and it is exported as `noble` for that.
import { createPrivateKey, createPublicKey, randomBytes, sign as nodeSign, verify as nodeVerify, createHash, type KeyObject } from 'node:crypto'
import * as ed from '@noble/ed25519'

ed.hashes.sha512 = (m: Uint8Array) => new Uint8Array(createHash('sha512').update(m).digest())

export const noble = ed

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

const privateKeys = new Map<string, KeyObject>()
const publicKeys = new Map<string, KeyObject>()
const CACHE_LIMIT = 4096

function cached(cache: Map<string, KeyObject>, raw: Uint8Array, make: () => KeyObject): KeyObject {
  const id = Buffer.from(raw).toString('base64')
  let key = cache.get(id)
  if (key === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!)
    key = make()
    cache.set(id, key)
  }
  return key
}

function privateKeyObject(seed: Uint8Array): KeyObject {
  return cached(privateKeys, seed, () => createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' }))
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  return cached(publicKeys, publicKey, () => createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }))
}

export function generateSeed(): Uint8Array {
  return new Uint8Array(randomBytes(32))
}

export function publicKeyOf(seed: Uint8Array): Uint8Array {
  const der = createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' })
  return new Uint8Array(der.subarray(SPKI_PREFIX.length))
}

/** 64-byte signature of msg by the key whose 32-byte seed is given. */
export function sign(seed: Uint8Array, msg: Uint8Array): Uint8Array {
  if (seed.length !== 32) throw new TypeError('ed25519 seed must be 32 bytes')
  return new Uint8Array(nodeSign(null, msg, privateKeyObject(seed)))
}

/** Whether sig is a valid signature of msg by publicKey; false for any malformed input. */
export function verify(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  if (publicKey.length !== 32 || sig.length !== 64) return false
  try {
    return nodeVerify(null, msg, publicKeyObject(publicKey), sig)
  } catch {
    return false
  }
}
