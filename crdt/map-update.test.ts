import { describe, it, expect } from 'vitest'
import * as Y from 'yjs'
import { entryValue, MapUpdateWriter, type EntryChange } from './map-update.ts'

const CLIENT = 4242

/** What Yjs itself sends for the same changes in one transaction. */
function viaYjs(doc: Y.Doc, changes: EntryChange[]): Uint8Array | undefined {
  let update: Uint8Array | undefined
  const on = (u: Uint8Array) => { update = u }
  doc.on('update', on)
  doc.transact(() => {
    for (const { map, key, value } of changes) {
      if (value === undefined) doc.getMap(map).delete(key)
      else doc.getMap(map).set(key, value)
    }
  })
  doc.off('update', on)
  return update
}

const authorDoc = () => { const d = new Y.Doc(); d.clientID = CLIENT; return d }
const json = (d: Y.Doc) => ({ f: d.getMap('f').toJSON(), g: d.getMap('g').toJSON() })

const values: unknown[] = [
  { a: 1, b: 'héllo wörld ✓', c: [1.5, 0.1, -0, -7, 2 ** 31 - 1, 2 ** 31, -(2 ** 40), null, true, false], d: { e: new Uint8Array([1, 2, 250]) } },
  'x'.repeat(300), 0, -1, 3.25, Number.MAX_SAFE_INTEGER, null, [], {}, [[{ deep: ['er'] }]], 'emoji 😀 and CJK 漏洞',
]

