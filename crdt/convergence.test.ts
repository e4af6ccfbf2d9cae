// Seeded random convergence: replicas author envelopes and gossip them over a network
// that loses, duplicates, reorders and delays; after a final anti-entropy round (have-vector
// → missing envelopes in order) every replica holds the same logs and the same docs.
import { describe, it, expect, beforeAll } from 'vitest'
import { MemoryLevel } from 'memory-level'
import * as Y from 'yjs'
import { deltaOf, openAuthorDoc } from './author-doc.ts'
import { findingsDoc } from './doc-names.ts'
import { buildEnvelope, hashOf, type Author, type ChainHead } from './envelope.ts'
import { EnvelopeLog, type Store } from './envelope-log.ts'
import { EnvelopeError } from './errors.ts'
import { newAuthor } from './test-authors.test-data.ts'

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Replica { author: Author, log: EnvelopeLog, doc: Y.Doc, head?: ChainHead, sent: Uint8Array[] }

const policy = { rights: { hubs: new Set<string>() } }
let authors: Author[]
beforeAll(async () => { authors = await Promise.all([0, 1, 2, 3].map(() => newAuthor())) })

async function antiEntropy(from: Replica, to: Replica): Promise<void> {
  const theirs = await to.log.haveVector()
  for (const [doc, byAuthor] of Object.entries(await from.log.haveVector())) {
    for (const [author, seq] of Object.entries(byAuthor)) {
      const held = theirs[doc]?.[author] ?? 0
      if (seq <= held) continue
      // The missing envelopes in one call, as a peer's catch-up delivers them.
      const missing: Uint8Array[] = []
      for await (const bytes of from.log.read(doc, author, held + 1)) missing.push(bytes)
      expect((await to.log.appendMany(missing, policy)).every((r) => r === 'stored' || r === 'duplicate')).toBe(true)
    }
  }
}

async function dump(r: Replica) {
  const have = await r.log.haveVector()
  const chains: Record<string, string[]> = {}
  for (const [doc, byAuthor] of Object.entries(have)) for (const author of Object.keys(byAuthor)) {
    const list: string[] = []
    for await (const b of r.log.read(doc, author)) list.push(Buffer.from(b).toString('hex'))
    chains[`${doc} ${author}`] = list
  }
  const docs: Record<string, unknown> = {}
  for (const doc of Object.keys(have)) {
    const y = new Y.Doc()
    Y.applyUpdate(y, (await r.log.state(doc))!)
    docs[doc] = y.getMap('findings').toJSON()
  }
  return { have, chains, docs }
}

describe('convergence under loss, duplication, reordering and delay', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: all replicas end equal`, async () => {
      const rand = prng(seed)
      const replicas: Replica[] = authors.map((author) => ({
        author, log: new EnvelopeLog(new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' }) as unknown as Store),
        doc: openAuthorDoc(author.peerId), sent: [],
      }))
      const inFlight: { to: Replica, bytes: Uint8Array }[] = []
      let refused = 0
      for (let step = 0; step < 400; step++) {
        const r = replicas[Math.floor(rand() * replicas.length)]!
        const roll = rand()
        if (roll < 0.3) {
          // Author a change: add, resolve or change a finding.
          const key = `f${Math.floor(rand() * 20)}`
          const update = deltaOf(r.doc, () => r.doc.getMap('findings').set(key, { id: key, severity: rand() < 0.5 ? 'high' : 'low', step }))!
          const env = buildEnvelope(r.author, findingsDoc(r.author.peerId), 'yjs', update, r.head, step)
          r.head = { seq: env.seq, hash: hashOf(env) }
          expect(await r.log.append(env, policy)).toBe('stored')
          r.sent.push(env.bytes)
        } else if (roll < 0.7) {
          // Gossip something this replica holds to a random peer; the network may lose or duplicate it.
          const src = replicas[Math.floor(rand() * replicas.length)]!
          if (src.sent.length === 0) continue
          const bytes = src.sent[Math.floor(rand() * src.sent.length)]!
          const to = replicas[Math.floor(rand() * replicas.length)]!
          if (rand() < 0.3) continue
          inFlight.push({ to, bytes })
          if (rand() < 0.2) inFlight.push({ to, bytes })
        } else if (inFlight.length > 0 && rand() < 0.7) {
          // Deliver a random in-flight message: reordering and delay.
          const [msg] = inFlight.splice(Math.floor(rand() * inFlight.length), 1)
          try { await msg!.to.log.append(msg!.bytes, policy) } catch (err) {
            if (!(err instanceof EnvelopeError) || err.code !== 'seq-gap') throw err
            refused++
          }
        } else if (inFlight.length > 0) {
          // Deliver everything in flight to one replica at once, in random order (appendMany).
          const to = inFlight[Math.floor(rand() * inFlight.length)]!.to
          const batch = inFlight.filter((m) => m.to === to).sort(() => rand() - 0.5)
          for (const m of batch) inFlight.splice(inFlight.indexOf(m), 1)
          for (const result of await to.log.appendMany(batch.map((m) => m.bytes), policy)) {
            if (result instanceof EnvelopeError && result.code !== 'seq-gap') throw result
            if (result instanceof EnvelopeError) refused++
          }
        }
      }
      expect(refused).toBeGreaterThan(0)
      for (const a of replicas) for (const b of replicas) if (a !== b) await antiEntropy(a, b)
      const dumps = await Promise.all(replicas.map(dump))
      for (const d of dumps.slice(1)) expect(d).toEqual(dumps[0])
      expect(Object.keys(dumps[0]!.have)).toHaveLength(4)
      // Each replica's doc equals what its author wrote.
      for (const r of replicas) expect(dumps[0]!.docs[findingsDoc(r.author.peerId)]).toEqual(r.doc.getMap('findings').toJSON())
    })
  }
})
