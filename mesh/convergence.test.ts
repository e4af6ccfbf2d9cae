// Seeded random histories over real peers: a hub, agent A, relay B and agent C that reaches
// only B, each on its own LevelDB directory. Connects and disconnects (stop, then start again
// on the same directory), kills (the store closed first, no checkpoint), dropped links and
// scans (new, changed, now and then big) in random order; once all run again, the hub's docs
// equal each agent's, nothing is duplicated, and no ack ever claimed more than the hub holds.
// A failure names its seed and the history; ZT_MESH_SEEDS=7,8 runs just those.
import { describe, it, expect } from 'vitest'
import * as Y from 'yjs'
import { findingsDoc } from '../crdt/index.ts'
import { eventually, restartPeer, startPeer, tenantRoot, type TestPeer } from './mesh.test-data.ts'

const SEEDS = process.env.ZT_MESH_SEEDS ? process.env.ZT_MESH_SEEDS.split(',').map(Number) : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
const STEPS = Number(process.env.ZT_MESH_STEPS ?? 24)

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Name = 'hub' | 'A' | 'B' | 'C'
interface Slot { name: Name, peer: TestPeer, up: boolean, written: number, version: number }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function docState(p: TestPeer, agent: string): Promise<{ sv: string, findings: unknown } | undefined> {
  const d = await p.replica.log.doc(findingsDoc(agent))
  return d && { sv: Buffer.from(Y.encodeStateVector(d)).toString('hex'), findings: d.getMap('findings').toJSON() }
}

