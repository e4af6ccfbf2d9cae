// Tenant isolation against a real hub on loopback: a peer whose certificate does not prove a
// tenant the hub serves is refused on its hello with the certificate's reason, whatever it
// sends next, is counted, and gets no byte of tenant data; nothing it sends is stored.
// Also: hello first, the certificate's subject is the Noise-authenticated peer, and a hub of
// two tenants answers only for the tenant the peer proved.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { createRevocationList, publicKeyOf, sign, type Certificate, type RevocationList, type TenantRoot } from '../keys/index.ts'
import { findingsDoc } from '../crdt/index.ts'
import type { Message, MessageType } from '../protocol/index.ts'
import { certify, drain, eventually, helloOf, rawPeer, revoke, startPeer, tenantRoot, type RawPeer, type TestPeer } from './mesh.test-data.ts'

const DAY = 86_400_000

/** One message of each type, as a peer with this key and certificate would send it. */
function messagesOf(root: TenantRoot, self: string, cert: Certificate, envelopes: Uint8Array[], crlVersion: number): Record<MessageType, Message> {
  const doc = findingsDoc(self)
  // A list signed by the real root, newer than the hub's: adopting it would show the message was read.
  const newer = createRevocationList(root, { body: { version: crlVersion + 10, entries: [] } } as unknown as RevocationList, [])
  return {
    hello: helloOf('agent', [root.tenant], [cert.bytes]),
    refuse: { type: 'refuse', code: 'bad-version', message: 'go away' },
    'revocation-list': { type: 'revocation-list', list: newer.bytes },
    have: { type: 'have', vector: { [doc]: { [self]: 0 } } },
    envelopes: { type: 'envelopes', envelopes },
    ack: { type: 'ack', acks: [{ doc, author: self, seq: 1 }] },
    want: { type: 'want', doc, author: self, fromSeq: 1 },
    advisories: { type: 'advisories', update: new Uint8Array([1, 2, 3]) },
    ping: { type: 'ping', nonce: 7 },
    pong: { type: 'pong', nonce: 7 },
    certificates: { type: 'certificates', certificates: [cert.bytes] },
  }
}

const TYPES: MessageType[] = ['hello', 'refuse', 'revocation-list', 'have', 'envelopes', 'ack', 'want', 'advisories', 'ping', 'pong', 'certificates']

interface Attacker { peer: TestPeer, raw: RawPeer, envelopes: Uint8Array[] }

