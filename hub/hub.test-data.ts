// Test support: an agent peer of a tenant whose root is in a hub's home (real libp2p key,
// real LevelDB), that writes findings and syncs them to the hub.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import * as Y from 'yjs'
import { issueCertificate, type Certificate, type TenantRoot } from '../keys/index.ts'
import { EnvelopeLog, findingsDoc, inventoryDoc, writeInventory, FINDINGS, type Finding, type Store } from '../crdt/index.ts'
import type { Package } from '../protocol/index.ts'
import { MeshPeer, Replica } from '../mesh/index.ts'

export interface TestAgent {
  peerId: string
  cert: Certificate
  replica: Replica
  peer: MeshPeer
  log: EnvelopeLog
  write(findings: Finding[]): Promise<void>
  /** Writes the agent's inventory doc as a scan would (only what changed). */
  writeInventory(packages: Package[]): Promise<void>
  close(): Promise<void>
}

export async function testAgent(root: TenantRoot, name: string, serial: number): Promise<TestAgent> {
  const key = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key).toString()
  const cert = issueCertificate(root, { subject: peerId, name, roles: ['agent'], serial, notBefore: Date.now() - 1000, notAfter: Date.now() + 86_400_000 })
  const dir = await mkdtemp(join(tmpdir(), 'zt-hub-agent-'))
  const db = new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' })
  const log = new EnvelopeLog(db.sublevel<string, Uint8Array>('log', { valueEncoding: 'view' }) as unknown as Store)
  const replica = await Replica.open({ tenant: root.tenant, rootPublicKey: root.publicKey, self: peerId, role: 'agent', log, meta: db.sublevel<string, Uint8Array>('mesh', { valueEncoding: 'view' }) as unknown as Store })
  const peer = new MeshPeer({ privateKey: key, role: 'agent', replicaOf: (t) => (t === root.tenant ? replica : undefined), certificatesFor: () => [cert.bytes], tenants: () => [root.tenant] })
  await peer.start()
  let closed = false
  return {
    peerId, cert, replica, peer, log,
    async write(findings) {
      await log.writeAs(findingsDoc(peerId), { peerId, seed: key.raw.subarray(0, 32) }, () => [(d: Y.Doc) => {
        for (const f of findings) d.getMap(FINDINGS).set(f.id, f)
      }], { rights: { hubs: new Set() } }, Date.now())
      replica.changed(findingsDoc(peerId), peerId)
    },
    async writeInventory(packages) {
      await log.writeAs(inventoryDoc(peerId), { peerId, seed: key.raw.subarray(0, 32) }, () => [(d: Y.Doc) => writeInventory(d, packages)], { rights: { hubs: new Set() } }, Date.now())
      replica.changed(inventoryDoc(peerId), peerId)
    },
    async close() {
      if (closed) return
      closed = true
      await peer.stop()
      await db.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
