// Agent keys: a libp2p Ed25519 private key in `<data>/agent.key` (protobuf, mode 0600), so the
// agent id is its PeerId and the Noise handshake proves possession of it. The bytes are read
// and written by keys/peer-id.ts; the mesh makes its libp2p key from the seed.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { timingSafeEqual } from 'node:crypto'
import { generateSeed, publicKeyOf } from './ed25519.ts'
import { KeyError } from './errors.ts'
import { decodeKeyFile, encodeKeyFile, peerIdOf } from './peer-id.ts'
import { writePrivateFile } from './secure-file.ts'

export { publicKeyFromPeerId } from './peer-id.ts'

export const AGENT_KEY_FILE = 'agent.key'

export interface AgentIdentity {
  peerId: string
  /** Raw 32-byte ed25519 public key. */
  publicKey: Uint8Array
  /** Raw 32-byte ed25519 seed (what keys/ed25519.ts signs with). */
  seed: Uint8Array
}

export async function createAgentKey(dataDir: string): Promise<AgentIdentity> {
  const seed = generateSeed()
  const publicKey = publicKeyOf(seed)
  try {
    await writePrivateFile(join(dataDir, AGENT_KEY_FILE), encodeKeyFile(seed, publicKey), { exclusive: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyError('exists', `${join(dataDir, AGENT_KEY_FILE)} exists; an agent key is never overwritten`)
    throw err
  }
  return { peerId: peerIdOf(publicKey), publicKey, seed }
}

export async function loadAgentKey(dataDir: string): Promise<AgentIdentity> {
  const path = join(dataDir, AGENT_KEY_FILE)
  const bytes = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new KeyError('not-found', `no agent key in ${dataDir} (zt agent init --data ${dataDir})`)
    throw err
  })
  let key
  try { key = decodeKeyFile(bytes) } catch (err) { throw new KeyError('bad-key-file', `${path} is not an agent key`, { cause: err }) }
  // The file carries the public key beside the seed: one that does not belong to it would sign
  // envelopes under a PeerId nobody can verify them with.
  if (!timingSafeEqual(publicKeyOf(key.seed), key.publicKey)) throw new KeyError('bad-key-file', `${path}: its public key does not belong to its private key`)
  return { peerId: peerIdOf(key.publicKey), publicKey: key.publicKey, seed: key.seed }
}
