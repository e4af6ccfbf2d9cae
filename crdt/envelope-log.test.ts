import { describe, it, expect, beforeAll } from 'vitest'
import { MemoryLevel } from 'memory-level'
import * as Y from 'yjs'
import { encodeEnvelope, signedBytes } from '../protocol/index.ts'
import { deltaOf, openAuthorDoc } from './author-doc.ts'
import { findingsDoc } from './doc-names.ts'
import { buildEnvelope, hashOf, type Author, type ChainHead } from './envelope.ts'
import { EnvelopeLog, type Store } from './envelope-log.ts'
import { EnvelopeError } from './errors.ts'
import { failingBatches } from './failing-store.test-data.ts'
import { newAuthor } from './test-authors.test-data.ts'

let alice: Author
let mallory: Author
const policy = { rights: { hubs: new Set<string>() } }

beforeAll(async () => { alice = await newAuthor(); mallory = await newAuthor() })

function newLog(): EnvelopeLog {
  return new EnvelopeLog(new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' }) as unknown as Store)
}

/** Three envelopes of alice on her findings doc, each adding one finding. */
function chain(author: Author, n = 3): Uint8Array[] {
  const doc = openAuthorDoc(author.peerId)
  const out: Uint8Array[] = []
  let head: ChainHead | undefined
  for (let i = 1; i <= n; i++) {
    const update = deltaOf(doc, () => doc.getMap('findings').set(`f${i}`, { id: `f${i}`, severity: 'high' }))!
    const env = buildEnvelope(author, findingsDoc(author.peerId), 'yjs', update, head, 1_700_000_000_000 + i)
    head = { seq: env.seq, hash: hashOf(env) }
    out.push(env.bytes)
  }
  return out
}

async function code(p: Promise<unknown>): Promise<string> {
  return p.then(() => 'ok', (err) => { if (err instanceof EnvelopeError) return err.code; throw err })
}

async function snapshot(log: EnvelopeLog, doc: string) {
  const state = await log.state(doc)
  return { have: await log.haveVector(), state: state && Buffer.from(state).toString('hex') }
}

describe('envelope log', () => {
  it('stores a verified chain, materializes the doc, answers have-vectors and ranges', async () => {
    const log = newLog()
    const envs = chain(alice)
    for (const e of envs) expect(await log.append(e, policy)).toBe('stored')
    expect(await log.append(envs[1]!, policy)).toBe('duplicate')
    const doc = findingsDoc(alice.peerId)
    expect(await log.haveVector()).toEqual({ [doc]: { [alice.peerId]: 3 } })
    const y = new Y.Doc()
    Y.applyUpdate(y, (await log.state(doc))!)
    expect([...y.getMap('findings').keys()].sort()).toEqual(['f1', 'f2', 'f3'])
    const got: Uint8Array[] = []
    for await (const b of log.read(doc, alice.peerId, 2)) got.push(b)
    expect(got.map((b) => Buffer.from(b).toString('hex'))).toEqual(envs.slice(1).map((b) => Buffer.from(b).toString('hex')))
  })

  it('refuses forged, altered, replayed, out-of-chain, gapped and wrong-author envelopes, changing nothing', async () => {
    const log = newLog()
    const envs = chain(alice)
    await log.append(envs[0]!, policy)
    const doc = findingsDoc(alice.peerId)
    const before = await snapshot(log, doc)
    // Altered: one payload byte flipped (the signature no longer covers it).
    const altered = new Uint8Array(envs[1]!)
    altered[altered.length - 80]! ^= 1
    expect(['bad-signature', 'malformed']).toContain(await code(log.append(altered, policy)))
    // Forged: mallory signs an envelope claiming to be alice.
    const e2 = (await import('./envelope.ts')).openEnvelope(envs[1]!)
    const forged = encodeEnvelope(e2.body, (await import('../keys/index.ts')).sign(mallory.seed, signedBytes(e2)))
    expect(await code(log.append(forged, policy))).toBe('bad-signature')
    // Gap: seq 3 before seq 2.
    expect(await code(log.append(envs[2]!, policy))).toBe('seq-gap')
    // Out of chain: a seq-2 envelope whose prev is not seq 1's hash.
    const stray = buildEnvelope(alice, doc, 'yjs', new Uint8Array([0, 0]), { seq: 1, hash: new Uint8Array(32).fill(9) }, 1)
    expect(await code(log.append(stray.bytes, policy))).toBe('out-of-chain')
    // Replay: a different seq-1 envelope (a fork of the chain).
    const fork = buildEnvelope(alice, doc, 'yjs', new Uint8Array([0, 0]), undefined, 2)
    expect(await code(log.append(fork.bytes, policy))).toBe('replay')
    // Wrong author: mallory writing alice's findings doc, validly signed by mallory.
    const intruder = buildEnvelope(mallory, doc, 'yjs', new Uint8Array([0, 0]), undefined, 3)
    expect(await code(log.append(intruder.bytes, policy))).toBe('wrong-author')
    // Revoked, and garbage.
    expect(await code(log.append(envs[1]!, { ...policy, isRevoked: (a) => a === alice.peerId }))).toBe('revoked')
    expect(await code(log.append(new Uint8Array([1, 2, 3]), policy))).toBe('malformed')
    // A payload that is not a Yjs update.
    const junk = buildEnvelope(alice, doc, 'yjs', new Uint8Array([0xff, 0xff, 0xff, 0xff]), (await log.head(doc, alice.peerId))!, 4)
    expect(await code(log.append(junk.bytes, policy))).toBe('bad-payload')
    expect(await snapshot(log, doc)).toEqual(before)
  })
})

describe('compaction', () => {
  it('a snapshot supersedes the envelopes before it; replicas behind or empty catch up from it', async () => {
    const log = newLog()
    const envs = chain(alice, 5)
    for (const e of envs) await log.append(e, policy)
    const doc = findingsDoc(alice.peerId)
    const before = await log.state(doc)
    const result = await log.compact(doc, (state, head) => buildEnvelope(alice, doc, 'snapshot', state, head, 99), policy)
    expect(result).toEqual({ removed: 5 })
    expect(await log.haveVector()).toEqual({ [doc]: { [alice.peerId]: 6 } })
    const held: Uint8Array[] = []
    for await (const b of log.read(doc, alice.peerId)) held.push(b)
    expect(held).toHaveLength(1)
    const asJson = (u: Uint8Array) => { const y = new Y.Doc(); Y.applyUpdate(y, u); return y.getMap('findings').toJSON() }
    expect(asJson((await log.state(doc))!)).toEqual(asJson(before!))
    // An empty replica and one that holds seq 1..3 both accept the snapshot and converge.
    const empty = newLog()
    const behind = newLog()
    for (const e of envs.slice(0, 3)) await behind.append(e, policy)
    for (const r of [empty, behind]) {
      expect(await r.append(held[0]!, policy)).toBe('stored')
      expect(asJson((await r.state(doc))!)).toEqual(asJson(before!))
      // The superseded envelopes are old news now.
      expect(await r.append(envs[1]!, policy)).toBe('duplicate')
    }
  })
})

describe('memory follows use', () => {
  it('releases idle docs after a checkpoint, and rebuilds them unchanged on demand', async () => {
    const log = newLog()
    for (const e of chain(alice, 4)) await log.append(e, policy)
    const doc = findingsDoc(alice.peerId)
    const before = Buffer.from((await log.state(doc))!).toString('hex')
    expect(await log.releaseIdle(0)).toBe(1)
    expect(await log.releaseIdle(0)).toBe(0)
    expect(Buffer.from((await log.state(doc))!).toString('hex')).toBe(before)
  })
})

describe('the writer path (writeAs)', () => {
  const doc = () => findingsDoc(alice.peerId)
  const write = (log: EnvelopeLog, steps: ((d: Y.Doc) => void)[]) => log.writeAs(doc(), alice, () => steps, policy, 1_700_000_000_000)
  const keysOf = async (log: EnvelopeLog) => { const y = new Y.Doc(); Y.applyUpdate(y, (await log.state(doc()))!); return [...y.getMap('findings').keys()].sort() }

  it('a change that only deletes is an envelope too, and a step that changes nothing is none', async () => {
    const db = new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' })
    const log = new EnvelopeLog(db as unknown as Store)
    await write(log, [(d) => { d.getMap('findings').set('a', { id: 'a' }); d.getMap('findings').set('b', { id: 'b' }) }])
    expect(await write(log, [(d) => d.getMap('findings').delete('a'), () => {}])).toBeGreaterThan(0)
    expect((await log.head(doc(), alice.peerId))!.seq).toBe(2)
    // A fresh log over the same store replays the deletion.
    const reopened = new EnvelopeLog(db as unknown as Store)
    expect(await keysOf(reopened)).toEqual(['b'])
  })

  it('a failed batch leaves the log and the doc as the store has them', async () => {
    const log = new EnvelopeLog(failingBatches(new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' }), (n) => n === 2))
    const set = (k: string) => (d: Y.Doc) => d.getMap('findings').set(k, { id: k })
    await expect(write(log, [set('a'), set('b'), set('c')])).rejects.toThrow('disk full')
    expect((await log.head(doc(), alice.peerId))!.seq).toBe(1)
    expect(await keysOf(log)).toEqual(['a'])
    // And the chain goes on from there.
    await write(log, [set('d')])
    expect((await log.head(doc(), alice.peerId))!.seq).toBe(2)
    expect(await keysOf(log)).toEqual(['a', 'd'])
  })

  it('checkpoints when the tail is long or overwrote much, not for growth alone', async () => {
    const db = new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' })
    const log = new EnvelopeLog(db as unknown as Store)
    const checkpointed = async () => (await db.get(`state!${doc()}`)) !== undefined
    // A few large envelopes that only add: replaying them costs what a checkpoint would.
    const big = 'x'.repeat(200_000)
    await write(log, Array.from({ length: 10 }, (_, i) => (d: Y.Doc) => d.getMap('findings').set(`k${i}`, { id: `k${i}`, big })))
    await log.checkpointAll()
    expect(await checkpointed()).toBe(false)
    // Overwriting them: the tail now holds values a checkpoint would drop.
    await write(log, Array.from({ length: 10 }, (_, i) => (d: Y.Doc) => d.getMap('findings').set(`k${i}`, { id: `k${i}`, big: big + i })))
    await log.checkpointAll()
    expect(await checkpointed()).toBe(true)
    const reopened = new EnvelopeLog(db as unknown as Store)
    expect(((await reopened.doc(doc()))!.getMap('findings').get('k3') as { big: string }).big).toBe(big + 3)
  })
})

describe('appendMany', () => {
  const doc = () => findingsDoc(alice.peerId)
  const keys = async (log: EnvelopeLog) => { const y = new Y.Doc(); const s = await log.state(doc()); if (s) Y.applyUpdate(y, s); return [...y.getMap('findings').keys()].sort() }

  it('stores a chain in one call, duplicates included, as one-by-one appends would', async () => {
    const envs = chain(alice, 5)
    const one = newLog()
    for (const e of envs) await one.append(e, policy)
    const many = newLog()
    expect(await many.appendMany([envs[0]!, envs[1]!, envs[1]!, envs[2]!, envs[3]!, envs[4]!, envs[0]!], policy))
      .toEqual(['stored', 'stored', 'duplicate', 'stored', 'stored', 'stored', 'duplicate'])
    expect(await snapshot(many, doc())).toEqual(await snapshot(one, doc()))
  })

  it('answers a bad envelope with its error in place and stores the rest', async () => {
    const log = newLog()
    const envs = chain(alice, 3)
    const e2 = (await import('./envelope.ts')).openEnvelope(envs[1]!)
    const forged = encodeEnvelope(e2.body, (await import('../keys/index.ts')).sign(mallory.seed, e2.body))
    const junk = buildEnvelope(alice, doc(), 'yjs', new Uint8Array([0xff, 0xff, 0xff, 0xff]), { seq: 1, hash: hashOf((await import('./envelope.ts')).openEnvelope(envs[0]!)) }, 4)
    const results = await log.appendMany([envs[0]!, forged, junk.bytes, envs[2]!], policy)
    expect(results.map((r) => (r instanceof EnvelopeError ? r.code : r))).toEqual(['stored', 'bad-signature', 'bad-payload', 'seq-gap'])
    expect((await log.head(doc(), alice.peerId))!.seq).toBe(1)
    expect(await keys(log)).toEqual(['f1'])
    // The chain goes on from there.
    expect(await log.appendMany(envs.slice(1), policy)).toEqual(['stored', 'stored'])
    expect(await keys(log)).toEqual(['f1', 'f2', 'f3'])
  })

  it('stores nothing of the call when the store fails', async () => {
    let fail = false
    const log = new EnvelopeLog(failingBatches(new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' }), () => fail))
    const envs = chain(alice, 3)
    await log.append(envs[0]!, policy)
    fail = true
    await expect(log.appendMany(envs.slice(1), policy)).rejects.toThrow('disk full')
    fail = false
    expect((await log.head(doc(), alice.peerId))!.seq).toBe(1)
    expect(await keys(log)).toEqual(['f1'])
  })
})
