// Real agent identities for crdt tests (libp2p Ed25519 keys, as agents have).
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Author } from './envelope.ts'

export async function newAuthor(): Promise<Author> {
  const key = await generateKeyPair('Ed25519')
  return { peerId: peerIdFromPrivateKey(key).toString(), seed: key.raw.subarray(0, 32) }
}
