// A file's entry in the scan cache (`f!<path>`), in a layout of its own rather than msgpack:
// a rescan reads 10,000 of them and compares their stamps, and decoding each with msgpack
// made a JS value of every field (the stamps as heap numbers, every string sliced out of one
// extracted string, the finding refs as an array), a quarter of a rescan's allocation.
//
//   u8 FORMAT · f64 size · f64 mtimeMs · f64 ctimeMs · u32 count · u8 flags (1: secrets looked for) · str hash
//   · u32 n + msgpack [secrets, error, deps] (n = 0: none, none, none)
//   · u8 0 (no findings) | u8 1 · str generation · str agent · str path · u32 findings · str ids
//     · 0–3 zero bytes (the refs start at a multiple of 4: read in place) · u32 refs…
// where str is u32 byte length + UTF-8, ids are the findings' ids joined by newlines and refs
// two per finding (advisory group, package version: cached-findings.ts).
import { pack, unpack } from '../../protocol/index.ts'
import type { Finding } from '../../crdt/index.ts'
import { decodeFindings, type GroupTable, type StoredFindings } from './cached-findings.ts'
import type { FileStamp, SecretHit } from './file-result.ts'
import { putU32, u32At } from './le-numbers.ts'

/**
 * Findings of a file's packages, valid for one advisory DB generation, agent and path; with
 * their stored form (cached-findings.ts) once known, read from the entry or noted by the
 * write that made it: a scan's memo (scan-memo.ts) is made of those, and an entry stored
 * again reuses it. (Read from an entry, the findings' ids are slices of its ids: keeping
 * them costs nothing more.)
 */
export interface CachedVulns { generation: string, agent: string, path: string, findings: Finding[], stored?: StoredFindings }

/** A file's result as cached: all of it but its paths, match keys and packages (kept apart). */
export interface CachedFile {
  size: number
  mtimeMs: number
  ctimeMs: number
  hash: string
  count: number
  secrets: SecretHit[]
  /**
   * Whether the file was looked through for secrets (`secrets` is then what that found): an
   * entry from a --no-secrets scan says nothing of them, and a scan for secrets reads it again.
   */
  secretsScanned: boolean
  error?: string
  deps?: FileStamp[]
  vulns?: CachedVulns
}

/** Where a file's findings are, in stored form, with what names their place. */
export interface StoredVulns { generation: string, agent: string, path: string, stored: StoredFindings }

const FORMAT = 7
/** Shared by every file without secrets (entries, a scan's results): frozen, so nothing can add to all of them at once. */
export const NO_SECRETS = Object.freeze([]) as unknown as SecretHit[]

/** A file's entry; `vulns` (when its findings could be stored) replaces `file.vulns`. */
export function encodeEntry(file: CachedFile, vulns: StoredVulns | undefined): Uint8Array {
  const hasExtra = file.secrets.length > 0 || file.error !== undefined || file.deps !== undefined
  const extra = hasExtra ? pack([file.secrets, file.error ?? null, file.deps ?? null]) : undefined
  const strings = vulns ? [file.hash, vulns.generation, vulns.agent, vulns.path, vulns.stored[0]] : [file.hash]
  let size = 1 + 24 + 4 + 1 + 4 + (extra?.length ?? 0) + 1 + (vulns ? 4 : 0)
  for (const s of strings) size += 4 + Buffer.byteLength(s, 'utf8')
  const b = Buffer.alloc(vulns ? align4(size) + 4 * vulns.stored[1].length : size)
  let at = b.writeUInt8(FORMAT, 0)
  at = b.writeDoubleLE(file.size, at)
  at = b.writeDoubleLE(file.mtimeMs, at)
  at = b.writeDoubleLE(file.ctimeMs, at)
  at = b.writeUInt32LE(file.count, at)
  at = b.writeUInt8(file.secretsScanned ? 1 : 0, at)
  const str = (s: string) => { const n = b.write(s, at + 4, 'utf8'); b.writeUInt32LE(n, at); at += 4 + n }
  str(file.hash)
  at = b.writeUInt32LE(extra?.length ?? 0, at)
  if (extra) { b.set(extra, at); at += extra.length }
  if (!vulns) { b.writeUInt8(0, at); return b }
  at = b.writeUInt8(1, at)
  str(vulns.generation)
  str(vulns.agent)
  str(vulns.path)
  const refs = vulns.stored[1]
  at = b.writeUInt32LE(refs.length / 2, at)
  str(vulns.stored[0])
  putU32(b, align4(at), refs)
  return b
}

const align4 = (n: number) => (n + 3) & ~3

/**
 * The entry's file; its findings only when stored under `table`'s generation (and every ref
 * is in the table). undefined for an entry of another layout (the file is read again and
 * its entry rewritten); a damaged entry throws.
 */
export function decodeEntry(bytes: Uint8Array, table: GroupTable | undefined): CachedFile | undefined {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (b.length === 0 || b[0] !== FORMAT) return undefined
  let at = 1
  const size = b.readDoubleLE(at)
  const mtimeMs = b.readDoubleLE(at + 8)
  const ctimeMs = b.readDoubleLE(at + 16)
  const count = b.readUInt32LE(at + 24)
  const secretsScanned = (b[at + 28]! & 1) === 1
  at += 29
  const str = (): string => {
    const n = b.readUInt32LE(at)
    const end = at + 4 + n
    if (end > b.length) throw new RangeError('scan cache entry cut short')
    const s = b.toString('utf8', at + 4, end)
    at = end
    return s
  }
  const hash = str()
  const file: CachedFile = { size, mtimeMs, ctimeMs, hash, count, secrets: NO_SECRETS, secretsScanned }
  const extraLength = b.readUInt32LE(at)
  at += 4
  if (extraLength > 0) {
    const [secrets, error, deps] = unpack(b.subarray(at, at + extraLength)) as [SecretHit[], string | null, FileStamp[] | null]
    file.secrets = secrets
    if (error !== null) file.error = error
    if (deps !== null) file.deps = deps
    at += extraLength
  }
  if (b.readUInt8(at++) === 0 || table === undefined) return file
  const generation = str()
  if (generation !== table.generation) return file
  const agent = str()
  const path = str()
  const n = b.readUInt32LE(at)
  at += 4
  const ids = str()
  at = align4(at)
  if (at + 8 * n !== b.length) throw new RangeError('scan cache entry of the wrong length')
  const refs = u32At(b, at, 2 * n)
  const findings = decodeFindings(ids, refs, table, path)
  if (findings) file.vulns = { generation, agent, path, findings, stored: [ids, refs] }
  return file
}
