// The stored form of a scan root's directory listing (tree-listing.ts), read at the start of
// every rescan: columns rather than one record after another. Numbers sit in typed arrays
// (each directory's file and link counts, then its stamp), and every name is in one text,
// each ended by a NUL (no file name holds one). Decoding is then one text decode and one
// split, where a msgpack listing of 10,000 directories decoded each record's fields and
// arrays one by one (~10 ms on a rescan of 10,000 directories, against ~3).
//
//   u8 format, 3 bytes zero, u32 walks, u32 records, u32 text bytes
//   u32 records of each walk; u32 files and links of each record
//   (zero to a multiple of 8) f64 mtime and ctime of each record (NaN: no stamp)
//   text: the ignore key, then per walk its directory, then per record its path, files, links
import type { DirRecord } from './tree-listing.ts'
import { f64At, putF64, putU32, u32At } from './le-numbers.ts'

const FORMAT = 2
const HEADER = 16
const END = '\0'

/** The stored form of a scan root's walks (walked directory → records) under these ignores. */
export function encodeListing(ignoreKey: string, walks: Map<string, DirRecord[]>): Uint8Array {
  let records = 0
  for (const list of walks.values()) records += list.length
  const countsAt = HEADER + 4 * walks.size
  const stampsAt = align8(countsAt + 8 * records)
  const textAt = stampsAt + 16 * records
  let text = ignoreKey + END
  const perWalk: number[] = []
  const counts: number[] = []
  const stamps: number[] = []
  for (const [dir, list] of walks) {
    perWalk.push(list.length)
    text += dir + END
    for (const r of list) {
      counts.push(r.files.length, r.links.length)
      stamps.push(r.stamp?.[0] ?? NaN, r.stamp?.[1] ?? NaN)
      text += r.rel + END
      for (const name of r.files) text += name + END
      for (const name of r.links) text += name + END
    }
  }
  const textBytes = Buffer.byteLength(text, 'utf8')
  const b = Buffer.alloc(textAt + textBytes)
  b.writeUInt8(FORMAT, 0)
  b.writeUInt32LE(walks.size, 4)
  b.writeUInt32LE(records, 8)
  b.writeUInt32LE(textBytes, 12)
  putU32(b, HEADER, perWalk)
  putU32(b, countsAt, counts)
  putF64(b, stampsAt, stamps)
  b.write(text, textAt, 'utf8')
  return b
}

/** The walks of a stored listing; none if it was made under other ignores, in another format, or is damaged. */
export function decodeListing(bytes: Uint8Array | undefined, ignoreKey: string): Map<string, DirRecord[]> | undefined {
  if (bytes === undefined || bytes.length < HEADER || bytes[0] !== FORMAT) return undefined
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const walkCount = b.readUInt32LE(4)
  const records = b.readUInt32LE(8)
  const textBytes = b.readUInt32LE(12)
  const countsAt = HEADER + 4 * walkCount
  const stampsAt = align8(countsAt + 8 * records)
  const textAt = stampsAt + 16 * records
  if (textAt + textBytes !== b.length) return undefined
  const counts = u32At(b, HEADER, walkCount + 2 * records)
  const stamps = f64At(b, stampsAt, 2 * records)
  const names = b.toString('utf8', textAt).split(END)
  if (names[0] !== ignoreKey) return undefined
  const walks = new Map<string, DirRecord[]>()
  let at = 1
  let record = 0
  // Index loops: this runs once per scan, before V8 optimizes it (see parserFor).
  for (let w = 0; w < walkCount; w++) {
    const dir = names[at++]
    const n = counts[w]!
    if (dir === undefined || record + n > records) return undefined
    const list = new Array<DirRecord>(n)
    for (let i = 0; i < n; i++, record++) {
      const files = counts[walkCount + 2 * record]!
      const links = counts[walkCount + 2 * record + 1]!
      const rel = names[at]
      if (rel === undefined || at + 1 + files + links >= names.length) return undefined
      const m = stamps[2 * record]!
      const c = stamps[2 * record + 1]!
      list[i] = { rel, stamp: Number.isNaN(m) || Number.isNaN(c) ? null : [m, c], files: names.slice(at + 1, at + 1 + files), links: names.slice(at + 1 + files, at + 1 + files + links) }
      at += 1 + files + links
    }
    walks.set(dir, list)
  }
  // Every name taken, and only the text's final end left over.
  return record === records && at === names.length - 1 ? walks : undefined
}

const align8 = (n: number) => (n + 7) & ~7
