import { describe, it, expect } from 'vitest'
import { pack } from '../../protocol/index.ts'
import { decodeListing, encodeListing } from './listing-codec.ts'
import type { DirRecord } from './tree-listing.ts'

const KEY = JSON.stringify(['**/node_modules/**', 'vendor/**'])

function walks(): Map<string, DirRecord[]> {
  return new Map<string, DirRecord[]>([
    ['/srv/app', [
      { rel: '', stamp: [1733500000000.25, 1733500000001.5], files: ['package-lock.json', 'README.md'], links: ['shared'] },
      { rel: 'svc ü/däta', stamp: null, files: ['requirements.txt', 'emoji 😀.txt', 'new\nline'], links: [] },
      { rel: 'empty', stamp: [0, -1], files: [], links: [] },
    ]],
    // A linked directory's own walk, and one that kept nothing.
    ['/srv/app/shared', [{ rel: '', stamp: [5, 6], files: ['go.mod'], links: ['loop', 'again'] }]],
    ['/srv/none', []],
  ])
}

describe('listing codec', () => {
  it('gives back every walk, record, stamp, file and link as written', () => {
    const w = walks()
    expect(decodeListing(encodeListing(KEY, w), KEY)).toEqual(w)
    expect(decodeListing(encodeListing(KEY, new Map()), KEY)).toEqual(new Map())
  })

  it('reads nothing made under other ignores, in another format, or damaged', () => {
    const bytes = encodeListing(KEY, walks())
    expect(decodeListing(bytes, JSON.stringify(['other/**']))).toBeUndefined()
    expect(decodeListing(undefined, KEY)).toBeUndefined()
    // What the msgpack listing (format 1) looked like: read as no listing, so listed again.
    expect(decodeListing(pack([1, KEY, ['/srv/app', ['', 1, 2, ['a'], []]]]), KEY)).toBeUndefined()
    // Cut short, grown, or with a count that no longer fits its names.
    expect(decodeListing(bytes.subarray(0, bytes.length - 1), KEY)).toBeUndefined()
    expect(decodeListing(Buffer.concat([bytes, Buffer.from([0])]), KEY)).toBeUndefined()
    const miscounted = Buffer.from(bytes)
    miscounted.writeUInt32LE(miscounted.readUInt32LE(16 + 4 * 3) + 1, 16 + 4 * 3)
    expect(decodeListing(miscounted, KEY)).toBeUndefined()
  })

  it('reads a listing stored at an odd offset (a view into a larger buffer)', () => {
    const bytes = encodeListing(KEY, walks())
    const shifted = new Uint8Array(bytes.length + 3)
    shifted.set(bytes, 3)
    expect(decodeListing(shifted.subarray(3), KEY)).toEqual(walks())
  })
})
