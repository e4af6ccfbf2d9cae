// Tenant boundaries past the hello: a well-certified peer bringing another tenant's lists or
// agents, a relay serving a plain agent, and a hub of two tenants, on real peers over loopback:
// nobody receives what its certificate does not entitle it to, and nothing crosses tenants.
import { describe, it, expect } from 'vitest'
import { createRevocationList, decodeCertificate } from '../keys/index.ts'
import { buildEnvelope, findingsDoc } from '../crdt/index.ts'
import type { Message } from '../protocol/index.ts'
import { certify, drain, eventually, helloOf, rawPeer, startPeer, tenantRoot } from './mesh.test-data.ts'

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
      // An agent signing envelopes of docs that are not its own: its tenant's hub docs, another
      // tenant's, another agent's.
      for (const doc of ['acme/triage', 'beta/agents', findingsDoc(foreign.author.peerId)]) {
        const env = buildEnvelope(raw.author, doc, 'yjs', new Uint8Array([0, 0]), undefined, Date.now())
        expect(await refusedWith(await session('agent'), { type: 'envelopes', envelopes: [env.bytes] }), doc).toEqual(['wrong-author'])
      }
      expect(hub.peer.counters.get('envelopes:rejected:wrong-author')).toBe(3)
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

      // An acme relay forwarding the beta agent's certificate and envelopes to this same hub:
      // refused under acme, and nothing lands in either tenant's store.
      const betaEnvs: Uint8Array[] = []
      for await (const b of betaDocs.log.read(findingsDoc(betaAgent.author.peerId), betaAgent.author.peerId)) betaEnvs.push(b)
      const betaBefore = await betaDocs.log.haveVector()
      const ch2 = await raw.open(addr)
      await ch2.send(helloOf('relay', ['acme'], [relayCert.bytes]))
      expect((await drain(ch2, 3000, (m) => m.some((x) => x.type === 'have'))).messages.map((m) => m.type)).toEqual(['hello', 'have'])
      await ch2.send({ type: 'certificates', certificates: [betaAgent.cert.bytes] })
      await ch2.send({ type: 'envelopes', envelopes: betaEnvs })
      const refused = await drain(ch2, 5000)
      await ch2.close()
      expect(refused.messages.map((m) => m.type === 'refuse' ? m.code : m.type)).toEqual(['unknown-author'])
      expect(hub.replica.certificateOf(betaAgent.author.peerId)).toBeUndefined()
      expect(Object.keys(await hub.replica.log.haveVector())).toEqual([findingsDoc(acmeAgent.author.peerId)])
      expect(await betaDocs.log.haveVector()).toEqual(betaBefore)

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

