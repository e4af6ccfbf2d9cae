import { describe, it, expect, beforeAll } from 'vitest'
import { MemoryLevel } from 'memory-level'
import * as Y from 'yjs'
import { pack } from '../protocol/index.ts'
import { findingsDoc } from './doc-names.ts'
import type { Author } from './envelope.ts'
import { EnvelopeLog, type Store } from './envelope-log.ts'
import { CHECKPOINT_CHUNK, checkpointEntries, readCheckpoint, stateKey } from './log-layout.ts'
import { newAuthor } from './test-authors.test-data.ts'

let alice: Author
const policy = { rights: { hubs: new Set<string>() } }
beforeAll(async () => { alice = await newAuthor() })

const newDb = () => new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' })
const doc = () => findingsDoc(alice.peerId)

/** A log whose doc has a checkpoint of several chunks: large values, written and then all overwritten. */
async function checkpointedLog(db: MemoryLevel<string, Uint8Array>): Promise<EnvelopeLog> {
  const log = new EnvelopeLog(db as unknown as Store)
  const big = 'x'.repeat(200_000)
  const write = (suffix: string) => log.writeAs(doc(), alice, () => Array.from({ length: 10 }, (_, i) => (d: Y.Doc) => d.getMap('findings').set(`k${i}`, { id: `k${i}`, big: big + suffix })), policy, 1_700_000_000_000)
  await write('a')
  await write('b')
  await log.checkpointAll()
  return log
}

async function stateEntries(db: MemoryLevel<string, Uint8Array>): Promise<[string, Uint8Array][]> {
  return db.iterator({ gte: 'state!', lt: 'state"' }).all()
}

const hex = (b: Uint8Array | undefined) => b && Buffer.from(b).toString('hex')

describe('checkpoints in chunks', () => {
  it('stores a checkpoint larger than a chunk in chunks of at most CHECKPOINT_CHUNK bytes, and re-opens the same doc from them', async () => {
    const db = newDb()
    const log = await checkpointedLog(db)
    const entries = await stateEntries(db)
    // The count first, then the chunks: ~2 MB of checkpoint in 128 KiB pieces.
    expect(entries[0]![0]).toBe(stateKey(doc()))
    expect(entries.length).toBeGreaterThan(10)
    for (const [, value] of entries) expect(value.length).toBeLessThanOrEqual(CHECKPOINT_CHUNK)
    const reopened = new EnvelopeLog(db as unknown as Store)
    expect(hex(await reopened.state(doc()))).toBe(hex(await log.state(doc())))
    expect(((await reopened.doc(doc()))!.getMap('findings').get('k7') as { big: string }).big.endsWith('b')).toBe(true)
  })

  it('a smaller checkpoint drops the chunks it no longer fills, in the batch that stores it', async () => {
    const db = newDb()
    const store = db as unknown as Store
    const large = new Uint8Array(3 * CHECKPOINT_CHUNK - 100).fill(7)
    await store.batch(await checkpointEntries(store, 'd', pack({ update: large, upTo: { a: 1 } })))
    expect((await stateEntries(db)).length).toBe(1 + 3)
    const small = new Uint8Array(100).fill(9)
    const ops = await checkpointEntries(store, 'd', pack({ update: small, upTo: { a: 2 } }))
    expect(ops.filter((o) => o.type === 'del').map((o) => o.key)).toEqual(['state!d!00000001', 'state!d!00000002'])
    await store.batch(ops)
    expect((await stateEntries(db)).map(([k]) => k)).toEqual(['state!d', 'state!d!00000000'])
    const got = await readCheckpoint(store, 'd') as { update: Uint8Array, upTo: Record<string, number> }
    expect(hex(got.update)).toBe(hex(small))
    expect(got.upTo).toEqual({ a: 2 })
  })

  it('still reads a checkpoint stored whole (as stores before chunks held it), and replaces it with chunks', async () => {
    const db = newDb()
    const log = await checkpointedLog(db)
    const expected = hex(await log.state(doc()))
    const store = db as unknown as Store
    const whole = pack(await readCheckpoint(store, doc()))
    await db.batch([...(await stateEntries(db)).map(([key]) => ({ type: 'del' as const, key })), { type: 'put', key: stateKey(doc()), value: whole }])
    expect((await stateEntries(db)).length).toBe(1)
    const reopened = new EnvelopeLog(db as unknown as Store)
    expect(hex(await reopened.state(doc()))).toBe(expected)
    // The next checkpoint over it: chunks, nothing of the whole one left to delete.
    const ops = await checkpointEntries(store, doc(), whole)
    expect(ops.some((o) => o.type === 'del')).toBe(false)
    await store.batch(ops)
    expect((await stateEntries(db)).length).toBeGreaterThan(10)
    expect(hex(await new EnvelopeLog(db as unknown as Store).state(doc()))).toBe(expected)
  })

  it('a missing chunk is an error that names it, not a doc built from part of its state', async () => {
    const db = newDb()
    await checkpointedLog(db)
    await db.del(`${stateKey(doc())}!00000001`)
    await expect(readCheckpoint(db as unknown as Store, doc())).rejects.toThrow(/chunk 1 of \d+ is missing/)
    await expect(new EnvelopeLog(db as unknown as Store).state(doc())).rejects.toThrow(/chunk 1 of/)
  })
})