describe('Y.Map updates encoded straight from the values', () => {
  it('gives the bytes of Y.Map.set and delete, and replicas end in the same state', () => {
    const yjs = authorDoc()
    const ours = authorDoc()
    const rounds: EntryChange[][] = [
      // new entries in two root maps, every kind of value
      [...values.map((value, i) => ({ map: 'f', key: `k${i}`, value })), { map: 'g', key: 'z', value: 3 }],
      // overwrites (origin = the key's current item, which goes into the delete set), a new key, a delete
      [{ map: 'f', key: 'k0', value: 2 }, { map: 'f', key: 'k3', value: { now: 'an object' } }, { map: 'f', key: 'new', value: 'v' }, { map: 'g', key: 'z', value: undefined }],
      // deletes only, one of a key already deleted and one never held (both change nothing)
      [{ map: 'g', key: 'z', value: undefined }, { map: 'f', key: 'k1', value: undefined }, { map: 'f', key: 'k2', value: undefined }, { map: 'f', key: 'never', value: undefined }],
      // a deleted key set again, an overwritten key overwritten again
      [{ map: 'g', key: 'z', value: 'back' }, { map: 'f', key: 'k0', value: 'third' }, { map: 'f', key: 'k1', value: ['again'] }],
    ]
    for (const changes of rounds) {
      const expected = viaYjs(yjs, changes)!
      const got = new MapUpdateWriter(ours, CLIENT).encode(changes)!
      expect(Buffer.from(got.update).toString('hex')).toBe(Buffer.from(expected).toString('hex'))
      expect(got.deleted).toBe(changes !== rounds[0])
      Y.applyUpdate(ours, got.update)
    }
    expect(json(ours)).toEqual(json(yjs))
    expect(Y.encodeStateAsUpdate(ours)).toEqual(Y.encodeStateAsUpdate(yjs))
    // A replica that only ever saw our bytes holds the same doc as one that saw Yjs' own.
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(ours))
    expect(json(replica)).toEqual(json(yjs))
  })

  it('writes a series before applying any of it, continuing the clock', () => {
    const yjs = authorDoc()
    const ours = authorDoc()
    viaYjs(yjs, [{ map: 'f', key: 'old', value: 1 }])
    Y.applyUpdate(ours, Y.encodeStateAsUpdate(yjs))
    const series: EntryChange[][] = [
      [{ map: 'f', key: 'a', value: 1 }, { map: 'f', key: 'old', value: 2 }],
      [{ map: 'f', key: 'b', value: 3 }, { map: 'f', key: 'a2', value: undefined }],
      [{ map: 'f', key: 'c', value: { x: 1 } }],
    ]
    const writer = new MapUpdateWriter(ours, CLIENT)
    const updates = series.map((c) => writer.encode(c)?.update)
    expect(updates[1]).toBeDefined()
    expect(writer.clock).toBe(5)
    for (const [i, changes] of series.entries()) expect(updates[i]).toEqual(viaYjs(yjs, changes))
    for (const u of updates) Y.applyUpdate(ours, u!)
    expect(Y.encodeStateAsUpdate(ours)).toEqual(Y.encodeStateAsUpdate(yjs))
  })

  it('cuts a series by encoded size, each update with the room asked for around it', () => {
    const yjs = authorDoc()
    const changes = Array.from({ length: 300 }, (_, i) => ({ map: 'f', key: `k${i}`, value: { n: i, pad: 'p'.repeat(90) } }))
    const updates = [...new MapUpdateWriter(authorDoc(), CLIENT).updates(changes, 10_000, { before: 100, after: 7 })]
    expect(updates.length).toBe(4)
    for (const u of updates) {
      expect(u.room).toBe(true)
      expect(u.update.byteOffset).toBeGreaterThanOrEqual(100)
      expect(u.update.buffer.byteLength - u.update.byteOffset - u.update.length).toBeGreaterThanOrEqual(7)
    }
    // Each in a buffer of its own (handed over by the writer, not copied): none shares one.
    expect(new Set(updates.map((u) => u.update.buffer)).size).toBe(updates.length)
    // The updates, applied in turn, are the doc Yjs makes of the same sets.
    viaYjs(yjs, changes)
    const ours = new Y.Doc()
    for (const u of updates) Y.applyUpdate(ours, u.update)
    expect(json(ours)).toEqual(json(yjs))
    expect(Y.encodeStateAsUpdate(ours)).toEqual(Y.encodeStateAsUpdate(yjs))
  })

  it('writes later updates of a series into buffers given back, with the same bytes', () => {
    const changes = Array.from({ length: 300 }, (_, i) => ({ map: 'f', key: `k${i}`, value: { n: i, pad: 'p'.repeat(90) } }))
    const room = { before: 100, after: 7 }
    const fresh = [...new MapUpdateWriter(authorDoc(), CLIENT).updates(changes, 10_000, room)].map((u) => Buffer.from(u.update).toString('hex'))
    const writer = new MapUpdateWriter(authorDoc(), CLIENT)
    const buffers: ArrayBufferLike[] = []
    const reused: string[] = []
    // Each update is read, then given back before the next is taken (as a store that copied it would).
    for (const u of writer.updates(changes, 10_000, room)) {
      buffers.push(u.update.buffer)
      reused.push(Buffer.from(u.update).toString('hex'))
      writer.recycle(u)
    }
    expect(reused).toEqual(fresh)
    // The first buffer handed back is written again: two buffers for four updates.
    expect(new Set(buffers).size).toBe(2)
  })

  it('writes a value with `also` as the bytes of Y.Map.set of the merged object, however many fields', () => {
    const wide = (n: number, tag: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${tag}${i}`, i % 3 === 0 ? undefined : i]))
    const shared = { firstSeen: 9, resolvedAt: undefined }
    const rounds: EntryChange[][] = [[
      // undefined fields and what `also` names leave the value; `also`'s defined fields come last
      { map: 'f', key: 'a', value: { id: 'a', line: undefined, firstSeen: 1, resolvedAt: 2, list: ['x', { y: undefined }] }, also: shared },
      // one `also` shared by several changes (a scan's), then another naming other fields
      { map: 'f', key: 'b', value: { id: 'b', note: 'kept', resolvedAt: 2 }, also: shared },
      { map: 'f', key: 'c', value: { id: 'c', note: 'replaced', firstSeen: 1 }, also: { note: 'new' } },
      // 128 fields and more: the count takes two bytes (kept as one until the end), at the top and nested
      { map: 'f', key: 'wide', value: { ...wide(300, 'w'), inner: wide(200, 'i') }, also: { firstSeen: 3 } },
      { map: 'f', key: 'plain', value: { inner: { ...wide(190, 'p') } } },
    ], [
      // an overwrite of a key held, with `also`
      { map: 'f', key: 'a', value: { id: 'a', severity: 'low' }, also: { firstSeen: 9, resolvedAt: undefined } },
    ]]
    const yjs = authorDoc()
    const ours = authorDoc()
    // An enumerable field on Object.prototype (prototype pollution) must not leak into what is written.
    Object.defineProperty(Object.prototype, 'polluted', { value: 1, enumerable: true, configurable: true, writable: true })
    try {
      for (const changes of rounds) {
        const expected = viaYjs(yjs, changes.map((c) => ({ map: c.map, key: c.key, value: entryValue(c) })))!
        const got = new MapUpdateWriter(ours, CLIENT).encode(changes)!
        expect(Buffer.from(got.update).toString('hex')).toBe(Buffer.from(expected).toString('hex'))
        Y.applyUpdate(ours, got.update)
      }
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted
    }
    expect(Object.keys(ours.getMap('f').get('a') as object)).toEqual(['id', 'severity', 'firstSeen'])
    expect(Object.keys(ours.getMap('f').get('wide') as object)).toHaveLength(200 + 1 + 1)
    expect(() => new MapUpdateWriter(authorDoc(), CLIENT).encode([{ map: 'f', key: 'k', value: 'text', also: { x: 1 } }])).toThrow(/also/)
  })

  it('changes nothing for nothing, and refuses values Y.Map would not store as JSON', () => {
    const doc = authorDoc()
    expect(new MapUpdateWriter(doc, CLIENT).encode([])).toBeUndefined()
    expect(new MapUpdateWriter(doc, CLIENT).encode([{ map: 'f', key: 'gone', value: undefined }])).toBeUndefined()
    expect(() => new MapUpdateWriter(doc, CLIENT).encode([{ map: 'f', key: 'k', value: new Map() }])).toThrow(/JSON-like/)
    expect(() => new MapUpdateWriter(doc, CLIENT).encode([{ map: 'f', key: 'k', value: Object.create(null) }])).toThrow(/JSON-like/)
  })
})
