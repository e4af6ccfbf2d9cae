// Tenant isolation at the door: a real hub holding tenant data, and raw libp2p clients that
// present a certificate of the wrong tenant, of an unknown issuer, an expired one, a revoked
// one or a self-signed one, followed by every message type. Each is refused with its named
// reason, counted, and gets nothing of the tenant: no hello, no have, no envelopes; the hub
// stores nothing of theirs.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { publicKeyOf, sign, type Certificate, type TenantRoot } from '../keys/index.ts'
import { buildEnvelope, findingsDoc } from '../crdt/index.ts'
import { MAX_FRAME, SYNC_PROTOCOL_ID, TAGS, type Message, type MessageType } from '../protocol/index.ts'
import { Channel } from './channel.ts'
import { FEED_DOC } from './advisory-feed.ts'
import { certify, eventually, revoke, startPeer, tenantRoot, type TestPeer } from './mesh.test-data.ts'

const acme = tenantRoot('acme')
let hub: TestPeer
let insider: TestPeer
const clients: Libp2p[] = []

beforeAll(async () => {
  hub = await startPeer(acme, { role: 'hub', listen: true, feed: true })
  insider = await startPeer(acme, { role: 'agent' })
  await insider.write(5)
  insider.peer.connect(hub.peer.multiaddrs()[0]!)
  await eventually(async () => (await hub.findings(insider.author.peerId)) === 5, 10_000, 'tenant data at the hub')
  await hub.replica.feed!.publish(hub.author, ['{"id":"GHSA-test","modified":"2024-01-01T00:00:00Z"}'])
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.stop()))
  await insider?.close()
  await hub?.close()
})

interface Client { node: Libp2p, peerId: string, seed: Uint8Array, cert: Certificate }