async function run(seed: number, trace: string[]): Promise<void> {
  const rnd = random(seed)
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const root = tenantRoot('acme')
  const slots = new Map<Name, Slot>()
  const addrOf = (name: Name) => { const p = slots.get(name)!.peer; return `/ip4/127.0.0.1/tcp/${p.port}/p2p/${p.author.peerId}` }
  const dial = (s: Slot) => {
    if (s.name === 'A' || s.name === 'B') s.peer.peer.connect(addrOf('hub'))
    if (s.name === 'C') s.peer.peer.connect(addrOf('B'))
  }
  try {
    const [hub, b, a, c] = await Promise.all([
      startPeer(root, { role: 'hub', listen: true }),
      startPeer(root, { role: 'relay', certRoles: ['agent', 'relay'], listen: true }),
      startPeer(root, { role: 'agent' }),
      startPeer(root, { role: 'agent' }),
    ])
    for (const [name, peer] of [['hub', hub], ['A', a], ['B', b], ['C', c]] as const) slots.set(name, { name, peer, up: true, written: 0, version: 0 })
    for (const s of slots.values()) dial(s)

    for (let step = 0; step < STEPS; step++) {
      const up = [...slots.values()].filter((s) => s.up)
      const down = [...slots.values()].filter((s) => !s.up)
      const writers = up.filter((s) => s.name !== 'hub')
      const r = rnd()
      if (r < 0.4 && writers.length > 0) {
        const s = pick(writers)
        if (s.written > 0 && rnd() < 0.4) {
          // A rescan that changes some findings it had.
          const from = Math.floor(rnd() * s.written)
          const n = Math.min(s.written - from, 1 + Math.floor(rnd() * 10))
          s.version++
          trace.push(`${step}: ${s.name} changes ${n} from ${from}`)
          await s.peer.write(n, from, s.version)
        } else {
          // Now and then a big scan, so that stops and kills land in the middle of a transfer.
          const n = rnd() < 0.15 ? 200 + Math.floor(rnd() * 400) : 1 + Math.floor(rnd() * 40)
          trace.push(`${step}: ${s.name} scans ${n} new`)
          await s.peer.write(n, s.written, s.version)
          s.written += n
        }
      } else if (r < 0.6 && up.length > 0) {
        const s = pick(up)
        const kill = rnd() < 0.5
        trace.push(`${step}: ${kill ? 'kill' : 'stop'} ${s.name}`)
        s.up = false
        await (kill ? s.peer.kill() : s.peer.stop())
      } else if (r < 0.7) {
        // The link drops (no refusal, no goodbye): the listener hangs up on the dialer.
        const [listener, dialer] = pick([['hub', 'A'], ['hub', 'B'], ['B', 'C']] as const)
        const l = slots.get(listener)!
        const d = slots.get(dialer)!
        trace.push(`${step}: drop ${listener}-${dialer}`)
        if (l.up) await l.peer.peer.disconnect(d.peer.author.peerId)
      } else if (r < 0.92 && down.length > 0) {
        const s = pick(down)
        trace.push(`${step}: start ${s.name}`)
        s.peer = await restartPeer(root, s.peer)
        s.up = true
        dial(s)
      } else {
        const ms = Math.floor(rnd() * 300)
        trace.push(`${step}: wait ${ms} ms`)
        await sleep(ms)
      }
      await sleep(Math.floor(rnd() * 80))
    }

    trace.push('all up')
    for (const s of slots.values()) {
      if (s.up) continue
      s.peer = await restartPeer(root, s.peer)
      s.up = true
      dial(s)
    }
    const hubPeer = slots.get('hub')!.peer
    const agents = (['A', 'B', 'C'] as const).map((n) => slots.get(n)!)
    // What each agent wrote survived its stops and kills.
    for (const s of agents) expect(await s.peer.findings(s.peer.author.peerId), `${s.name}'s own findings`).toBe(s.written)
    let last = ''
    try {
      await eventually(async () => {
        const diffs: string[] = []
        for (const s of agents) {
          const mine = await docState(s.peer, s.peer.author.peerId)
          const atHub = await docState(hubPeer, s.peer.author.peerId)
          if (JSON.stringify(mine) !== JSON.stringify(atHub)) diffs.push(`${s.name}: hub has ${await hubPeer.findings(s.peer.author.peerId)} of ${s.written}`)
        }
        last = diffs.join('; ')
        return diffs.length === 0
      }, 12_000, 'the hub to equal every agent')
    } catch (err) {
      throw new Error(`${(err as Error).message}: ${last}`)
    }
    for (const s of agents) {
      const doc = findingsDoc(s.peer.author.peerId)
      // Nothing duplicated: the hub holds each envelope once, as many as the author made.
      expect((await hubPeer.replica.log.sizeOf(doc)).envelopes, `${s.name}'s envelopes at the hub`).toBe((await s.peer.replica.log.sizeOf(doc)).envelopes)
      // Acks say what is durable: never more than the hub holds, through its kills.
      for (const [d, byAuthor] of Object.entries(await s.peer.replica.acked())) {
        for (const [author, seq] of Object.entries(byAuthor)) expect(seq, `${s.name}'s ack of ${d}`).toBeLessThanOrEqual((await hubPeer.replica.log.head(d, author))?.seq ?? 0)
      }
    }
    // The relay holds what C wrote, as C has it.
    const cPeer = slots.get('C')!.peer
    if (slots.get('C')!.written > 0) expect(await docState(slots.get('B')!.peer, cPeer.author.peerId)).toEqual(await docState(cPeer, cPeer.author.peerId))
  } finally {
    await Promise.all([...slots.values()].map((s) => s.peer.close().catch(() => {})))
  }
}

describe('convergence under random connects, disconnects, kills and scans', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, async () => {
      const trace: string[] = []
      try {
        await run(seed, trace)
        if (process.env.ZT_MESH_TRACE) console.log(`seed ${seed}: ${trace.join(', ')}`)
      } catch (err) {
        const e = err as Error
        e.message = `seed ${seed} (rerun: ZT_MESH_SEEDS=${seed}): ${e.message}\nhistory: ${trace.join(', ')}`
        throw e
      }
    }, 30_000)
  }
})
