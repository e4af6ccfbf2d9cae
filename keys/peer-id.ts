// The PeerId of an ed25519 key and the agent key file's bytes, as libp2p writes them, without
// loading libp2p (its key module and the multiformats under it are ~10 MB of an idle agent's
// memory, for two fixed byte layouts). Checked against @libp2p/crypto and @libp2p/peer-id in
// peer-id.test.ts; the mesh, which runs libp2p anyway, builds its libp2p key from the seed.
//
//   key file (libp2p PrivateKey protobuf): 08 01 12 40 <seed 32> <public key 32>
//   PeerId: base58btc of the identity multihash 00 24 of the PublicKey protobuf 08 01 12 20 <public key 32>
import { KeyError } from './errors.ts'

const KEY_FILE_PREFIX = [0x08, 0x01, 0x12, 0x40]
/** Before libp2p 0.x keys carried the public key twice: 08 01 12 60 <seed> <public> <public>. */
const OLD_KEY_FILE_PREFIX = [0x08, 0x01, 0x12, 0x60]
const PEER_ID_PREFIX = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20]
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const DIGIT = new Map([...ALPHABET].map((c, i) => [c, i]))

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b)

export function encodeKeyFile(seed: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 64)
  out.set(KEY_FILE_PREFIX)
  out.set(seed, 4)
  out.set(publicKey, 36)
  return out
}

/** The seed and public key in a key file; throws on anything but an ed25519 key. */
export function decodeKeyFile(bytes: Uint8Array): { seed: Uint8Array, publicKey: Uint8Array } {
  const ok = (bytes.length === 68 && startsWith(bytes, KEY_FILE_PREFIX)) ||
    (bytes.length === 100 && startsWith(bytes, OLD_KEY_FILE_PREFIX))
  if (!ok) throw new KeyError('bad-key-file', 'not an ed25519 libp2p private key')
  // Copies, as plain Uint8Arrays (a Buffer's slice would be a view of the file's bytes).
  return { seed: new Uint8Array(bytes.subarray(4, 36)), publicKey: new Uint8Array(bytes.subarray(36, 68)) }
}

export function peerIdOf(publicKey: Uint8Array): string {
  const bytes = new Uint8Array(PEER_ID_PREFIX.length + 32)
  bytes.set(PEER_ID_PREFIX)
  bytes.set(publicKey, PEER_ID_PREFIX.length)
  return base58btc(bytes)
}

/** The raw ed25519 public key inside an Ed25519 PeerId (its base58btc multihash form). */
export function publicKeyFromPeerId(peerId: string): Uint8Array {
  const bytes = peerId.length > 60 || peerId.length < 40 ? undefined : fromBase58btc(peerId)
  if (!bytes || bytes.length !== PEER_ID_PREFIX.length + 32 || !startsWith(bytes, PEER_ID_PREFIX)) {
    throw new KeyError('bad-peer-id', `'${peerId}' is not an Ed25519 PeerId`)
  }
  return bytes.slice(PEER_ID_PREFIX.length)
}

function base58btc(bytes: Uint8Array): string {
  let zeros = 0
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++
  const digits: number[] = []
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i]!
    for (let j = 0; j < digits.length; j++) {
      carry += digits[j]! << 8
      digits[j] = carry % 58
      carry = (carry / 58) | 0
    }
    while (carry > 0) { digits.push(carry % 58); carry = (carry / 58) | 0 }
  }
  let out = '1'.repeat(zeros)
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i]!]
  return out
}

function fromBase58btc(text: string): Uint8Array | undefined {
  let zeros = 0
  while (zeros < text.length && text[zeros] === '1') zeros++
  const bytes: number[] = []
  for (let i = zeros; i < text.length; i++) {
    let carry = DIGIT.get(text[i]!)
    if (carry === undefined) return undefined
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j]! * 58
      bytes[j] = carry & 0xff
      carry >>= 8
    }
    while (carry > 0) { bytes.push(carry & 0xff); carry >>= 8 }
  }
  const out = new Uint8Array(zeros + bytes.length)
  for (let i = 0; i < bytes.length; i++) out[out.length - 1 - i] = bytes[i]!
  return out
}
