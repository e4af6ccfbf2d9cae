// Tenant isolation against a real hub on loopback: a peer whose certificate does not prove a
// tenant the hub serves is refused on its hello with the certificate's reason, whatever it
// sends next, is counted, and gets no byte of tenant data; nothing it sends is stored.
// Also: hello first, the certificate's subject is the Noise-authenticated peer, and a hub of
// two tenants answers only for the tenant the peer proved.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { createRevocationList, decodeCertificate, publicKeyOf, sign, type Certificate, type RevocationList, type TenantRoot } from '../keys/index.ts'
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

describe('a well-certified peer bringing another tenant\'s things', () => {
  it('its forged or foreign revocation lists, and another tenant\'s agents relayed, are refused and counted', async () => {
    const root = tenantRoot('acme')
    const beta = tenantRoot('beta')
    const closers: (() => Promise<void>)[] = []
    try {
      const hub = await startPeer(root, { role: 'hub', listen: true })
      const foreign = await startPeer(beta, { role: 'agent' })
      closers.push(() => hub.close(), () => foreign.close())
      await foreign.write(4)
      const foreignEnvs: Uint8Array[] = []
      for await (const b of foreign.replica.log.read(findingsDoc(foreign.author.peerId), foreign.author.peerId)) foreignEnvs.push(b)
      const addr = hub.peer.multiaddrs()[0]!
      const raw = await rawPeer()
      closers.push(() => raw.stop())
      const session = async (role: 'agent' | 'relay') => {
        const ch = await raw.open(addr)
        await ch.send(helloOf(role, ['acme'], [certify(root, raw.peerId, role === 'relay' ? ['agent', 'relay'] : ['agent']).bytes]))
        const got = await drain(ch, 3000, (m) => m.some((x) => x.type === 'have'))
        expect(got.messages.map((m) => m.type)).toEqual(['hello', 'have'])
        return ch
      }
      const refusedWith = async (ch: Awaited<ReturnType<typeof session>>, msg: Message) => {
        await ch.send(msg)
        const got = await drain(ch, 5000)
        await ch.close()
        expect(got.end).toBe('ended')
        return got.messages.flatMap((m) => m.type === 'refuse' ? [m.code] : [])
      }
      // Beta's list (another tenant), and a list for acme signed by a key that is not acme's root.
      for (const list of [createRevocationList(beta, undefined, []), createRevocationList(tenantRoot('acme'), undefined, [])]) {
        expect(await refusedWith(await session('agent'), { type: 'revocation-list', list: list.bytes })).toEqual(['bad-revocation-list'])
        expect(hub.replica.revocationVersion).toBe(0)
      }
      expect(hub.peer.counters.get('refused:bad-revocation-list')).toBe(2)
      // An acme relay forwarding a beta agent's certificate and envelopes: the certificate is
      // not acme's (its issuer is beta's root), so the envelopes' author is unknown here.
      const ch = await session('relay')
      await ch.send({ type: 'certificates', certificates: [foreign.cert.bytes] })
      expect(await refusedWith(ch, { type: 'envelopes', envelopes: foreignEnvs })).toEqual(['unknown-author'])
      expect(hub.peer.counters.get('certificates:rejected:unknown-issuer')).toBe(1)
      expect(hub.replica.certificateOf(foreign.author.peerId)).toBeUndefined()
      expect(await hub.replica.log.haveVector()).toEqual({})
      // Roles: an agent certificate does not make a relay, and hubs do not sync with hubs.
      const asRelay = await raw.open(addr)
      await asRelay.send(helloOf('relay', ['acme'], [certify(root, raw.peerId, ['agent']).bytes]))
      expect((await drain(asRelay, 5000)).messages).toEqual([{ type: 'refuse', code: 'role-not-allowed', message: expect.any(String) }])
      await asRelay.close()
      const asHub = await raw.open(addr)
      await asHub.send(helloOf('hub', ['acme'], [certify(root, raw.peerId, ['hub']).bytes]))
      expect((await drain(asHub, 5000)).messages).toEqual([{ type: 'refuse', code: 'role-not-allowed', message: expect.any(String) }])
      await asHub.close()
      expect(hub.peer.counters.get('refused:role-not-allowed')).toBe(2)
    } finally {
      for (const fn of closers.reverse()) await fn().catch(() => {})
    }
  })
})

describe('a relay and the plain agents it serves', () => {
  it('hands a plain agent nothing of the other agents it keeps', async () => {
    const root = tenantRoot('acme')
    const closers: (() => Promise<void>)[] = []
    try {
      const relay = await startPeer(root, { role: 'relay', certRoles: ['agent', 'relay'], listen: true })
      const kept = await startPeer(root, { role: 'agent' })
      closers.push(() => relay.close(), () => kept.close())
      await kept.write(10)
      await relay.write(2)
      kept.peer.connect(relay.peer.multiaddrs()[0]!)
      await eventually(async () => (await relay.findings(kept.author.peerId)) === 10, 10_000, 'the kept agent at the relay')
      const raw = await rawPeer()
      closers.push(() => raw.stop())
      const ch = await raw.open(relay.peer.multiaddrs()[0]!)
      await ch.send(helloOf('agent', ['acme'], [certify(root, raw.peerId, ['agent']).bytes]))
      await ch.send({ type: 'have', vector: {} })
      await ch.send({ type: 'want', doc: findingsDoc(kept.author.peerId), author: kept.author.peerId, fromSeq: 1 })
      const got = await drain(ch, 1500)
      await ch.close()
      expect(got.end).toBe('timeout')
      expect(got.messages.map((m) => m.type)).toEqual(['hello', 'have'])
      const have = got.messages[1] as Extract<Message, { type: 'have' }>
      expect(Object.keys(have.vector).every((d) => d.endsWith(raw.peerId))).toBe(true)
      const seen = JSON.stringify(got.messages, (_k, v) => v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)
      expect(seen.includes(kept.author.peerId)).toBe(false)
    } finally {
      for (const fn of closers.reverse()) await fn().catch(() => {})
    }
  })
})

