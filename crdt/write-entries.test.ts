import { describe, it, expect, beforeAll } from 'vitest'
import { MemoryLevel } from 'memory-level'
import * as Y from 'yjs'
import { clientIdOf } from './client-id.ts'
import { findingsDoc } from './doc-names.ts'
import type { Author } from './envelope.ts'
import { EnvelopeLog, type Store } from './envelope-log.ts'
import type { EntryChange } from './map-update.ts'
import { failingBatches } from './failing-store.test-data.ts'
import { newAuthor } from './test-authors.test-data.ts'

let alice: Author
const policy = { rights: { hubs: new Set<string>() } }
const NOW = 1_700_000_000_000

beforeAll(async () => { alice = await newAuthor() })

const name = () => findingsDoc(alice.peerId)
const memory = () => new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' })
const logOver = (db: MemoryLevel<string, Uint8Array>) => new EnvelopeLog(db as unknown as Store)
/** Bytes as hex: toEqual walks a typed array element by element, slow for megabytes. */
const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex')

/** The same changes made the way Yjs makes them: one transaction per call, under alice's clientID. */
function reference(calls: EntryChange[][]): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = clientIdOf(alice.peerId)
  for (const changes of calls) {
    doc.transact(() => { for (const c of changes) if (c.value === undefined) doc.getMap(c.map).delete(c.key); else doc.getMap(c.map).set(c.key, c.value) })
  }
  return doc
}

const findings = (from: number, n: number, extra = ''): EntryChange[] =>
  Array.from({ length: n }, (_, i) => ({ map: 'findings', key: `f${from + i}`, value: { id: `f${from + i}`, severity: 'high', path: `p/${i}`, note: extra } }))

/** Every envelope of alice on the doc, in seq order. */
async function envelopes(log: EnvelopeLog): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  for await (const e of log.read(name(), alice.peerId)) out.push(e)
  return out
}