describe('tenant isolation at a hub', () => {
  const root = tenantRoot('acme')
  const other = tenantRoot('other')
  let hub: TestPeer
  let addr: string
  const stop: (() => Promise<void>)[] = []

  async function attacker(certRoot: TenantRoot, opts: { cert?: (subject: string) => Certificate, key?: Awaited<ReturnType<typeof generateKeyPair>> } = {}): Promise<Attacker> {
    const peer = await startPeer(certRoot, { role: 'agent', cert: opts.cert, key: opts.key })
    stop.push(() => peer.close())
    await peer.write(3)
    await peer.write(2, 3)
    const envelopes: Uint8Array[] = []
    for await (const b of peer.replica.log.read(findingsDoc(peer.author.peerId), peer.author.peerId)) envelopes.push(b)
    expect(envelopes).toHaveLength(2)
    const raw = await rawPeer(peer.key)
    stop.push(() => raw.stop())
    return { peer, raw, envelopes }
  }

  beforeAll(async () => {
    hub = await startPeer(root, { role: 'hub', listen: true })
    stop.push(() => hub.close())
    addr = hub.peer.multiaddrs()[0]!
  })
  afterAll(async () => { for (const fn of stop.splice(0).reverse()) await fn().catch(() => {}) })

  /** Sends hello then `msg`; the hub must refuse with `code`, close, count it, and store and send nothing else. */
  async function expectRefused(a: Attacker, hello: Message, msg: Message | undefined, code: string): Promise<void> {
    const before = hub.peer.counters.get(`refused:${code}`)
    const crl = hub.replica.revocationVersion
    const ch = await a.raw.open(addr)
    await ch.send(hello)
    if (msg) await ch.send(msg).catch(() => {}) // the hub may have closed already: that is fine
    const got = await drain(ch, 5000)
    await ch.close()
    expect(got.messages.map((m) => m.type), `${msg?.type}: what came back`).toEqual(['refuse'])
    expect((got.messages[0] as Extract<Message, { type: 'refuse' }>).code, `${msg?.type}: refusal code`).toBe(code)
    expect(got.end, `${msg?.type}: the stream closes`).toBe('ended')
    await eventually(() => hub.peer.counters.get(`refused:${code}`) === before + 1, 2000, `refused:${code} counted`)
    expect(await hub.replica.log.haveVector()).toEqual({})
    expect(hub.replica.certificateOf(a.raw.peerId)).toBeUndefined()
    expect(hub.replica.revocationVersion).toBe(crl)
    expect(hub.peer.sessions.size).toBe(0)
  }

  // What keys/ answers for each bad certificate (keys/certificate.ts, keys/signed-body.ts):
  // the issuer named in the body is compared with the tenant's root before the signature,
  // so a self-signed certificate is an unknown issuer.
  const kinds: { name: string, code: string, make: () => Promise<Attacker> }[] = [
    { name: 'wrong tenant', code: 'wrong-tenant', make: () => attacker(other) },
    { name: 'unknown issuer (same tenant name, another root key)', code: 'unknown-issuer', make: () => attacker(tenantRoot('acme')) },
    {
      name: 'expired', code: 'expired',
      make: () => attacker(root, { cert: (s) => certify(root, s, ['agent'], { notBefore: Date.now() - 10 * DAY, notAfter: Date.now() - DAY }) }),
    },
    {
      name: 'revoked', code: 'revoked',
      make: async () => {
        const a = await attacker(root)
        expect(await hub.replica.adoptRevocationList(revoke(root, hub.replica.revocationList, a.peer.cert).bytes)).toBe(true)
        return a
      },
    },
    {
      name: 'self-signed', code: 'unknown-issuer',
      make: async () => {
        const key = await generateKeyPair('Ed25519')
        const seed = key.raw.subarray(0, 32)
        const own: TenantRoot = { tenant: 'acme', publicKey: publicKeyOf(seed), sign: (b) => sign(seed, b) }
        return attacker(own, { key, cert: (s) => certify(own, s, ['agent', 'relay', 'hub']) })
      },
    },
  ]

  for (const kind of kinds) {
    it(`refuses a ${kind.name} certificate with ${kind.code}, whatever comes after the hello`, async () => {
      const a = await kind.make()
      const certRoot = a.peer.replica.tenant === 'acme' ? root : other
      const msgs = messagesOf(certRoot, a.raw.peerId, a.peer.cert, a.envelopes, hub.replica.revocationVersion)
      for (const type of TYPES) await expectRefused(a, msgs.hello, msgs[type], kind.code)
      // Claiming the hub's tenant too: the same.
      await expectRefused(a, helloOf('agent', ['acme', 'other'], [a.peer.cert.bytes]), msgs.envelopes, kind.code)
    })
  }

  it('a well-certified peer that does not start with hello is refused with hello-required', async () => {
    const a = await attacker(root)
    const msgs = messagesOf(root, a.raw.peerId, a.peer.cert, a.envelopes, hub.replica.revocationVersion)
    for (const type of TYPES) {
      if (type === 'hello') continue
      const ch = await a.raw.open(addr)
      if (type === 'refuse') {
        // A refusal is the peer's last word: answered with nothing, the stream closes, and it is counted.
        const before = hub.peer.counters.get('refused-by-peer:bad-version')
        await ch.send(msgs.refuse)
        const got = await drain(ch, 5000)
        await ch.close()
        expect(got).toEqual({ messages: [], end: 'ended' })
        expect(hub.peer.counters.get('refused-by-peer:bad-version')).toBe(before + 1)
        continue
      }
      const before = hub.peer.counters.get('refused:hello-required')
      await ch.send(msgs[type])
      await ch.send(msgs.hello).catch(() => {}) // a hello after it comes too late
      const got = await drain(ch, 5000)
      await ch.close()
      expect(got.messages, type).toEqual([{ type: 'refuse', code: 'hello-required', message: expect.stringContaining(type) }])
      expect(got.end).toBe('ended')
      await eventually(() => hub.peer.counters.get('refused:hello-required') === before + 1, 2000, 'hello-required counted')
      expect(await hub.replica.log.haveVector()).toEqual({})
    }
    // The same peer saying hello first is welcome: the refusals above were about the order only.
    const ch = await a.raw.open(addr)
    await ch.send(msgs.hello)
    const got = await drain(ch, 3000, (m) => m.some((x) => x.type === 'have'))
    expect(got.messages[0]!.type).toBe('hello')
    expect(got.messages.map((m) => m.type).filter((t) => t !== 'revocation-list')).toEqual(['hello', 'have'])
    await ch.send(msgs.envelopes)
    await eventually(async () => (await hub.findings(a.raw.peerId)) === 5, 3000, 'envelopes after a proper hello')
    await ch.close()
  })

  it('refuses a certificate of another PeerId with subject-mismatch', async () => {
    const victim = await attacker(root)
    const thief = await rawPeer()
    stop.push(() => thief.stop())
    const before = hub.peer.counters.get('refused:subject-mismatch')
    const ch = await thief.open(addr)
    await ch.send(helloOf('agent', ['acme'], [victim.peer.cert.bytes]))
    await ch.send({ type: 'envelopes', envelopes: victim.envelopes }).catch(() => {})
    const got = await drain(ch, 5000)
    await ch.close()
    expect(got.messages.map((m) => m.type === 'refuse' ? m.code : m.type)).toEqual(['subject-mismatch'])
    expect(got.end).toBe('ended')
    await eventually(() => hub.peer.counters.get('refused:subject-mismatch') === before + 1, 2000, 'counted')
    expect(await hub.findings(victim.raw.peerId)).toBe(0)
  })
})
