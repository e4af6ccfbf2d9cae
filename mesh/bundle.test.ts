// Bundles across an air gap: exported from a real agent store, imported into a real hub
// replica; importing twice changes nothing; a bundle with any envelope altered is refused
// naming that envelope and stores nothing at all; another tenant's bundle is refused.
import { describe, it, expect, afterEach } from 'vitest'
import { findingsDoc } from '../crdt/index.ts'
import { BundleError, importBundle, writeBundle } from './bundle.ts'
import { startPeer, tenantRoot, type TestPeer } from './mesh.test-data.ts'

const peers: TestPeer[] = []
afterEach(async () => { await Promise.all(peers.splice(0).map((p) => p.close())) })

async function bundleOf(agent: TestPeer, sinceAck = false): Promise<Uint8Array> {
  await agent.replica.learnCertificate(agent.cert.bytes)
  const frames: Uint8Array[] = []
  for await (const f of writeBundle(agent.replica, { sinceAck })) frames.push(f)
  return Buffer.concat(frames)
}

describe('bundles', () => {
  it('import once, twice changes nothing; an altered envelope anywhere stores nothing and is named', async () => {
    const acme = tenantRoot('acme')
    const [hub, agent] = await Promise.all([startPeer(acme, { role: 'hub' }), startPeer(acme, { role: 'agent' })])
    peers.push(hub, agent)
    for (let i = 0; i < 3; i++) await agent.write(20, i * 20)
    const bundle = await bundleOf(agent)
    const replicaOf = (t: string) => (t === 'acme' ? hub.replica : undefined)

    // The last envelope altered: the first two would verify, but nothing is stored.
    const tampered = Buffer.from(bundle)
    tampered[tampered.length - 5]! ^= 1
    const err = await importBundle(tampered, replicaOf).catch((e: unknown) => e) as BundleError
    expect(err).toBeInstanceOf(BundleError)
    expect(err.code).toBe('bad-signature')
    expect(err.envelope).toBe(`envelope 3 of the bundle (${findingsDoc(agent.author.peerId)}#3 by ${agent.author.peerId})`)
    expect(await hub.replica.log.haveVector()).toEqual({})

    expect(await importBundle(bundle, replicaOf)).toMatchObject({ tenant: 'acme', envelopes: 3, stored: 3, duplicates: 0 })
    expect(await hub.findings(agent.author.peerId)).toBe(60)
    expect(await importBundle(bundle, replicaOf)).toMatchObject({ stored: 0, duplicates: 3 })
    expect(await hub.findings(agent.author.peerId)).toBe(60)
  })

  it('another tenant\'s bundle, and a truncated one, are refused by name', async () => {
    const [hub, stranger] = await Promise.all([startPeer(tenantRoot('acme'), { role: 'hub' }), startPeer(tenantRoot('globex'), { role: 'agent' })])
    peers.push(hub, stranger)
    await stranger.write(5)
    const bundle = await bundleOf(stranger)
    const replicaOf = (t: string) => (t === 'acme' ? hub.replica : undefined)
    await expect(importBundle(bundle, replicaOf)).rejects.toMatchObject({ code: 'wrong-tenant' })
    await expect(importBundle(bundle.subarray(0, bundle.length - 7), (t) => (t === 'globex' ? hub.replica : undefined))).rejects.toMatchObject({ name: 'BundleError' })
    expect(await hub.replica.log.haveVector()).toEqual({})
  })
})
