import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, expect } from 'vitest'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { createAgentKey, loadAgentKey } from './agent-key.ts'
import { decodeKeyFile, encodeKeyFile, peerIdOf, publicKeyFromPeerId } from './peer-id.ts'
import { generateSeed, publicKeyOf } from './ed25519.ts'

describe('PeerId and agent key file without libp2p', () => {
  it('gives the bytes and ids libp2p gives, both ways', async () => {
    for (let i = 0; i < 50; i++) {
      const key = await generateKeyPair('Ed25519')
      const id = peerIdFromPrivateKey(key).toString()
      const seed = key.raw.subarray(0, 32)
      expect(peerIdOf(key.publicKey.raw)).toBe(id)
      expect(publicKeyFromPeerId(id)).toEqual(key.publicKey.raw)
      expect(encodeKeyFile(seed, key.publicKey.raw)).toEqual(privateKeyToProtobuf(key))
      expect(decodeKeyFile(privateKeyToProtobuf(key))).toEqual({ seed, publicKey: key.publicKey.raw })
      const back = privateKeyFromProtobuf(encodeKeyFile(seed, key.publicKey.raw))
      expect(peerIdFromPrivateKey(back).toString()).toBe(id)
    }
  })
  it('reads the key an agent wrote with libp2p, and libp2p reads ours', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zt-peer-id-'))
    try {
      const key = await generateKeyPair('Ed25519')
      await writeFile(join(dir, 'agent.key'), privateKeyToProtobuf(key))
      const loaded = await loadAgentKey(dir)
      expect(loaded.peerId).toBe(peerIdFromPrivateKey(key).toString())
      expect(loaded.seed).toEqual(key.raw.subarray(0, 32))
      const other = await mkdtemp(join(dir, 'b-'))
      const made = await createAgentKey(other)
      expect(peerIdFromPrivateKey(privateKeyFromProtobuf(await readFile(join(other, 'agent.key')))).toString()).toBe(made.peerId)
      expect(made.publicKey).toEqual(publicKeyOf(made.seed))
    } finally { await rm(dir, { recursive: true, force: true }) }
  })
  it('refuses a key file whose public key is not its seed\'s, and other keys', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zt-peer-id-'))
    try {
      await writeFile(join(dir, 'agent.key'), encodeKeyFile(generateSeed(), publicKeyOf(generateSeed())))
      await expect(loadAgentKey(dir)).rejects.toMatchObject({ code: 'bad-key-file' })
      await writeFile(join(dir, 'agent.key'), privateKeyToProtobuf(await generateKeyPair('secp256k1')))
      await expect(loadAgentKey(dir)).rejects.toMatchObject({ code: 'bad-key-file' })
    } finally { await rm(dir, { recursive: true, force: true }) }
  })
  it('refuses what is not an Ed25519 PeerId', async () => {
    const secp = peerIdFromPrivateKey(await generateKeyPair('secp256k1')).toString()
    const ed = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    for (const bad of [secp, 'QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N', 'not-a-peer-id', '', ed.toString().slice(0, -1), ed.toString() + '1', ed.toString().replace(/.$/, '0')]) {
      expect(() => publicKeyFromPeerId(bad), bad).toThrow(expect.objectContaining({ code: 'bad-peer-id' }))
    }
    // A PeerId's CID text form names the same key, but ids are compared as strings: only the canonical form is an id.
    expect(peerIdFromString(ed.toCID().toString()).equals(ed)).toBe(true)
    expect(() => publicKeyFromPeerId(ed.toCID().toString())).toThrow(expect.objectContaining({ code: 'bad-peer-id' }))
  })
})
