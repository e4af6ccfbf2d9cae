// The test plays a malicious relay: a libp2p peer with a valid relay certificate of the
// tenant, holding a real agent's envelopes, that flips bytes, drops, replays, reorders and
// re-signs them on their way to a real hub. Nothing false is accepted (each named and
// counted), and the honest bytes still get everything in.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import * as Y from 'yjs'
import { buildEnvelope, findingsDoc, openEnvelope, FINDINGS } from '../crdt/index.ts'
import { encodeEnvelope, MAX_FRAME, SYNC_PROTOCOL_ID, type Message } from '../protocol/index.ts'
import { Channel } from './channel.ts'
import { certify, startPeer, tenantRoot, type TestPeer } from './mesh.test-data.ts'

const acme = tenantRoot('acme')
let hub: TestPeer
let agent: TestPeer
let relay: { node: Libp2p, peerId: string, seed: Uint8Array, cert: Uint8Array }
let genuine: Uint8Array[]

beforeAll(async () => {
  hub = await startPeer(acme, { role: 'hub', listen: true })
  agent = await startPeer(acme, { role: 'agent' })
  for (let i = 0; i < 4; i++) await agent.write(10, i * 10)
  genuine = []
  for await (const b of agent.replica.log.read(findingsDoc(agent.author.peerId), agent.author.peerId)) genuine.push(b)
  const key = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key).toString()
  const node = await createLibp2p({ privateKey: key, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  relay = { node, peerId, seed: key.raw.subarray(0, 32), cert: certify(acme, peerId, ['agent', 'relay']).bytes }
})
afterAll(async () => {
  await relay?.node.stop()
  await agent?.close()
  await hub?.close()
})

const doc = () => findingsDoc(agent.author.peerId)
const heldSeq = async () => (await hub.replica.log.head(doc(), agent.author.peerId))?.seq ?? 0

/** A relay session: hello, the agent's certificate, then `envelopes` batches; what came back. */
async function relayed(batches: Uint8Array[][]): Promise<Message[]> {
  const stream = await relay.node.dialProtocol(multiaddr(hub.peer.multiaddrs()[0]!), SYNC_PROTOCOL_ID)
  const ch = new Channel(stream, { maxQueuedBytes: 8 * MAX_FRAME })
  await ch.send({ type: 'hello', protocol: '1.0.0', accepts: '^1.0.0', role: 'relay', tenants: ['acme'], certificates: [relay.cert], revocationLists: [] })
  await ch.send({ type: 'certificates', certificates: [agent.cert.bytes] })
  for (const envelopes of batches) await ch.send({ type: 'envelopes', envelopes }).catch(() => {})
  const got: Message[] = []
  const quiet = AbortSignal.timeout(800)
  for (;;) {
    const m = await ch.next(quiet).catch(() => undefined)
    if (!m) break
    got.push(m)
    if (m.type === 'refuse') break
  }
  await ch.close()
  return got
}

function flipped(bytes: Uint8Array, at: number): Uint8Array {
  const out = Uint8Array.from(bytes)
  out[at] = out[at]! ^ 1
  return out
}

describe('a malicious relay', () => {
  it('gets nothing false accepted, whatever it does to the envelopes, and the honest bytes still get through', async () => {
    const counters = hub.peer.counters
    // A flipped byte, in the payload or in the signature: refused, nothing stored.
    for (const at of [genuine[0]!.length - 10, Math.floor(genuine[0]!.length / 2)]) {
      const got = await relayed([[flipped(genuine[0]!, at)]])
      expect(got.at(-1)).toMatchObject({ type: 'refuse', code: expect.stringMatching(/^(bad-signature|malformed)$/) })
    }
    expect(await heldSeq()).toBe(0)

    // Re-signed by the relay: as the agent (the signature is not the agent's) …
    const env1 = openEnvelope(genuine[0]!)
    const forgedSig = encodeEnvelope(env1.body, (await import('../keys/index.ts')).sign(relay.seed, env1.body))
    expect(await relayed([[forgedSig]])).toContainEqual(expect.objectContaining({ type: 'refuse', code: 'bad-signature' }))
    // … or as itself, into the agent's doc: only the agent writes it.
    const asRelay = buildEnvelope({ peerId: relay.peerId, seed: relay.seed }, doc(), 'yjs', env1.payload, undefined, Date.now())
    expect(await relayed([[asRelay.bytes]])).toContainEqual(expect.objectContaining({ type: 'refuse', code: 'wrong-author' }))
    expect(await heldSeq()).toBe(0)

    // Dropped and reordered: 1 then 3 (2 missing), and 4 before 3: the hub keeps 1, asks for 2.
    const gap = await relayed([[genuine[0]!, genuine[2]!], [genuine[3]!]])
    expect(gap).toContainEqual({ type: 'want', doc: doc(), author: agent.author.peerId, fromSeq: 2 })
    expect(gap).toContainEqual({ type: 'ack', acks: [{ doc: doc(), author: agent.author.peerId, seq: 1 }] })
    expect(await heldSeq()).toBe(1)

    // Replays: the same envelope again is a duplicate; another envelope at a held seq is a fork.
    const again = await relayed([[genuine[0]!]])
    expect(again.some((m) => m.type === 'refuse')).toBe(false)
    const fork = buildEnvelope({ peerId: agent.author.peerId, seed: agent.author.seed }, doc(), 'yjs', new Uint8Array([0, 0]), undefined, Date.now())
    // (a fork needs the agent's key: a relay cannot make one; the agent's own double-signing is still refused)
    expect(await relayed([[fork.bytes]])).toContainEqual(expect.objectContaining({ type: 'refuse', code: 'replay' }))
    expect(await heldSeq()).toBe(1)
    expect(counters.get('envelopes:rejected:bad-signature')).toBeGreaterThanOrEqual(2)
    expect(counters.get('envelopes:rejected:wrong-author')).toBe(1)
    expect(counters.get('envelopes:rejected:seq-gap')).toBeGreaterThanOrEqual(1)
    expect(counters.get('envelopes:rejected:replay')).toBe(1)

    // The honest bytes, in order: everything in, and the hub's doc is the agent's.
    await relayed([genuine.slice(1)])
    expect(await heldSeq()).toBe(genuine.length)
    const theirs = (await hub.replica.log.doc(doc()))!
    const ours = (await agent.replica.log.doc(doc()))!
    expect(theirs.getMap(FINDINGS).toJSON()).toEqual(ours.getMap(FINDINGS).toJSON())
    expect(Buffer.from(Y.encodeStateVector(theirs))).toEqual(Buffer.from(Y.encodeStateVector(ours)))
  })
})
