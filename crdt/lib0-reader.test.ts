import { describe, it, expect } from 'vitest'
import * as Y from 'yjs'
import { applyUpdate, stringTable } from './lib0-reader.ts'

const values: unknown[] = [
  { a: 1, b: 'héllo wörld ✓', c: [1.5, 0.1, -0, -7, 2 ** 31 - 1, 2 ** 31, -(2 ** 40), null, true, false, undefined], d: { e: new Uint8Array([1, 2, 250]) } },
  'x'.repeat(127), 'y'.repeat(128), 'z'.repeat(129), 'w'.repeat(5000) + 'é', '', '\uFEFFbom kept', 'emoji 😀 and CJK 漏洞', 'a\u007fb', 'é',
  0, -1, 3.25, Number.MAX_SAFE_INTEGER, 2n ** 60n, null, [], {}, [[{ deep: ['er'], 'kéy ✓': 'v' }]],
  // Arrays are made at their size up to 64 items, longer ones pushed: both sides of the bound.
  ['a', 2], Array.from({ length: 64 }, (_, i) => `i${i}`), Array.from({ length: 65 }, (_, i) => i), Array.from({ length: 300 }, (_, i) => ({ i })),
]

/** Every kind of struct and content Yjs writes, from a doc with maps, text, arrays, XML and deletions. */
function richUpdate(): Uint8Array {
  const doc = new Y.Doc()
  doc.transact(() => {
    const m = doc.getMap('m')
    values.forEach((v, i) => m.set(`k${i} ✓`.repeat(1 + (i % 3)), v))
    m.set('kéy', 'value')
    m.delete('k3 ✓')
    const t = doc.getText('t')
    t.insert(0, 'plain, then ünïcode 😀')
    t.format(0, 5, { bold: true, 'föo': 'bär' })
    t.insertEmbed(3, { image: 'x.png' })
    doc.getArray('a').insert(0, [1, 'two', { three: [3] }, new Uint8Array([9])])
    const x = new Y.XmlElement('dïv')
    x.setAttribute('clåss', 'c')
    doc.getXmlFragment('x').insert(0, [x, new Y.XmlText('t')])
    m.set('nested', new Y.Map([['inner', 'ïnner']]))
  })
  doc.getArray('a').delete(1, 1)
  return Y.encodeStateAsUpdate(doc)
}

describe('applying v1 updates with the faster string reader', () => {
  it('builds the doc Y.applyUpdate builds, value for value and byte for byte', () => {
    const update = richUpdate()
    const yjs = new Y.Doc()
    Y.applyUpdate(yjs, update)
    const ours = new Y.Doc()
    applyUpdate(ours, update)
    expect(ours.getMap('m').toJSON()).toEqual(yjs.getMap('m').toJSON())
    expect(Object.is((ours.getMap('m').get('k0 ✓') as { c: number[] }).c[2], -0)).toBe(true)
    expect(ours.getText('t').toDelta()).toEqual(yjs.getText('t').toDelta())
    expect(ours.getArray('a').toJSON()).toEqual(yjs.getArray('a').toJSON())
    expect(ours.getXmlFragment('x').toString()).toBe(yjs.getXmlFragment('x').toString())
    expect(Y.encodeStateAsUpdate(ours)).toEqual(Y.encodeStateAsUpdate(yjs))
  })
  it('applies updates in any order, as Yjs does (held back until what they follow arrives)', () => {
    const src = new Y.Doc()
    const updates: Uint8Array[] = []
    src.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < 20; i++) src.getMap('m').set(`k${i % 7}`, { i, s: `välue ${i}` })
    const ours = new Y.Doc()
    for (const u of [...updates].reverse()) applyUpdate(ours, u, 'log')
    expect(ours.getMap('m').toJSON()).toEqual(src.getMap('m').toJSON())
  })
  it('keeps apart strings whose bytes hash to one slot of the table the updates share', () => {
    const src = new Y.Doc()
    const updates: Uint8Array[] = []
    src.on('update', (u: Uint8Array) => updates.push(u))
    // 20,000 distinct short strings in 8,192 slots: many share one.
    for (let b = 0; b < 4; b++) src.transact(() => { for (let i = b * 5000; i < (b + 1) * 5000; i++) src.getMap('m').set(`k${i}`, { v: `v${i}`, same: 'npm', n: i }) })
    const strings = stringTable()
    const ours = new Y.Doc()
    for (const u of updates) applyUpdate(ours, u, 'log', strings)
    expect(ours.getMap('m').toJSON()).toEqual(src.getMap('m').toJSON())
  })
  it('grows a table that may grow, keeping what it holds, and builds the same doc', () => {
    const src = new Y.Doc()
    const updates: Uint8Array[] = []
    src.on('update', (u: Uint8Array) => updates.push(u))
    for (let b = 0; b < 6; b++) src.transact(() => { for (let i = b * 10_000; i < (b + 1) * 10_000; i++) src.getMap('m').set(`k${i}`, { v: `v${i % 30_000}`, same: 'npm', list: [`a${i % 7}`, `b${i}`] }) })
    const grows = stringTable(true)
    const fixed = stringTable()
    const ours = new Y.Doc()
    const small = new Y.Doc()
    for (const u of updates) { applyUpdate(ours, u, 'log', grows); applyUpdate(small, u, 'log', fixed) }
    expect(grows.slots.length).toBe(65_536)
    expect(fixed.slots.length).toBe(8192)
    // (Compared as JSON text and bytes: toEqual walks 60,000 entries slowly.)
    expect(JSON.stringify(ours.getMap('m').toJSON())).toBe(JSON.stringify(src.getMap('m').toJSON()))
    expect(Buffer.from(Y.encodeStateAsUpdate(ours)).equals(Y.encodeStateAsUpdate(src))).toBe(true)
    expect(Buffer.from(Y.encodeStateAsUpdate(small)).equals(Y.encodeStateAsUpdate(src))).toBe(true)
    // What it held before growing is held after: 'npm' was read first, and is in one slot.
    expect(grows.slots.filter((s) => s === 'npm')).toHaveLength(1)
  })
  it('throws on strings that are not UTF-8, as Yjs does, and on strings past the end', () => {
    const doc = new Y.Doc()
    doc.getMap('m').set('key', 'abc\u00e9')
    const update = Y.encodeStateAsUpdate(doc)
    const at = update.findIndex((_, i) => update[i] === 0xc3 && update[i + 1] === 0xa9)
    const broken = update.slice()
    broken[at + 1] = 0x28 // é's second byte, no longer a continuation byte
    expect(() => Y.applyUpdate(new Y.Doc(), broken)).toThrow(TypeError)
    expect(() => applyUpdate(new Y.Doc(), broken)).toThrow(TypeError)
    expect(() => applyUpdate(new Y.Doc(), update.subarray(0, at))).toThrow()
  })
})
