// The libp2p private key of an agent or hub identity (keys/ holds it as an ed25519 seed and
// public key, and loads no libp2p: an agent off the mesh never needs this).
import { privateKeyFromRaw } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'

export function peerPrivateKey(identity: { seed: Uint8Array, publicKey: Uint8Array }): PrivateKey {
  const raw = new Uint8Array(64)
  raw.set(identity.seed)
  raw.set(identity.publicKey, 32)
  return privateKeyFromRaw(raw)
}
