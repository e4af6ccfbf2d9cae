// The advisory feed over real peers: a hub's signed updates reach an agent directly and one
// that sees only a relay, live and after reconnecting; only a hub of the tenant may author
// them, and the records come back as published.
import { describe, it, expect, afterEach } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildEnvelope, type Author } from '../crdt/index.ts'
import { FEED_DOC, updateRecords } from './advisory-feed.ts'
import { eventually, startPeer, tenantRoot, type TestPeer } from './mesh.test-data.ts'

const peers: TestPeer[] = []
afterEach(async () => { await Promise.all(peers.splice(0).map((p) => p.close())) })
const started = async (...ps: Promise<TestPeer>[]) => { const out = await Promise.all(ps); peers.push(...out); return out }

const RECORDS = readFileSync(join(import.meta.dirname, '../scripts/demo/advisories.jsonl'), 'utf8').trim().split('\n')

describe('advisory feed', () => {
  it('reaches agents directly and through a relay, in order, and reads back as published', async () => {
    const root = tenantRoot('acme')
    const [hub, relay, direct, behind] = await started(
      startPeer(root, { role: 'hub', listen: true, feed: true }), startPeer(root, { role: 'relay', certRoles: ['agent', 'relay'], listen: true, feed: true }),
      startPeer(root, { role: 'agent', feed: true }), startPeer(root, { role: 'agent', feed: true }))
    const hubAuthor: Author = hub.author
    expect(await hub.replica.feed!.publish(hubAuthor, RECORDS.slice(0, 3))).toBe(1)
    relay.peer.connect(hub.peer.multiaddrs()[0]!)
    direct.peer.connect(hub.peer.multiaddrs()[0]!)
    behind.peer.connect(relay.peer.multiaddrs()[0]!)
    const at = (p: TestPeer) => p.replica.feed!.heads()[hub.author.peerId] ?? 0
    await eventually(() => at(direct) === 1 && at(relay) === 1 && at(behind) === 1, 10_000, 'the first update everywhere')
    // Live: the next update follows without a reconnect.
    await hub.replica.feed!.publish(hubAuthor, RECORDS.slice(3))
    await eventually(() => at(direct) === 2 && at(behind) === 2, 10_000, 'the second update live')
    const texts: string[] = []
    for await (const bytes of behind.replica.feed!.read(hub.author.peerId, 1)) {
      const { openEnvelope } = await import('../crdt/index.ts')
      texts.push(updateRecords(openEnvelope(bytes)))
    }
    expect(texts.join('').trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(RECORDS.map((l) => JSON.parse(l).id))
    expect(behind.peer.counters.get('advisories:accepted')).toBe(2)
  })

  it('takes updates only from a hub of the tenant', async () => {
    const root = tenantRoot('acme')
    const [relay, agent] = await started(startPeer(root, { role: 'relay', certRoles: ['agent', 'relay'], listen: true, feed: true }), startPeer(root, { role: 'agent', feed: true }))
    // The relay authors an "advisory update" itself: it is no hub.
    const forged = buildEnvelope(relay.author, FEED_DOC, 'advisories', new Uint8Array([1, 2, 3]), undefined, Date.now())
    await relay.replica.feed!.accept(forged)
    relay.replica.changed(FEED_DOC, relay.author.peerId)
    agent.peer.connect(relay.peer.multiaddrs()[0]!)
    await new Promise((r) => setTimeout(r, 800))
    expect(agent.replica.feed!.heads()).toEqual({})
    expect(agent.peer.counters.get('advisories:accepted')).toBe(0)
  })
})
