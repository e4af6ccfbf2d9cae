// A writer applies its own map updates with the values it wrote (lib0-reader.ts'
// applyOwnUpdate, lib0-writer.ts' readBack) instead of reading them back from the bytes:
// the doc must end up exactly as reading them back would leave it, and share nothing with
// the values given.
import { describe, it, expect } from 'vitest'
import * as Y from 'yjs'
import { applyOwnUpdate, applyUpdate } from './lib0-reader.ts'
import { MapUpdateWriter, writtenValue, type EntryChange } from './map-update.ts'

const odd: unknown[] = [
  'ascii', 'ünïcode ✓ 😀', '', 0, -0, 7, -7, 2 ** 31 - 1, 2 ** 31, -(2 ** 40), 0.5, 0.1, 1e300, NaN, Infinity, -Infinity,
  2n ** 60n, 2n ** 70n, -(2n ** 63n) - 1n, true, false, null, undefined, new Uint8Array([1, 2, 250]), new Date(0), () => 1,
  [], {}, [1, 'two', [3, [4]], { five: 5 }], { a: undefined, b: [undefined, null], 10: 'ten', 2: 'two', z: { y: { x: 'deep' } } },
  Array.from({ length: 70 }, (_, i) => i),
]

/** Seeded changes: plain values, objects with `also` (fields over them, undefined ones left out), deletions. */
function changes(seed: number, n: number, keys: string[]): EntryChange[] {
  let s = seed
  const rnd = () => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s / 0x80000000 }
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!
  const out: EntryChange[] = []
  const used = new Set<string>()
  for (let i = 0; i < n; i++) {
    const key = pick(keys)
    if (used.has(key)) continue
    used.add(key)
    const r = rnd()
    if (r < 0.1) out.push({ map: 'm', key, value: undefined })
    // A Uint8Array of its own is a binary entry, not a value (MapUpdateWriter refuses it); inside one it is a value.
    else if (r < 0.5) out.push({ map: 'm', key, value: pick(odd.filter((v) => !(v instanceof Uint8Array))) })
    else out.push({ map: 'm', key, value: { id: key, n: pick(odd), list: [pick(odd), pick(odd)], gone: undefined }, also: { n: pick(odd), at: i, gone: undefined } })
  }
  return out
}

/** Exactly what a map holds: key order, -0, NaN, bigints, byte arrays (lib0 reads those as views). */
function dump(v: unknown): unknown {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v
  if (typeof v === 'bigint') return `${v}n`
  if (v instanceof Uint8Array) return { bytes: [...v] }
  if (Array.isArray(v)) return v.map(dump)
  if (v !== null && typeof v === 'object') return Object.entries(v).map(([k, x]) => [k, dump(x)])
  return v === undefined ? 'undefined' : v
}

describe('a writer applying its own update', () => {
  it('leaves the doc exactly as reading the update back would, over rounds of sets, overwrites and deletions', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`)
    const own = new Y.Doc()
    const read = new Y.Doc()
    const writer = new Y.Doc()
    for (let round = 0; round < 30; round++) {
      const cs = changes(round + 1, 25, keys)
      // The writer encodes against its own doc's state, as EnvelopeLog.writeEntries does.
      const w = new MapUpdateWriter(writer, 42)
      const change = w.encode(cs)
      if (!change) continue
      applyUpdate(writer, change.update)
      applyOwnUpdate(own, change.update, change.sets.map(writtenValue))
      applyUpdate(read, change.update)
      expect(change.sets.length).toBe(cs.filter((c) => c.value !== undefined).length)
    }
    expect(dump(own.getMap('m').toJSON())).toEqual(dump(read.getMap('m').toJSON()))
    expect(Y.encodeStateAsUpdate(own)).toEqual(Y.encodeStateAsUpdate(read))
  })

  it('shares nothing with the values it was given', () => {
    const value = { id: 'a', aliases: ['x'], nested: { deep: ['y'] }, bytes: new Uint8Array([1]) }
    const doc = new Y.Doc()
    const change = new MapUpdateWriter(new Y.Doc(), 7).encode([{ map: 'm', key: 'a', value }])!
    applyOwnUpdate(doc, change.update, change.sets.map(writtenValue))
    value.aliases.push('changed')
    value.nested.deep[0] = 'changed'
    value.bytes[0] = 9
    expect(dump(doc.getMap('m').get('a'))).toEqual(dump({ id: 'a', aliases: ['x'], nested: { deep: ['y'] }, bytes: new Uint8Array([1]) }))
  })

  it('lists the changes each update sets while the updates so far are within the bytes asked, and none after', () => {
    const cs: EntryChange[] = Array.from({ length: 300 }, (_, i) => ({ map: 'm', key: `k${i}`, value: { i, pad: 'x'.repeat(50) } }))
    const all = [...new MapUpdateWriter(new Y.Doc(), 7).updates(cs, 2000, undefined, 5000)]
    expect(all.length).toBeGreaterThan(5)
    let before = 0
    for (const u of all) {
      if (before > 5000) expect(u.sets).toEqual([])
      else expect(u.sets.length).toBeGreaterThan(0)
      before += u.update.length
    }
    expect(all.at(-1)!.sets).toEqual([])
  })

  it('reads an `also` object reused, and changed, between writes as it is at each', () => {
    const also: Record<string, unknown> = { firstSeen: 1 }
    const own = new Y.Doc()
    const read = new Y.Doc()
    const writer = new Y.Doc()
    for (const [i, extra] of [[0, {}], [1, { lastSeen: 2 }], [2, { firstSeen: undefined }]] as const) {
      Object.assign(also, extra)
      const change = new MapUpdateWriter(writer, 7).encode([{ map: 'm', key: `k${i}`, value: { id: i, firstSeen: 0 }, also }])!
      applyUpdate(writer, change.update)
      applyOwnUpdate(own, change.update, change.sets.map(writtenValue))
      applyUpdate(read, change.update)
    }
    expect(dump(own.getMap('m').toJSON())).toEqual(dump(read.getMap('m').toJSON()))
    expect(own.getMap('m').get('k2')).toEqual({ id: 2, lastSeen: 2 })
  })

  it('refuses values that are not the update\'s', () => {
    const change = new MapUpdateWriter(new Y.Doc(), 7).encode([{ map: 'm', key: 'a', value: 1 }, { map: 'm', key: 'b', value: 2 }])!
    expect(() => applyOwnUpdate(new Y.Doc(), change.update, [1])).toThrow(RangeError)
    expect(() => applyOwnUpdate(new Y.Doc(), change.update, [1, 2, 3])).toThrow(RangeError)
  })
})
