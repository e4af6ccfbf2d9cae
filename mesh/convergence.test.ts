// Property: whatever the order of connects, disconnects and scans, once everyone is
// connected again the hub's docs equal each agent's (state vector and findings). A hub,
// agent A dialing it, relay B dialing it, agent C reaching only B; seeded random schedules.
import { describe, it, expect, afterEach } from 'vitest'
import * as Y from 'yjs'
import { FINDINGS, findingsDoc } from '../crdt/index.ts'
import { startPeer, tenantRoot, type TestPeer } from './mesh.test-data.ts'

const peers: TestPeer[] = []
afterEach(async () => { await Promise.all(peers.splice(0).map((p) => p.close())) })

/** mulberry32: a small seeded PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296 }
}

async function same(hub: TestPeer, agent: TestPeer): Promise<boolean> {
  const name = findingsDoc(agent.author.peerId)
  const [x, y] = [await hub.replica.log.doc(name), await agent.replica.log.doc(name)]
  if (!x || !y) return !x && !y
  return Buffer.from(Y.encodeStateVector(x)).equals(Buffer.from(Y.encodeStateVector(y))) && JSON.stringify(x.getMap(FINDINGS).toJSON()) === JSON.stringify(y.getMap(FINDINGS).toJSON())
}

describe('convergence over the mesh', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: after random connects, disconnects and scans, the hub holds what every agent holds`, async () => {
      const random = rng(seed)
      const root = tenantRoot('acme')
      const [hub, a, b, c] = await Promise.all([
        startPeer(root, { role: 'hub', listen: true }), startPeer(root, { role: 'agent' }),
        startPeer(root, { role: 'relay', certRoles: ['agent', 'relay'], listen: true }), startPeer(root, { role: 'agent' }),
      ])
      peers.push(hub, a, b, c)
      const hubAddr = hub.peer.multiaddrs()[0]!
      const relayAddr = b.peer.multiaddrs()[0]!
      const targets = new Map<TestPeer, string[]>([[a, [hubAddr]], [b, [hubAddr]], [c, [relayAddr]]])
      for (const [p, t] of targets) for (const addr of t) p.peer.connect(addr)
      const written = new Map<TestPeer, number>([[a, 0], [b, 0], [c, 0]])
      const agents = [a, b, c]
      for (let step = 0; step < 14; step++) {
        const who = agents[Math.floor(random() * agents.length)]!
        const r = random()
        if (r < 0.5) {
          const n = 1 + Math.floor(random() * 30)
          await who.write(n, written.get(who)!)
          written.set(who, written.get(who)! + n)
        } else if (r < 0.75) {
          await who.goOffline()
        } else {
          await who.comeBack(targets.get(who)!)
        }
        await new Promise((res) => setTimeout(res, Math.floor(random() * 120)))
      }
      for (const [p, t] of targets) await p.comeBack(t)
      const deadline = Date.now() + 20_000
      for (const p of agents) {
        while (!(await same(hub, p))) {
          if (Date.now() > deadline) throw new Error(`seed ${seed}: ${p === a ? 'A' : p === b ? 'B' : 'C'} did not converge (hub ${await hub.findings(p.author.peerId)}, agent ${written.get(p)})`)
          await new Promise((res) => setTimeout(res, 50))
        }
        expect(await hub.findings(p.author.peerId)).toBe(written.get(p))
      }
    }, 40_000)
  }
})