describe('writing Y.Map entries (writeEntries)', () => {
  it('leaves the doc and the log as Y.Map.set would, in envelopes a replica verifies', async () => {
    const log = logOver(memory())
    // Large enough to drop the open doc, then small enough to be applied to it.
    const big = 'x'.repeat(600)
    const calls: EntryChange[][] = [
      [...findings(0, 4000, big), { map: 'scan', key: 'last', value: { at: 1 } }],
      [...findings(10, 3, 'changed'), { map: 'findings', key: 'f20', value: undefined }, { map: 'findings', key: 'f1', value: undefined }, { map: 'scan', key: 'last', value: { at: 2 } }],
    ]
    let bytes = 0
    for (const changes of calls) bytes += await log.writeEntries(name(), alice, () => changes, policy, NOW, 500_000)
    const expected = reference(calls)
    const doc = (await log.doc(name()))!
    expect(doc.getMap('findings').toJSON()).toEqual(expected.getMap('findings').toJSON())
    expect(doc.getMap('scan').toJSON()).toEqual({ last: { at: 2 } })
    expect(hex(Y.encodeStateAsUpdate(doc))).toBe(hex(Y.encodeStateAsUpdate(expected)))
    // Envelopes of about the size asked for (the first call's 2.6 MB in six), chained, and every one verifies on a replica.
    const envs = await envelopes(log)
    expect(envs.length).toBe(7)
    expect(envs.slice(0, 5).every((e) => e.length > 500_000 && e.length < 502_000)).toBe(true)
    expect((await log.head(name(), alice.peerId))!.seq).toBe(7)
    expect(envs.reduce((a, e) => a + e.length, 0)).toBe(bytes)
    const replica = logOver(memory())
    expect(await replica.appendMany(envs, policy)).toEqual(Array(7).fill('stored'))
    expect(hex(await replica.state(name()))).toBe(hex(await log.state(name())))
  })

  it('reuses the buffers of stored envelopes over a store that copies what it stores, and never over one that keeps them', async () => {
    // About 40 envelopes: the first ten (1 MiB) are kept to be applied until the write outgrows that.
    const calls = [findings(0, 12_000, 'r'.repeat(300))]
    const expected = reference(calls)
    for (const copies of [true, false]) {
      const db = memory()
      const given: ArrayBufferLike[] = []
      const batch = db.batch.bind(db)
      // As classic-level: the values are copied when a batch is given; memory-level keeps the views.
      db.batch = ((ops: { type: 'put', key: string, value: Uint8Array }[]) => {
        for (const op of ops) if (op.key.startsWith('env!')) given.push(op.value.buffer)
        return batch(copies ? ops.map((op) => ({ ...op, value: op.value.slice() })) : ops)
      }) as typeof db.batch
      const log = new EnvelopeLog(db as unknown as Store, { storeCopies: copies })
      await log.writeEntries(name(), alice, () => calls[0]!, policy, NOW, 100_000)
      const envs = await envelopes(log)
      expect(envs.length).toBeGreaterThan(30)
      const buffers = new Set(given).size
      if (copies) expect(buffers).toBeLessThan(envs.length * 0.75)
      else expect(buffers).toBe(envs.length)
      // What is stored is intact: every envelope verifies on a replica, which ends in the doc Yjs makes.
      const replica = logOver(memory())
      expect((await replica.appendMany(envs, policy)).every((r) => r === 'stored')).toBe(true)
      expect(hex(await replica.state(name()))).toBe(hex(Y.encodeStateAsUpdate(expected)))
    }
  })

  it('applies a small write to the open doc and drops it after a large one (the next use replays the log)', async () => {
    const db = memory()
    const log = logOver(db)
    await log.writeEntries(name(), alice, () => findings(0, 3), policy, NOW)
    const open = (await log.doc(name()))!
    await log.writeEntries(name(), alice, () => findings(3, 2), policy, NOW)
    expect(await log.doc(name())).toBe(open)
    expect(open.getMap('findings').size).toBe(5)
    await log.writeEntries(name(), alice, () => findings(5, 3000, 'y'.repeat(400)), policy, NOW)
    const again = (await log.doc(name()))!
    expect(again).not.toBe(open)
    expect(again.getMap('findings').size).toBe(3005)
    // What the rebuilt doc holds is what the store holds.
    expect(hex(Y.encodeStateAsUpdate(again))).toBe(hex(Y.encodeStateAsUpdate((await logOver(db).doc(name()))!)))
  })

  it('writes nothing for no changes, and refuses a doc the author may not write', async () => {
    const log = logOver(memory())
    expect(await log.writeEntries(name(), alice, () => [], policy, NOW)).toBe(0)
    expect(await log.writeEntries(name(), alice, () => [{ map: 'findings', key: 'never', value: undefined }], policy, NOW)).toBe(0)
    expect(await log.head(name(), alice.peerId)).toBeUndefined()
    const bob = await newAuthor()
    await expect(log.writeEntries(findingsDoc(bob.peerId), alice, () => findings(0, 1), policy, NOW)).rejects.toMatchObject({ code: 'wrong-author' })
  })

  it('a failed batch leaves a chain without gaps, the doc as the store has it, and the next write goes on from there', async () => {
    const log = new EnvelopeLog(failingBatches(memory(), (n) => n === 2))
    // Six envelopes of ten findings each.
    const all = findings(0, 60, 'z'.repeat(100))
    const perEnvelope = 10 * 150
    await expect(log.writeEntries(name(), alice, () => all, policy, NOW, perEnvelope)).rejects.toThrow('disk full')
    const head = (await log.head(name(), alice.peerId))!
    const stored = await envelopes(log)
    expect(head.seq).toBe(stored.length)
    expect(stored.length).toBeGreaterThanOrEqual(1)
    expect(stored.length).toBeLessThan(6)
    // The doc holds exactly the findings whose envelopes were stored.
    const keys = [...(await log.doc(name()))!.getMap('findings').keys()].sort()
    expect(keys).toEqual(all.slice(0, stored.length * 10).map((c) => c.key).sort())
    // The scan is written again: what is held already is not written twice.
    await log.writeEntries(name(), alice, (d) => all.filter((c) => !d.getMap('findings').has(c.key)), policy, NOW, perEnvelope)
    expect((await log.head(name(), alice.peerId))!.seq).toBe(6)
    const replica = logOver(memory())
    expect((await replica.appendMany(await envelopes(log), policy)).every((r) => r === 'stored')).toBe(true)
    expect((await replica.doc(name()))!.getMap('findings').size).toBe(60)
  })
})
