// Flow control and the hello's gates, against a real agent peer: the test plays the hub on a
// raw libp2p stream, so it can hold back acks, speak another version or claim another role.
import { describe, it, expect, afterEach } from 'vitest'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ACCEPTS, PROTOCOL_VERSION, SYNC_PROTOCOL_ID, MAX_FRAME, type Message } from '../protocol/index.ts'
import { Channel } from './channel.ts'
import { certify, eventually, startPeer, tenantRoot, type TestPeer } from './mesh.test-data.ts'
import type { Role } from '../keys/index.ts'

const peers: TestPeer[] = []
const nodes: Libp2p[] = []
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()))
  await Promise.all(nodes.splice(0).map((n) => n.stop()))
})

/** A libp2p node that answers the sync protocol with `serve`, playing a hub of `root`. */
async function fakeHub(serve: (ch: Channel, cert: Uint8Array) => Promise<void>, root: ReturnType<typeof tenantRoot>, roles: Role[] = ['hub']): Promise<string> {
  const key = await generateKeyPair('Ed25519')
  const cert = certify(root, peerIdFromPrivateKey(key).toString(), roles)
  const node = await createLibp2p({ privateKey: key, addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  nodes.push(node)
  await node.handle(SYNC_PROTOCOL_ID, (stream) => { serve(new Channel(stream, { maxQueuedBytes: 1024 * MAX_FRAME }), cert.bytes).catch(() => {}) })
  return node.getMultiaddrs()[0]!.toString()
}

const hello = (cert: Uint8Array, over: Partial<Extract<Message, { type: 'hello' }>> = {}): Message =>
  ({ type: 'hello', protocol: PROTOCOL_VERSION, accepts: ACCEPTS, role: 'hub', tenants: ['acme'], certificates: [cert], revocationLists: [], ...over })

describe('flow control', () => {
  it('a receiver that never acks gets at most one window (plus one batch) of envelopes', async () => {
    const root = tenantRoot('acme')
    const window = 256 * 1024
    const [agent] = await Promise.all([startPeer(root, { role: 'agent', windowBytes: window })])
    peers.push(agent!)
    for (let i = 0; i < 40; i++) await agent!.write(300, i * 300) // ~40 envelopes of ~25 KB
    let received = 0
    let envelopes = 0
    let streams = 0
    const addr = await fakeHub(async (ch, cert) => {
      streams++
      await ch.next()
      await ch.send(hello(cert))
      await ch.send({ type: 'have', vector: {} })
      for (;;) {
        const m = await ch.next()
        if (!m) return
        if (m.type === 'envelopes') { envelopes += m.envelopes.length; received += m.envelopes.reduce((n, e) => n + e.length, 0) }
      }
    }, root)
    agent!.peer.connect(addr)
    await eventually(() => received > 0, 10_000, 'first envelopes')
    await new Promise((r) => setTimeout(r, 1000))
    expect(streams).toBe(1)
    const held = await agent!.replica.log.sizeOf(`findings/${agent!.author.peerId}`)
    expect(held.bytes).toBeGreaterThan(4 * window)
    // The window, plus at most one envelope that did not fit it.
    expect(received).toBeLessThanOrEqual(window + held.bytes / held.envelopes * 1.5)
    expect(envelopes).toBeLessThan(held.envelopes / 2)
  })
})

describe('hello gates at the dialing agent', () => {
  const cases: [string, (cert: Uint8Array) => Message, Role[], string][] = [
    ['a peer from another major version', (c) => hello(c, { protocol: '2.0.0', accepts: '^2.0.0' }), ['hub'], 'bad-version'],
    ['a peer claiming hub without the role', (c) => hello(c), ['agent'], 'role-not-allowed'],
    ['a plain agent (agents sync only with hubs and relays)', (c) => hello(c, { role: 'agent' }), ['agent'], 'role-not-allowed'],
    ['a peer that sends have before hello', () => ({ type: 'have', vector: {} }), ['hub'], 'hello-required'],
  ]
  for (const [what, answer, roles, code] of cases) {
    it(`refuses ${what}: ${code}`, async () => {
      const root = tenantRoot('acme')
      const agent = await startPeer(root, { role: 'agent' })
      peers.push(agent)
      await agent.write(5)
      let refusal: Message | undefined
      let envelopes = 0
      const addr = await fakeHub(async (ch, cert) => {
        await ch.next()
        await ch.send(answer(cert))
        for (;;) {
          const m = await ch.next().catch(() => undefined)
          if (!m) return
          if (m.type === 'refuse') refusal ??= m
          if (m.type === 'envelopes') envelopes++
        }
      }, root, roles)
      agent.peer.connect(addr)
      await eventually(() => refusal !== undefined, 10_000, 'refusal')
      expect(refusal).toMatchObject({ type: 'refuse', code })
      expect(agent.peer.counters.get(`refused:${code}`)).toBeGreaterThanOrEqual(1)
      expect(envelopes).toBe(0)
    })
  }
})
