// Sessions between real libp2p peers on loopback, each with its own LevelDB: an agent's
// envelopes reach the hub (history, then live), through a relay too, and the hub's docs
// equal the agent's.
import { describe, it, expect, afterEach } from 'vitest'
import * as Y from 'yjs'
import { findingsDoc } from '../crdt/index.ts'
import { certify, eventually, restartPeer, startPeer, tenantRoot, type TestPeer } from './mesh.test-data.ts'

const peers: TestPeer[] = []
afterEach(async () => { await Promise.all(peers.splice(0).map((p) => p.close())) })
const started = async (...ps: Promise<TestPeer>[]) => { const out = await Promise.all(ps); peers.push(...out); return out }

async function sameDoc(a: TestPeer, b: TestPeer, doc: string): Promise<boolean> {
  const x = await a.replica.log.doc(doc)
  const y = await b.replica.log.doc(doc)
  return !!x && !!y && Buffer.from(Y.encodeStateVector(x)).equals(Buffer.from(Y.encodeStateVector(y))) &&
    JSON.stringify(x.getMap('findings').toJSON()) === JSON.stringify(y.getMap('findings').toJSON())
}

describe('sync between an agent and a hub', () => {
  it('hands over the history, then new envelopes live, acked as durable', async () => {
    const root = tenantRoot('acme')
    const [hub, agent] = await started(startPeer(root, { role: 'hub', listen: true }), startPeer(root, { role: 'agent' }))
    await agent.write(500)
    await agent.write(500, 500)
    agent.peer.connect(hub.peer.multiaddrs()[0]!)
    await eventually(async () => (await hub.findings(agent.author.peerId)) === 1000, 10_000, 'history at the hub')
    await agent.write(10, 1000)
    await eventually(async () => (await hub.findings(agent.author.peerId)) === 1010, 5000, 'live envelope at the hub')
    expect(await sameDoc(agent, hub, findingsDoc(agent.author.peerId))).toBe(true)
    await eventually(async () => (await agent.replica.acked())[findingsDoc(agent.author.peerId)]?.[agent.author.peerId] === 3, 5000, 'acks recorded')
    expect(hub.peer.counters.get('envelopes:accepted')).toBe(3)
    expect(hub.replica.certificateOf(agent.author.peerId)?.body.subject).toBe(agent.author.peerId)
  })

  it('a reconnect sends only what the other side lacks, not the history again', async () => {
    const root = tenantRoot('acme')
    const [hub, agent] = await started(startPeer(root, { role: 'hub', listen: true }), startPeer(root, { role: 'agent' }))
    for (let i = 0; i < 20; i++) await agent.write(50, i * 50)
    agent.peer.connect(hub.peer.multiaddrs()[0]!)
    await eventually(async () => (await agent.replica.acked())[findingsDoc(agent.author.peerId)]?.[agent.author.peerId] === 20, 10_000, 'history acked')
    await agent.stop()
    const [again] = await started(restartPeer(root, agent))
    await again!.write(5, 1000)
    again!.peer.connect(hub.peer.multiaddrs()[0]!)
    await eventually(async () => (await hub.findings(agent.author.peerId)) === 1005, 10_000, 'the new envelope at the hub')
    expect(hub.peer.counters.get('envelopes:accepted')).toBe(21)
    expect(hub.peer.counters.get('envelopes:duplicate')).toBe(0)
  })

  it('an agent that reaches only a relay gets its envelopes to the hub, certificate and all', async () => {
    const root = tenantRoot('acme')
    const [hub, relay, agent] = await started(
      startPeer(root, { role: 'hub', listen: true }), startPeer(root, { role: 'relay', certRoles: ['agent', 'relay'], listen: true }), startPeer(root, { role: 'agent' }))
    await agent.write(100)
    await relay.write(5)
    agent.peer.connect(relay.peer.multiaddrs()[0]!)
    await eventually(async () => (await relay.findings(agent.author.peerId)) === 100, 10_000, 'the relay holds the agent\'s findings')
    relay.peer.connect(hub.peer.multiaddrs()[0]!)
    await eventually(async () => (await hub.findings(agent.author.peerId)) === 100 && (await hub.findings(relay.author.peerId)) === 5, 10_000, 'both at the hub')
    expect(await sameDoc(agent, hub, findingsDoc(agent.author.peerId))).toBe(true)
    // Live through the relay.
    await agent.write(1, 100)
    await eventually(async () => (await hub.findings(agent.author.peerId)) === 101, 5000, 'live through the relay')
    expect(hub.replica.certificateOf(agent.author.peerId)).toBeDefined()
    // A plain agent stores nothing of others.
    expect(await agent.findings(relay.author.peerId)).toBe(0)
  })

  it('a revocation list reaches an agent that only sees a relay, and the revoked agent\'s envelopes stop at the relay', async () => {
    const root = tenantRoot('acme')
    const [hub, relay, c, d] = await started(
      startPeer(root, { role: 'hub', listen: true }), startPeer(root, { role: 'relay', certRoles: ['agent', 'relay'], listen: true }),
      startPeer(root, { role: 'agent' }), startPeer(root, { role: 'agent' }))
    relay.peer.connect(hub.peer.multiaddrs()[0]!)
    c.peer.connect(relay.peer.multiaddrs()[0]!)
    d.peer.connect(relay.peer.multiaddrs()[0]!)
    await d.write(2)
    await eventually(async () => (await hub.findings(d.author.peerId)) === 2, 10_000, 'd through the relay')
    const { revoke } = await import('./mesh.test-data.ts')
    await hub.replica.adoptRevocationList(revoke(root, undefined, d.cert).bytes)
    await eventually(() => relay.replica.revocationVersion === 1 && c.replica.revocationVersion === 1, 5000, 'the list at relay and agent')
    await eventually(() => relay.peer.counters.get('refused:revoked') >= 1, 5000, 'the relay drops the revoked agent')
    await d.write(3, 2)
    await new Promise((r) => setTimeout(r, 500))
    expect(await hub.findings(d.author.peerId)).toBe(2)
    expect(await relay.findings(d.author.peerId)).toBe(2)
  })

  it('a relay over its cap refuses with relay-full and keeps what it has', async () => {
    const root = tenantRoot('acme')
    const [relay, agent] = await started(startPeer(root, { role: 'relay', listen: true, relayCapBytes: 2000 }), startPeer(root, { role: 'agent' }))
    await agent.write(1)
    await agent.write(200, 1)
    agent.peer.connect(relay.peer.multiaddrs()[0]!)
    await eventually(() => relay.peer.counters.get('refused:relay-full') >= 1, 10_000, 'relay-full')
    expect(await relay.findings(agent.author.peerId)).toBe(1)
    expect(relay.replica.relayedBytes).toBeLessThanOrEqual(2000)
  })

  it('a revocation list the hub adopts reaches the agent and ends the revoked peer\'s session', async () => {
    const root = tenantRoot('acme')
    const [hub, agent, other] = await started(startPeer(root, { role: 'hub', listen: true }), startPeer(root, { role: 'agent' }), startPeer(root, { role: 'agent' }))
    agent.peer.connect(hub.peer.multiaddrs()[0]!)
    other.peer.connect(hub.peer.multiaddrs()[0]!)
    await eventually(() => hub.peer.sessions.size === 2, 10_000, 'two sessions')
    const { revoke } = await import('./mesh.test-data.ts')
    const list = revoke(root, undefined, other.cert)
    expect(await hub.replica.adoptRevocationList(list.bytes)).toBe(true)
    await eventually(() => agent.replica.revocationVersion === 1, 5000, 'the list at the other agent')
    await eventually(() => hub.peer.counters.get('refused:revoked') >= 1 && hub.peer.sessions.size === 1, 5000, 'revoked session dropped')
    // It stays out: its redials are refused.
    await other.write(3)
    await new Promise((r) => setTimeout(r, 600))
    expect(await hub.findings(other.author.peerId)).toBe(0)
    void certify
  })
})
