// Bundles across an air gap, into a real hub replica on its own LevelDB: a round trip, an
// import twice that changes nothing, tampering refused by name with nothing stored (all or
// nothing), another tenant's bundle and a revoked author's refused.
import { describe, it, expect, afterEach } from 'vitest'
import * as Y from 'yjs'
import { buildEnvelope, findingsDoc, hashOf, openEnvelope } from '../crdt/index.ts'
import { decodeFrames, encodeFrame, MAX_FRAME, pack } from '../protocol/index.ts'
import { BundleError, importBundle, parseBundle, writeBundle } from './bundle.ts'
import type { Replica } from './replica.ts'
import { eventually, revoke, startPeer, tenantRoot, type TestPeer } from './mesh.test-data.ts'

const peers: TestPeer[] = []
afterEach(async () => { await Promise.all(peers.splice(0).map((p) => p.close())) })
const started = async (...ps: Promise<TestPeer>[]) => { const out = await Promise.all(ps); peers.push(...out); return out }

async function bundleOf(replica: Replica, opts: { sinceAck?: boolean } = {}): Promise<Uint8Array> {
  const frames: Uint8Array[] = []
  for await (const f of writeBundle(replica, opts)) frames.push(f)
  return Buffer.concat(frames)
}

/** Every key and value of a peer's store, to see that nothing at all changed. */
async function dump(p: TestPeer): Promise<string[]> {
  const out: string[] = []
  for await (const [k, v] of p.db.iterator()) out.push(`${k}=${Buffer.from(v).toString('hex')}`)
  return out
}

async function refusal(p: Promise<unknown>): Promise<BundleError> {
  const err = await p.then(() => undefined, (e: unknown) => e)
  expect(err, 'the import must be refused').toBeInstanceOf(BundleError)
  return err as BundleError
}

async function sameFindings(a: TestPeer, b: TestPeer, agent: string): Promise<void> {
  const x = await a.replica.log.doc(findingsDoc(agent))
  const y = await b.replica.log.doc(findingsDoc(agent))
  expect(x && y).toBeTruthy()
  expect(Buffer.from(Y.encodeStateVector(x!)).equals(Buffer.from(Y.encodeStateVector(y!)))).toBe(true)
  expect(x!.getMap('findings').toJSON()).toEqual(y!.getMap('findings').toJSON())
}