describe('a hub serving two tenants', () => {
  it('answers a peer only for the tenant its certificate proves', async () => {
    const acme = tenantRoot('acme')
    const beta = tenantRoot('beta')
    const closers: (() => Promise<void>)[] = []
    try {
      const hub = await startPeer(acme, { role: 'hub', listen: true, also: [beta] })
      closers.push(() => hub.close())
      const addr = hub.peer.multiaddrs()[0]!
      const betaAgent = await startPeer(beta, { role: 'agent' })
      const acmeAgent = await startPeer(acme, { role: 'agent' })
      closers.push(() => betaAgent.close(), () => acmeAgent.close())
      await betaAgent.write(20)
      await acmeAgent.write(5)
      betaAgent.peer.connect(addr)
      acmeAgent.peer.connect(addr)
      const betaDocs = hub.replicas.get('beta')!
      await eventually(async () => (await betaDocs.log.haveVector())[findingsDoc(betaAgent.author.peerId)]?.[betaAgent.author.peerId] === 1, 10_000, 'beta agent at the hub')
      await eventually(async () => (await hub.findings(acmeAgent.author.peerId)) === 5, 10_000, 'acme agent at the hub')
      // The two tenants' stores are apart.
      expect(Object.keys(await hub.replica.log.haveVector())).toEqual([findingsDoc(acmeAgent.author.peerId)])
      expect(await betaDocs.log.haveVector()).toEqual({ [findingsDoc(betaAgent.author.peerId)]: { [betaAgent.author.peerId]: 1 } })
      // A beta revocation list, so there is one to leak.
      expect(await betaDocs.adoptRevocationList(createRevocationList(beta, undefined, []).bytes)).toBe(true)

      // An acme relay (it may see all of acme) that names beta too in its hello.
      const raw = await rawPeer()
      closers.push(() => raw.stop())
      const relayCert = certify(acme, raw.peerId, ['agent', 'relay'])
      const ch = await raw.open(addr)
      await ch.send(helloOf('relay', ['acme', 'beta'], [relayCert.bytes]))
      await ch.send({ type: 'have', vector: {} })
      // A hub hands envelopes to nobody (agents' data flows towards it): hello, then have, then quiet.
      const got = await drain(ch, 1500)
      expect(got.end).toBe('timeout')
      expect(got.messages.map((m) => m.type)).toEqual(['hello', 'have'])
      const hello = got.messages[0] as Extract<Message, { type: 'hello' }>
      expect(hello.type).toBe('hello')
      expect(hello.tenants).toEqual(['acme'])
      expect(hello.certificates.map((c) => decodeCertificate(c).body.tenant)).toEqual(['acme'])
      expect(hello.revocationLists.map((l) => l.tenant)).toEqual(['acme'])
      const have = got.messages.find((m) => m.type === 'have') as Extract<Message, { type: 'have' }>
      expect(Object.keys(have.vector)).toEqual([findingsDoc(acmeAgent.author.peerId)])
      for (const m of got.messages) {
        if (m.type === 'certificates') for (const c of m.certificates) expect(decodeCertificate(c).body.tenant).toBe('acme')
        expect(m.type).not.toBe('revocation-list') // acme has none; beta's is not ours to see
      }
      const seen = Buffer.from(JSON.stringify(got.messages, (_k, v) => v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v))
      expect(seen.includes(betaAgent.author.peerId)).toBe(false)
      expect(seen.includes(Buffer.from(beta.publicKey).toString('latin1'))).toBe(false)
      await ch.close()

      // A real acme relay in session with that hub learns nothing of beta (nor its list).
      const relay = await startPeer(acme, { role: 'relay', certRoles: ['agent', 'relay'] })
      closers.push(() => relay.close())
      const sessions = hub.peer.counters.get('sessions:relay')
      relay.peer.connect(addr)
      await eventually(() => hub.peer.counters.get('sessions:relay') === sessions + 1 && relay.peer.sessions.size === 1, 10_000, 'the relay in session')
      await new Promise((r) => setTimeout(r, 300))
      expect(await relay.replica.log.haveVector()).toEqual({})
      expect(relay.replica.certificates().length).toBe(2) // its own and the hub's
      expect(relay.replica.certificates().every((c) => c.body.tenant === 'acme')).toBe(true)
      expect(relay.replica.revocationVersion).toBe(0)
      // And the beta agent got nothing of acme.
      expect(Object.keys(await betaAgent.replica.log.haveVector())).toEqual([findingsDoc(betaAgent.author.peerId)])
    } finally {
      for (const fn of closers.reverse()) await fn().catch(() => {})
    }
  })
})

