// The files of a zip archive, one at a time, read at their offsets through the central
// directory: an OSV all.zip holds up to a few hundred thousand small JSON files (zip64
// past 65,535), so the archive is never read whole, and no entry is located by scanning
// compressed data for signatures. Stored and deflated entries; each checked by CRC-32.
import { open, type FileHandle } from 'node:fs/promises'
import { crc32, inflateRawSync } from 'node:zlib'
import { AdvisoryError } from '../errors.ts'

export type ZipItem = { name: string, data: Uint8Array } | { name: string, error: string }

export interface ZipLimits {
  /** Largest uncompressed entry accepted (an advisory is a few KiB; larger is refused, not inflated). */
  maxEntryBytes: number
  /** Largest central directory read into memory. */
  maxDirectoryBytes: number
}

const DEFAULT_LIMITS: ZipLimits = { maxEntryBytes: 64 << 20, maxDirectoryBytes: 256 << 20 }
const EOCD = 0x06054b50
const EOCD64 = 0x06064b50
const EOCD64_LOCATOR = 0x07064b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
const U32_MAX = 0xffffffff

interface Entry { name: string, method: number, crc: number, compressed: number, size: number, offset: number }

const utf8 = new TextDecoder('utf-8', { fatal: false })

async function readAt(fh: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length)
  let done = 0
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done)
    if (bytesRead === 0) break
    done += bytesRead
  }
  return done === length ? buf : buf.subarray(0, done)
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength)
}

/** Where the central directory lies and how many entries it lists, from the (zip64) end record. */
async function locateDirectory(fh: FileHandle, size: number, path: string): Promise<{ offset: number, length: number, count: number }> {
  const bad = (why: string) => new AdvisoryError('bad-source', `${path}: not a readable zip (${why})`)
  const tailLength = Math.min(size, 22 + 0xffff)
  const tail = await readAt(fh, size - tailLength, tailLength)
  const dv = view(tail)
  let at = -1
  for (let i = tail.length - 22; i >= 0; i--) {
    if (dv.getUint32(i, true) === EOCD) { at = i; break }
  }
  if (at < 0) throw bad('no end of central directory record')
  let count = dv.getUint16(at + 10, true)
  let length = dv.getUint32(at + 12, true)
  let offset = dv.getUint32(at + 16, true)
  if (count === 0xffff || length === U32_MAX || offset === U32_MAX) {
    const locatorAt = at - 20
    if (locatorAt < 0 || dv.getUint32(locatorAt, true) !== EOCD64_LOCATOR) throw bad('zip64 locator missing')
    const record = view(await readAt(fh, Number(dv.getBigUint64(locatorAt + 8, true)), 56))
    if (record.byteLength < 56 || record.getUint32(0, true) !== EOCD64) throw bad('zip64 end record missing')
    count = Number(record.getBigUint64(32, true))
    length = Number(record.getBigUint64(40, true))
    offset = Number(record.getBigUint64(48, true))
  }
  if (offset + length > size) throw bad('central directory past the end of the file')
  return { offset, length, count }
}

function* directoryEntries(dir: Uint8Array, count: number, path: string): Generator<Entry> {
  const dv = view(dir)
  let p = 0
  for (let n = 0; n < count; n++) {
    if (p + 46 > dir.length || dv.getUint32(p, true) !== CENTRAL) throw new AdvisoryError('bad-source', `${path}: not a readable zip (central directory entry ${n} is damaged)`)
    const nameLength = dv.getUint16(p + 28, true)
    const extraLength = dv.getUint16(p + 30, true)
    const commentLength = dv.getUint16(p + 32, true)
    const entry: Entry = {
      name: utf8.decode(dir.subarray(p + 46, p + 46 + nameLength)),
      method: dv.getUint16(p + 10, true),
      crc: dv.getUint32(p + 16, true),
      compressed: dv.getUint32(p + 20, true),
      size: dv.getUint32(p + 24, true),
      offset: dv.getUint32(p + 42, true),
    }
    // Zip64 extra field: the 64-bit values of whichever fields hold 0xFFFFFFFF, in this order.
    let e = p + 46 + nameLength
    const extraEnd = e + extraLength
    while (e + 4 <= extraEnd) {
      const id = dv.getUint16(e, true)
      const len = dv.getUint16(e + 2, true)
      if (id === 0x0001) {
        let q = e + 4
        const next = () => { const v = Number(dv.getBigUint64(q, true)); q += 8; return v }
        if (entry.size === U32_MAX) entry.size = next()
        if (entry.compressed === U32_MAX) entry.compressed = next()
        if (entry.offset === U32_MAX) entry.offset = next()
      }
      e += 4 + len
    }
    p = extraEnd + commentLength
    yield entry
  }
}

async function readEntry(fh: FileHandle, entry: Entry, limits: ZipLimits): Promise<Uint8Array> {
  if (entry.size > limits.maxEntryBytes) throw new Error(`${entry.size} bytes uncompressed, over the ${limits.maxEntryBytes} limit`)
  if (entry.method !== 0 && entry.method !== 8) throw new Error(`compression method ${entry.method} is not supported`)
  // One read for the local header and the data, guessing the local extra field as long as the central one is usually.
  const guess = 30 + entry.name.length * 4 + 64
  let chunk = await readAt(fh, entry.offset, guess + entry.compressed)
  const dv = view(chunk)
  if (chunk.length < 30 || dv.getUint32(0, true) !== LOCAL) throw new Error('local header missing')
  const start = 30 + dv.getUint16(26, true) + dv.getUint16(28, true)
  if (start + entry.compressed > chunk.length) chunk = await readAt(fh, entry.offset, start + entry.compressed)
  const raw = chunk.subarray(start, start + entry.compressed)
  if (raw.length !== entry.compressed) throw new Error('truncated')
  const data = entry.method === 0 ? raw : new Uint8Array(inflateRawSync(raw, { maxOutputLength: Math.max(entry.size, 1) }))
  if (data.length !== entry.size) throw new Error(`inflated to ${data.length} bytes, not ${entry.size}`)
  if ((crc32(data) >>> 0) !== entry.crc) throw new Error('CRC-32 mismatch')
  return data
}

/**
 * The archive's files whose names `wanted` accepts, in central-directory order. A damaged
 * entry comes out as an error item and the rest still come; a damaged archive throws
 * AdvisoryError `bad-source` before the first item.
 */
export async function* zipEntries(path: string, wanted: (name: string) => boolean, limits: Partial<ZipLimits> = {}): AsyncGenerator<ZipItem> {
  const lim = { ...DEFAULT_LIMITS, ...limits }
  const fh = await open(path, 'r')
  try {
    const { size } = await fh.stat()
    const { offset, length, count } = await locateDirectory(fh, size, path)
    if (length > lim.maxDirectoryBytes) throw new AdvisoryError('bad-source', `${path}: central directory of ${length} bytes is over the ${lim.maxDirectoryBytes} limit`)
    const dir = await readAt(fh, offset, length)
    for (const entry of directoryEntries(dir, count, path)) {
      if (entry.name.endsWith('/') || !wanted(entry.name)) continue
      let item: ZipItem
      try {
        item = { name: entry.name, data: await readEntry(fh, entry, lim) }
      } catch (err) {
        item = { name: entry.name, error: `unreadable zip entry: ${(err as Error).message}` }
      }
      yield item
    }
  } finally {
    await fh.close()
  }
}
