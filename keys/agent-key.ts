// Agent keys: a libp2p Ed25519 private key in `<data>/agent.key` (protobuf, mode 0600), so the
// agent id is its PeerId and the Noise handshake proves possession of it.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { KeyError } from './errors.ts'
import { writePrivateFile } from './secure-file.ts'

export const AGENT_KEY_FILE = 'agent.key'

export interface AgentIdentity {
  privateKey: PrivateKey
  peerId: string
  /** Raw 32-byte ed25519 public key. */
  publicKey: Uint8Array
  /** Raw 32-byte ed25519 seed (what keys/ed25519.ts signs with). */
  seed: Uint8Array
}

function identityOf(privateKey: PrivateKey): AgentIdentity {
  if (privateKey.type !== 'Ed25519') throw new KeyError('bad-key-file', `agent key must be Ed25519, not ${privateKey.type}`)
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey).toString(), publicKey: privateKey.publicKey.raw, seed: privateKey.raw.subarray(0, 32) }
}

export async function createAgentKey(dataDir: string): Promise<AgentIdentity> {
  const privateKey = await generateKeyPair('Ed25519')
  try {
    await writePrivateFile(join(dataDir, AGENT_KEY_FILE), privateKeyToProtobuf(privateKey), { exclusive: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyError('exists', `${join(dataDir, AGENT_KEY_FILE)} exists; an agent key is never overwritten`)
    throw err
  }
  return identityOf(privateKey)
}

export async function loadAgentKey(dataDir: string): Promise<AgentIdentity> {
  const path = join(dataDir, AGENT_KEY_FILE)
  const bytes = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new KeyError('not-found', `no agent key in ${dataDir} (zt agent init --data ${dataDir})`)
    throw err
  })
  let key: PrivateKey
  try { key = privateKeyFromProtobuf(bytes) } catch (err) { throw new KeyError('bad-key-file', `${path} is not an agent key`, { cause: err }) }
  return identityOf(key)
}

/** The raw ed25519 public key inside an Ed25519 PeerId. */
export function publicKeyFromPeerId(peerId: string): Uint8Array {
  let id
  try { id = peerIdFromString(peerId) } catch (err) { throw new KeyError('bad-peer-id', `'${peerId}' is not a PeerId`, { cause: err }) }
  if (id.type !== 'Ed25519' || !id.publicKey) throw new KeyError('bad-peer-id', `'${peerId}' is not an Ed25519 PeerId`)
  return id.publicKey.raw
}
