// A malicious relay against a real hub: the test plays relay R (its own key, a valid relay
// certificate of the tenant) holding agent A's real envelope bytes, and tampers with them:
// flipped bytes, a dropped envelope, replays, reordering, re-signing with its own key. The
// hub must take nothing false (its doc of A is exactly what A signed, up to what verified),
// count why, and still take everything from an honest path afterwards.
import { describe, it, expect, beforeEach, afterEach } from 'vitest'
import * as Y from 'yjs'
import { buildEnvelope, findingsDoc, hashOf, openEnvelope } from '../crdt/index.ts'
import { sign } from '../keys/index.ts'
import { encodeEnvelope, type Message } from '../protocol/index.ts'
import type { Channel } from './channel.ts'
import { certify, drain, eventually, helloOf, rawPeer, revoke, startPeer, tenantRoot, type RawPeer, type TestPeer } from './mesh.test-data.ts'

type Refuse = Extract<Message, { type: 'refuse' }>

describe('a malicious relay', () => {
  const root = tenantRoot('acme')
  let hub: TestPeer
  let agent: TestPeer
  let relay: RawPeer
  let addr: string
  let doc: string
  let a: string
  /** A's four envelopes (seq 1…4), as A's replica holds them. */
  let envs: Uint8Array[]
  const closers: (() => Promise<void>)[] = []

  beforeEach(async () => {
    hub = await startPeer(root, { role: 'hub', listen: true })
    agent = await startPeer(root, { role: 'agent' })
    relay = await rawPeer()
    closers.push(() => hub.close(), () => agent.close(), () => relay.stop())
    addr = hub.peer.multiaddrs()[0]!
    a = agent.author.peerId
    doc = findingsDoc(a)
    for (let i = 0; i < 4; i++) await agent.write(3, 3 * i)
    envs = []
    for await (const b of agent.replica.log.read(doc, a)) envs.push(b)
    expect(envs.map((b) => openEnvelope(b).seq)).toEqual([1, 2, 3, 4])
  })
  afterEach(async () => { for (const fn of closers.splice(0).reverse()) await fn().catch(() => {}) })

  /** R in session with the hub as a relay, having forwarded A's certificate (as a relay does). */
  async function asRelay(opts: { roles?: ('agent' | 'relay')[], forwardCert?: boolean } = {}): Promise<Channel> {
    const roles = opts.roles ?? ['agent', 'relay']
    const ch = await relay.open(addr)
    await ch.send(helloOf(roles.includes('relay') ? 'relay' : 'agent', ['acme'], [certify(root, relay.peerId, roles).bytes]))
    const got = await drain(ch, 3000, (m) => m.some((x) => x.type === 'have'))
    expect(got.messages.map((m) => m.type).filter((t) => t !== 'revocation-list')).toEqual(['hello', 'have'])
    if (opts.forwardCert ?? true) await ch.send({ type: 'certificates', certificates: [agent.cert.bytes] })
    return ch
  }

  /** Sends envelopes and expects the hub to refuse the session with `code` (one of `codes`). */
  async function refusedFor(ch: Channel, envelopes: Uint8Array[], codes: string[]): Promise<string> {
    await ch.send({ type: 'envelopes', envelopes })
    const got = await drain(ch, 5000)
    await ch.close()
    const refuse = got.messages.find((m): m is Refuse => m.type === 'refuse')
    expect(refuse, `refused (got ${got.messages.map((m) => m.type)})`).toBeDefined()
    expect(codes).toContain(refuse!.code)
    expect(got.end).toBe('ended')
    // Nothing after the refusal, and no ack of anything it refused.
    expect(got.messages.at(-1)).toBe(refuse)
    return refuse!.code
  }

  /** Sends envelopes and waits for the hub's answer (acks and wants) without the session ending. */
  async function answered(ch: Channel, envelopes: Uint8Array[], until: (m: Message[]) => boolean): Promise<Message[]> {
    await ch.send({ type: 'envelopes', envelopes })
    const got = await drain(ch, 5000, until)
    expect(got.end, `answer: ${JSON.stringify(got.messages.map((m) => m.type))}`).toBe('until')
    return got.messages.filter((m) => m.type !== 'ping' && m.type !== 'pong')
  }

  const acked = (ms: Message[]) => ms.flatMap((m) => m.type === 'ack' ? m.acks.filter((x) => x.doc === doc && x.author === a).map((x) => x.seq) : [])
  const wanted = (ms: Message[]) => ms.flatMap((m) => m.type === 'want' ? [m.fromSeq] : [])

  /** The hub holds exactly A's first `k` envelopes, byte for byte, and its doc is what they make. */
  async function hubHolds(k: number): Promise<void> {
    const held: Uint8Array[] = []
    for await (const b of hub.replica.log.read(doc, a)) held.push(b)
    expect(held.map((b) => Buffer.from(b).toString('hex'))).toEqual(envs.slice(0, k).map((b) => Buffer.from(b).toString('hex')))
    const want = new Y.Doc()
    for (const b of envs.slice(0, k)) Y.applyUpdate(want, openEnvelope(b).payload)
    const got = await hub.replica.log.doc(doc)
    if (k === 0) { expect(got).toBeUndefined(); return }
    expect(Buffer.from(Y.encodeStateVector(got!)).equals(Buffer.from(Y.encodeStateVector(want)))).toBe(true)
    expect(got!.getMap('findings').toJSON()).toEqual(want.getMap('findings').toJSON())
    expect(got!.getMap('findings').size).toBe(3 * k)
  }

  /** The honest path: A itself reaches the hub, and the hub ends up with exactly A's doc. */
  async function honestAgent(): Promise<void> {
    agent.peer.connect(addr)
    await eventually(async () => (await hub.replica.log.head(doc, a))?.seq === 4, 10_000, 'A\'s envelopes from A')
    await hubHolds(4)
    const mine = (await agent.replica.log.doc(doc))!.getMap('findings').toJSON()
    expect((await hub.replica.log.doc(doc))!.getMap('findings').toJSON()).toEqual(mine)
  }

  const rejected = (code: string) => hub.peer.counters.get(`envelopes:rejected:${code}`)

  it('flips one byte anywhere in an envelope: refused every time, and the right bytes still get in', async () => {
    const target = envs[1]!
    // Every 7th byte, the first and the last few (sig), across the outer map, body fields, payload and signature.
    const positions = [...new Set([0, 1, 2, 3, ...Array.from({ length: Math.ceil(target.length / 7) }, (_, i) => i * 7), target.length - 2, target.length - 1])].filter((p) => p < target.length)
    const seen = new Map<string, number>()
    for (const p of positions) {
      const bad = new Uint8Array(target)
      bad[p]! ^= 0x01 << (p % 8)
      const ch = await asRelay()
      const before = hub.peer.counters.snapshot()
      const code = await refusedFor(ch, [envs[0]!, bad], ['malformed', 'bad-signature', 'unknown-author', 'wrong-author'])
      seen.set(code, (seen.get(code) ?? 0) + 1)
      expect(rejected(code), `byte ${p}`).toBe((before[`envelopes:rejected:${code}`] ?? 0) + 1)
      expect(hub.peer.counters.get(`refused:${code}`)).toBe((before[`refused:${code}`] ?? 0) + 1)
      await hubHolds(1)
    }
    // Flips in the signature or payload fail the signature; flips in the msgpack framing fail decoding.
    expect(seen.get('bad-signature')).toBeGreaterThan(positions.length / 2)
    expect(seen.has('malformed')).toBe(true)
    // R then hands the right bytes: all of them are taken.
    const ch = await asRelay()
    const ms = await answered(ch, envs.slice(1), (m) => acked(m).includes(4))
    expect(wanted(ms)).toEqual([])
    await ch.close()
    await hubHolds(4)
  })

  it('drops one (1, 2, 4): the hub stores 1 and 2, asks for 3, and takes 3 and 4 when they come', async () => {
    const ch = await asRelay()
    const ms = await answered(ch, [envs[0]!, envs[1]!, envs[3]!], (m) => wanted(m).length > 0 && acked(m).length > 0)
    expect(acked(ms)).toEqual([2])
    expect(wanted(ms)).toEqual([3])
    expect(rejected('seq-gap')).toBe(1)
    await hubHolds(2)
    // The gap alone never lets 4 in: sent again on its own, still a gap.
    const again = await answered(ch, [envs[3]!], (m) => wanted(m).length > 0)
    expect(wanted(again)).toEqual([3])
    await hubHolds(2)
    const rest = await answered(ch, [envs[2]!, envs[3]!], (m) => acked(m).includes(4))
    expect(wanted(rest)).toEqual([])
    await ch.close()
    await hubHolds(4)
    expect(hub.peer.counters.get('envelopes:accepted')).toBe(4)
  })

  it('replays: the same bytes are a duplicate; changed bytes at a held seq are refused, signed by A or not', async () => {
    const ch = await asRelay()
    expect(acked(await answered(ch, [envs[0]!, envs[1]!], (m) => acked(m).includes(2)))).toEqual([2])
    await hubHolds(2)
    // The very same envelope again: harmless, counted as a duplicate.
    expect(acked(await answered(ch, [envs[0]!], (m) => acked(m).length > 0))).toEqual([2])
    expect(hub.peer.counters.get('envelopes:duplicate')).toBe(1)
    // An old envelope with its payload changed (A's signature kept): bad signature.
    const old = openEnvelope(envs[0]!)
    const otherPayload = (() => { const d = new Y.Doc(); d.getMap('findings').set('f-evil', { id: 'evil', severity: 'low' }); return Y.encodeStateAsUpdate(d) })()
    const changed = encodeEnvelope(buildEnvelope({ peerId: a, seed: new Uint8Array(32).fill(9) }, doc, 'yjs', otherPayload, undefined, old.ts).body, old.sig)
    expect(await refusedFor(ch, [changed], ['bad-signature'])).toBe('bad-signature')
    await hubHolds(2)
    // A fork: a different envelope 2, validly signed by A (say R kept one from a restored
    // backup of A), is a replay of a held seq with other bytes.
    const fork = buildEnvelope(agent.author, doc, 'yjs', otherPayload, { seq: 1, hash: hashOf(old) }, old.ts + 1)
    const ch2 = await asRelay()
    expect(await refusedFor(ch2, [fork.bytes], ['replay'])).toBe('replay')
    expect(rejected('replay')).toBe(1)
    await hubHolds(2)
    await honestAgent()
  })

  it('reorders: nothing is stored out of order, the hub asks from the first missing seq', async () => {
    const ch = await asRelay()
    const first = await answered(ch, [envs[1]!, envs[0]!, envs[2]!, envs[3]!], (m) => wanted(m).length > 0)
    expect(wanted(first)).toEqual([1])
    expect(acked(first)).toEqual([])
    await hubHolds(0)
    const second = await answered(ch, [envs[0]!, envs[2]!, envs[1]!, envs[3]!], (m) => wanted(m).length > 0 && acked(m).length > 0)
    expect(acked(second)).toEqual([1])
    expect(wanted(second)).toEqual([2])
    await hubHolds(1)
    expect(rejected('seq-gap')).toBe(2)
    // In order at last.
    expect(acked(await answered(ch, envs.slice(1), (m) => acked(m).includes(4)))).toEqual([4])
    await ch.close()
    await hubHolds(4)
  })

  it('re-signs with its own key: A\'s content under R\'s signature, or as R\'s own writing on A\'s doc, is refused', async () => {
    const ch = await asRelay()
    expect(acked(await answered(ch, [envs[0]!], (m) => acked(m).length > 0))).toEqual([1])
    const second = openEnvelope(envs[1]!)
    // Author A, signed by R.
    const resigned = encodeEnvelope(second.body, sign(relay.author.seed, second.body))
    expect(await refusedFor(ch, [resigned], ['bad-signature'])).toBe('bad-signature')
    await hubHolds(1)
    // Author R, on A's doc: the chain is R's own, the signature is good, the doc is not R's to write.
    const asR = buildEnvelope(relay.author, doc, 'yjs', second.payload, undefined, second.ts)
    const ch2 = await asRelay()
    expect(await refusedFor(ch2, [asR.bytes], ['wrong-author'])).toBe('wrong-author')
    expect(rejected('wrong-author')).toBe(1)
    expect(await hub.replica.log.head(doc, relay.peerId)).toBeUndefined()
    await hubHolds(1)
    // R sending the right bytes afterwards is fine.
    const ch3 = await asRelay()
    expect(acked(await answered(ch3, envs.slice(1), (m) => acked(m).includes(4)))).toEqual([4])
    await ch3.close()
    await hubHolds(4)
  })

  it('forwards without A\'s certificate, or without the relay role: refused, then the honest path works', async () => {
    const ch = await asRelay({ forwardCert: false })
    expect(await refusedFor(ch, envs, ['unknown-author'])).toBe('unknown-author')
    await hubHolds(0)
    const ch2 = await asRelay({ roles: ['agent'] })
    expect(await refusedFor(ch2, envs, ['wrong-author'])).toBe('wrong-author')
    await hubHolds(0)
    await honestAgent()
  })

  it('forwards the envelopes of a revoked author: refused as revoked (its certificate is not learnt either)', async () => {
    expect(await hub.replica.adoptRevocationList(revoke(root, undefined, agent.cert).bytes)).toBe(true)
    const ch = await asRelay()
    expect(await refusedFor(ch, envs, ['revoked'])).toBe('revoked')
    expect(hub.peer.counters.get('certificates:rejected:revoked')).toBe(1)
    expect(rejected('revoked')).toBe(1)
    expect(hub.replica.certificateOf(a)).toBeUndefined()
    await hubHolds(0)
  })
})
