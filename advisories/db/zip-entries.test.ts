import { afterAll, describe, it, expect } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strFromU8, strToU8, zipSync } from 'fflate'
import { zipEntries, type ZipItem } from './zip-entries.ts'

const temps: string[] = []
afterAll(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))))

async function write(bytes: Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zt-zip-'))
  temps.push(dir)
  const path = join(dir, 'a.zip')
  await writeFile(path, bytes)
  return path
}

async function collect(path: string, wanted = (_: string) => true, limits = {}): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for await (const item of zipEntries(path, wanted, limits)) out[item.name] = text(item)
  return out
}
const text = (item: ZipItem) => ('error' in item ? `ERROR ${item.error}` : strFromU8(item.data))

/** The same archive with zip64 bookkeeping: each local header offset in a zip64 extra field, and a zip64 end record. */
function zip64(zip: Uint8Array): Uint8Array {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  const eocd = zip.length - 22
  const count = dv.getUint16(eocd + 10, true)
  const cdOffset = dv.getUint32(eocd + 16, true)
  const entries: Uint8Array[] = []
  let p = cdOffset
  for (let i = 0; i < count; i++) {
    const n = dv.getUint16(p + 28, true), e = dv.getUint16(p + 30, true), c = dv.getUint16(p + 32, true)
    const entry = new Uint8Array(46 + n + e + 12 + c)
    entry.set(zip.subarray(p, p + 46 + n + e), 0)
    const ev = new DataView(entry.buffer)
    const offset = ev.getUint32(42, true)
    ev.setUint32(42, 0xffffffff, true)
    ev.setUint16(30, e + 12, true)
    ev.setUint16(46 + n + e, 0x0001, true)
    ev.setUint16(46 + n + e + 2, 8, true)
    ev.setBigUint64(46 + n + e + 4, BigInt(offset), true)
    entry.set(zip.subarray(p + 46 + n + e, p + 46 + n + e + c), 46 + n + e + 12)
    entries.push(entry)
    p += 46 + n + e + c
  }
  const cdLength = entries.reduce((s, x) => s + x.length, 0)
  const out = new Uint8Array(cdOffset + cdLength + 56 + 20 + 22)
  out.set(zip.subarray(0, cdOffset), 0)
  let q = cdOffset
  for (const x of entries) { out.set(x, q); q += x.length }
  const ov = new DataView(out.buffer)
  const rec64 = q
  ov.setUint32(q, 0x06064b50, true); ov.setBigUint64(q + 4, 44n, true); ov.setUint16(q + 12, 45, true); ov.setUint16(q + 14, 45, true)
  ov.setBigUint64(q + 24, BigInt(count), true); ov.setBigUint64(q + 32, BigInt(count), true)
  ov.setBigUint64(q + 40, BigInt(cdLength), true); ov.setBigUint64(q + 48, BigInt(cdOffset), true)
  q += 56
  ov.setUint32(q, 0x07064b50, true); ov.setBigUint64(q + 8, BigInt(rec64), true); ov.setUint32(q + 16, 1, true)
  q += 20
  ov.setUint32(q, 0x06054b50, true); ov.setUint16(q + 8, 0xffff, true); ov.setUint16(q + 10, 0xffff, true)
  ov.setUint32(q + 12, 0xffffffff, true); ov.setUint32(q + 16, 0xffffffff, true)
  return out
}

const FILES = {
  'a/GHSA-1.json': strToU8('{"id":"GHSA-1"}'.repeat(50)),
  'b.json': [strToU8('{"id":"b"}'), { level: 0 }] as [Uint8Array, { level: 0 }],
  'dir/': new Uint8Array(0),
  'readme.txt': strToU8('hello'),
}

describe('zip entries', () => {
  it('reads deflated and stored files through the central directory, skipping folders and unwanted names', async () => {
    const path = await write(zipSync(FILES))
    expect(await collect(path, (n) => n.endsWith('.json'))).toEqual({ 'a/GHSA-1.json': '{"id":"GHSA-1"}'.repeat(50), 'b.json': '{"id":"b"}' })
  })

  it('reads zip64 archives (end record and per-entry offsets)', async () => {
    const path = await write(zip64(zipSync(FILES)))
    expect(await collect(path, (n) => n.endsWith('.json'))).toEqual({ 'a/GHSA-1.json': '{"id":"GHSA-1"}'.repeat(50), 'b.json': '{"id":"b"}' })
  })

  it('reports a damaged or oversized entry and goes on with the rest', async () => {
    const zip = zipSync(FILES)
    const at = Buffer.from(zip).indexOf('{"id":"b"}')
    zip[at + 2] = 'X'.charCodeAt(0)
    const path = await write(zip)
    const got = await collect(path, (n) => n.endsWith('.json'))
    expect(got['b.json']).toMatch(/^ERROR .*CRC-32/)
    expect(got['a/GHSA-1.json']).toBe('{"id":"GHSA-1"}'.repeat(50))
    expect((await collect(path, (n) => n.startsWith('a/'), { maxEntryBytes: 100 }))['a/GHSA-1.json']).toMatch(/^ERROR .*over the 100 limit/)
  })

  it('refuses what is not a zip with a named code', async () => {
    const path = await write(strToU8('not a zip at all'.repeat(10)))
    await expect(collect(path)).rejects.toMatchObject({ name: 'AdvisoryError', code: 'bad-source' })
    const truncated = zipSync(FILES).subarray(0, 40)
    await expect(collect(await write(truncated))).rejects.toMatchObject({ code: 'bad-source' })
  })
})