describe('bundles', () => {
  const root = tenantRoot('acme')

  it('round-trips into a hub replica, and importing again changes nothing', async () => {
    const [hub, agent] = await started(startPeer(root, { role: 'hub' }), startPeer(root, { role: 'agent' }))
    await agent.write(50)
    await agent.write(10, 50)
    await agent.write(5, 0, 1) // changed findings
    const bytes = await bundleOf(agent.replica)
    const replicaOf = (t: string) => (t === 'acme' ? hub.replica : undefined)
    expect(await importBundle(bytes, replicaOf)).toEqual({ tenant: 'acme', from: agent.author.peerId, envelopes: 3, stored: 3, duplicates: 0 })
    await sameFindings(hub, agent, agent.author.peerId)
    expect(await hub.findings(agent.author.peerId)).toBe(60)
    expect(hub.replica.certificateOf(agent.author.peerId)?.body.serial).toBe(agent.cert.body.serial)
    await hub.replica.log.checkpointAll()
    const before = await dump(hub)
    expect(await importBundle(bytes, replicaOf)).toEqual({ tenant: 'acme', from: agent.author.peerId, envelopes: 3, stored: 0, duplicates: 3 })
    await hub.replica.log.checkpointAll()
    expect(await dump(hub)).toEqual(before)
    // A later bundle carries the old envelopes and the new: only the new are stored.
    await agent.write(1, 60)
    expect(await importBundle(await bundleOf(agent.replica), replicaOf)).toMatchObject({ envelopes: 4, stored: 1, duplicates: 3 })
    await sameFindings(hub, agent, agent.author.peerId)
  })

  it('a relay\'s bundle carries the envelopes and certificates of the agents it keeps', async () => {
    const [hub, relay, agent] = await started(startPeer(root, { role: 'hub' }), startPeer(root, { role: 'relay', certRoles: ['agent', 'relay'], listen: true }), startPeer(root, { role: 'agent' }))
    await agent.write(20)
    await relay.write(3)
    agent.peer.connect(relay.peer.multiaddrs()[0]!)
    await eventually(async () => (await relay.findings(agent.author.peerId)) === 20, 10_000, 'the agent at the relay')
    const result = await importBundle(await bundleOf(relay.replica), (t) => (t === 'acme' ? hub.replica : undefined))
    expect(result).toMatchObject({ from: relay.author.peerId, envelopes: 2, stored: 2 })
    await sameFindings(hub, agent, agent.author.peerId)
    await sameFindings(hub, relay, relay.author.peerId)
  })

  it('a flipped byte anywhere in an envelope refuses the whole bundle, naming that envelope; nothing is stored', async () => {
    const [hub, agent] = await started(startPeer(root, { role: 'hub' }), startPeer(root, { role: 'agent' }))
    await agent.write(2)
    await agent.write(2, 2)
    await agent.write(2, 4)
    const good = await bundleOf(agent.replica)
    const frames = decodeFrames(good, MAX_FRAME)
    const envelopes = frames.slice(1)
    expect(envelopes).toHaveLength(3)
    const replicaOf = (t: string) => (t === 'acme' ? hub.replica : undefined)
    const codes = new Map<string, number>()
    // Every byte of the last envelope (so the two before it are good and must not be stored
    // either), and every 5th byte of the first.
    const cases = [
      ...Array.from({ length: envelopes[2]!.length }, (_, p) => ({ i: 2, p })),
      ...Array.from({ length: Math.ceil(envelopes[0]!.length / 5) }, (_, k) => ({ i: 0, p: 5 * k })),
    ]
    for (const { i, p } of cases) {
      const bad = new Uint8Array(envelopes[i]!)
      bad[p]! ^= 1 << (p % 8)
      const bytes = Buffer.concat([encodeFrame(frames[0]!), ...envelopes.map((e, j) => encodeFrame(j === i ? bad : e))])
      const err = await refusal(importBundle(bytes, replicaOf))
      codes.set(err.code, (codes.get(err.code) ?? 0) + 1)
      // By its place in the bundle, and by its fields when they decode (as tampered: not to be trusted).
      expect(err.envelope, `byte ${p} of envelope ${i + 1}: ${err.message}`).toMatch(new RegExp(`^envelope ${i + 1} of the bundle( \\(.+#\\d+ by .+\\))?$`))
      expect(await hub.replica.log.haveVector(), `byte ${p} of envelope ${i + 1}`).toEqual({})
    }
    expect(codes.get('bad-signature')).toBeGreaterThan(cases.length / 2)
    expect(await hub.replica.log.doc(findingsDoc(agent.author.peerId))).toBeUndefined()
    // The untouched bundle still goes in whole.
    expect(await importBundle(good, replicaOf)).toMatchObject({ stored: 3 })
    await sameFindings(hub, agent, agent.author.peerId)
  })

  it('a bundle of another tenant is refused wrong-tenant, also when its header claims ours', async () => {
    const beta = tenantRoot('beta')
    const [hub, stranger] = await started(startPeer(root, { role: 'hub' }), startPeer(beta, { role: 'agent' }))
    await stranger.write(5)
    const bytes = await bundleOf(stranger.replica)
    const replicaOf = (t: string) => (t === 'acme' ? hub.replica : undefined)
    expect((await refusal(importBundle(bytes, replicaOf))).code).toBe('wrong-tenant')
    // The header rewritten to name acme: its certificate does not verify under acme's root,
    // so its author is unknown here, and nothing is stored.
    const { header } = parseBundle(bytes)
    const frames = decodeFrames(bytes, MAX_FRAME)
    const forged = Buffer.concat([encodeFrame(pack({ ...header, tenant: 'acme' })), ...frames.slice(1).map((f) => encodeFrame(f))])
    const err = await refusal(importBundle(forged, replicaOf))
    expect(err.code).toBe('unknown-author')
    expect(err.envelope).toContain(stranger.author.peerId)
    expect(await hub.replica.log.haveVector()).toEqual({})
    expect(hub.replica.certificateOf(stranger.author.peerId)).toBeUndefined()
  })

  it('a bundle whose author is revoked is refused revoked, whether or not the hub knew the author', async () => {
    const [hub, known, unknown] = await started(startPeer(root, { role: 'hub' }), startPeer(root, { role: 'agent' }), startPeer(root, { role: 'agent' }))
    const replicaOf = (t: string) => (t === 'acme' ? hub.replica : undefined)
    await known.write(3)
    await importBundle(await bundleOf(known.replica), replicaOf)
    await known.write(3, 3)
    await unknown.write(3)
    const list = revoke(root, revoke(root, undefined, known.cert), unknown.cert)
    expect(await hub.replica.adoptRevocationList(list.bytes)).toBe(true)
    const before = await hub.replica.log.haveVector()
    const e1 = await refusal(importBundle(await bundleOf(known.replica), replicaOf))
    expect(e1.code).toBe('revoked')
    expect(e1.envelope).toContain(known.author.peerId)
    const e2 = await refusal(importBundle(await bundleOf(unknown.replica), replicaOf))
    expect(e2.code).toBe('revoked')
    expect(e2.envelope).toContain(unknown.author.peerId)
    expect(await hub.replica.log.haveVector()).toEqual(before)
    expect(await hub.findings(known.author.peerId)).toBe(3)
  })

  it('refuses a fork inside a bundle, a gap before what the hub holds, and a cut or padded file; nothing is stored', async () => {
    const [hub, agent] = await started(startPeer(root, { role: 'hub' }), startPeer(root, { role: 'agent' }))
    const replicaOf = (t: string) => (t === 'acme' ? hub.replica : undefined)
    await agent.write(2)
    await agent.write(2, 2)
    const good = await bundleOf(agent.replica)
    const frames = decodeFrames(good, MAX_FRAME)
    const [one, two] = [openEnvelope(frames[1]!), openEnvelope(frames[2]!)]
    // A second envelope 2, validly signed by A, after the first: a fork, refused by name.
    const fork = buildEnvelope(agent.author, one.doc, 'yjs', two.payload, { seq: 1, hash: hashOf(one) }, two.ts + 1)
    const forked = Buffer.concat([good, encodeFrame(fork.bytes)])
    const e1 = await refusal(importBundle(forked, replicaOf))
    expect(e1.code).toBe('replay')
    expect(e1.envelope).toBe(`envelope 3 of the bundle (${one.doc}#2 by ${agent.author.peerId})`)
    // The same envelope twice in one bundle is fine: stored once.
    expect(await importBundle(Buffer.concat([good, encodeFrame(frames[2]!)]), replicaOf)).toMatchObject({ envelopes: 3, stored: 2, duplicates: 1 })
    await sameFindings(hub, agent, agent.author.peerId)

    // A since-ack bundle starts after what the hub acked: into a hub that holds less, it is a gap.
    const [hub2] = await started(startPeer(root, { role: 'hub' }))
    await agent.replica.recordAcks([{ doc: one.doc, author: agent.author.peerId, seq: 1 }])
    await agent.write(2, 4)
    const sinceAck = await bundleOf(agent.replica, { sinceAck: true })
    expect(parseBundle(sinceAck).envelopes.map((b) => openEnvelope(b).seq)).toEqual([2, 3])
    const e2 = await refusal(importBundle(sinceAck, (t) => (t === 'acme' ? hub2.replica : undefined)))
    expect(e2.code).toBe('seq-gap')
    expect(e2.envelope).toMatch(/^envelope 1 of the bundle /)
    expect(await hub2.replica.log.haveVector()).toEqual({})
    // Into the hub that holds 1 and 2, it brings 3.
    expect(await importBundle(sinceAck, replicaOf)).toMatchObject({ stored: 1, duplicates: 1 })
    await sameFindings(hub, agent, agent.author.peerId)

    // A file cut inside a frame, or with bytes after the last frame.
    const held = await dump(hub)
    const whole = await bundleOf(agent.replica)
    expect((await refusal(importBundle(whole.subarray(0, whole.length - 7), replicaOf))).code).toBe('truncated')
    expect((await refusal(importBundle(Buffer.concat([whole, Buffer.from([0x05, 1, 2])]), replicaOf))).code).toBe('truncated')
    expect((await refusal(importBundle(new Uint8Array(0), replicaOf))).code).toBe('malformed')
    expect(await dump(hub)).toEqual(held)
  })
})