async function client(makeCert: (peerId: string, seed: Uint8Array) => Certificate): Promise<Client> {
  const key = await generateKeyPair('Ed25519')
  const node = await createLibp2p({ privateKey: key, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  clients.push(node)
  const peerId = peerIdFromPrivateKey(key).toString()
  const seed = key.raw.subarray(0, 32)
  return { node, peerId, seed, cert: makeCert(peerId, seed) }
}

/** One message of each type, as a peer with this identity could send it. */
function messages(c: Client): Record<MessageType, Message> {
  const env = buildEnvelope({ peerId: c.peerId, seed: c.seed }, findingsDoc(c.peerId), 'yjs', new Uint8Array([0, 0]), undefined, Date.now())
  return {
    hello: { type: 'hello', protocol: '1.0.0', accepts: '^1.0.0', role: 'agent', tenants: ['acme'], certificates: [c.cert.bytes], revocationLists: [] },
    refuse: { type: 'refuse', code: 'closed', message: 'bye' },
    'revocation-list': { type: 'revocation-list', list: new Uint8Array([1, 2, 3]) },
    have: { type: 'have', vector: { [findingsDoc(insider.author.peerId)]: {} } },
    envelopes: { type: 'envelopes', envelopes: [env.bytes] },
    ack: { type: 'ack', acks: [{ doc: findingsDoc(insider.author.peerId), author: insider.author.peerId, seq: 1 }] },
    want: { type: 'want', doc: findingsDoc(insider.author.peerId), author: insider.author.peerId, fromSeq: 1 },
    advisories: { type: 'advisories', update: env.bytes },
    ping: { type: 'ping', nonce: 1 },
    pong: { type: 'pong', nonce: 1 },
    certificates: { type: 'certificates', certificates: [c.cert.bytes] },
  }
}

/** Opens a sync stream, sends `send`, and collects what comes back until the hub closes it. */
async function exchange(c: Client, send: Message[], waitMs = 5000): Promise<Message[]> {
  const stream = await c.node.dialProtocol(multiaddr(hub.peer.multiaddrs()[0]!), SYNC_PROTOCOL_ID)
  const ch = new Channel(stream, { maxQueuedBytes: 4 * MAX_FRAME })
  for (const m of send) await ch.send(m).catch(() => {})
  const got: Message[] = []
  const deadline = AbortSignal.timeout(waitMs)
  for (;;) {
    const m = await ch.next(deadline).catch(() => undefined)
    if (!m) break
    got.push(m)
  }
  await ch.close()
  return got
}

const BAD: [string, (peerId: string, seed: Uint8Array) => Certificate, string][] = [
  ['a certificate of another tenant', (id) => certify(tenantRoot('globex'), id, ['agent']), 'wrong-tenant'],
  ['a certificate from an unknown issuer (another key calling itself acme)', (id) => certify(tenantRoot('acme'), id, ['agent']), 'unknown-issuer'],
  ['an expired certificate', (id) => certify(acme, id, ['agent'], { notBefore: Date.now() - 3 * 86_400_000, notAfter: Date.now() - 86_400_000 }), 'expired'],
  ['a revoked certificate', (id) => certify(acme, id, ['agent'], { serial: 4242 }), 'revoked'],
  ['a self-signed certificate', (id, seed) => certify({ tenant: 'acme', publicKey: publicKeyOf(seed), sign: (b) => sign(seed, b) } satisfies TenantRoot, id, ['agent']), 'unknown-issuer'],
]

const TYPES = Object.keys(TAGS) as MessageType[]

describe('tenant isolation: every message type behind a bad certificate', () => {
  for (const [what, makeCert, code] of BAD) {
    it(`${what}: refused as ${code} whatever follows the hello, and given nothing`, async () => {
      const c = await client(makeCert)
      if (code === 'revoked') {
        const list = revoke(acme, hub.replica.revocationList, c.cert)
        await hub.replica.adoptRevocationList(list.bytes)
      }
      const before = hub.peer.counters.get(`refused:${code}`)
      const heldBefore = JSON.stringify(await hub.replica.log.haveVector())
      const msgs = messages(c)
      for (const type of TYPES) {
        const got = await exchange(c, [msgs.hello, msgs[type]])
        expect(got.map((m) => m.type), `${type} after hello`).toEqual(['refuse'])
        expect(got[0]).toMatchObject({ type: 'refuse', code })
      }
      expect(hub.peer.counters.get(`refused:${code}`) - before).toBe(TYPES.length)
      expect(JSON.stringify(await hub.replica.log.haveVector())).toBe(heldBefore)
      expect(hub.replica.certificateOf(c.peerId)).toBeUndefined()
    })
  }

  it('any message before hello is refused as hello-required, with nothing given', async () => {
    const c = await client((id) => certify(acme, id, ['agent']))
    const before = hub.peer.counters.get('refused:hello-required')
    const msgs = messages(c)
    for (const type of TYPES.filter((t) => t !== 'hello' && t !== 'refuse')) {
      const got = await exchange(c, [msgs[type]])
      expect(got.map((m) => m.type), type).toEqual(['refuse'])
      expect(got[0]).toMatchObject({ code: 'hello-required' })
    }
    expect(hub.peer.counters.get('refused:hello-required') - before).toBe(TYPES.length - 2)
  })

  it('a valid certificate for another PeerId than the connected one is subject-mismatch', async () => {
    const other = await client((id) => certify(acme, id, ['agent']))
    const c = await client(() => other.cert)
    const got = await exchange(c, [messages(c).hello])
    expect(got).toEqual([expect.objectContaining({ type: 'refuse', code: 'subject-mismatch' })])
  })

  it('a good agent of the tenant is answered with the hub\'s certificate for that tenant only, and its own docs\' heads', async () => {
    const c = await client((id) => certify(acme, id, ['agent']))
    // A real peer says what it holds after hello; nothing is sent before that.
    const got = await exchange(c, [messages(c).hello, { type: 'have', vector: {} }], 1500)
    const hello = got.find((m) => m.type === 'hello') as Extract<Message, { type: 'hello' }>
    expect(hello.tenants).toEqual(['acme'])
    expect(hello.certificates).toHaveLength(1)
    const have = got.find((m) => m.type === 'have') as Extract<Message, { type: 'have' }>
    // Only its own docs: nothing of the insider's.
    expect(Object.keys(have.vector).sort()).toEqual([findingsDoc(c.peerId), `inventory/${c.peerId}`].sort())
    expect(got.some((m) => m.type === 'envelopes')).toBe(false)
    // The hub hands it the advisory feed (hub-signed), nothing else.
    expect(got.filter((m) => m.type === 'advisories')).toHaveLength(1)
    void FEED_DOC
  })
})
