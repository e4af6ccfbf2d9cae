// A scan's whole result as one value of the scan cache (`s!memo`), beside the per-file
// entries it was made from: a rescan of an unchanged tree reads and checks it instead of
// 10,000 entries (bench:scan: each entry a key and a value made on the scan's thread, then
// decoded one by one). It answers only where every per-file entry would, for every file: the
// same roots, advisory DB generation, agent and secrets setting (and the packages kept, where
// the scan wants them); the same files at the same paths with the same size, mtime and ctime;
// the side files their parsers read unchanged. It is the last completed scan's: a scan that
// cannot use it drops it before it changes anything in the cache, and leaves its own at the
// end only if every file of it was cached (none changed too recently to trust its stamp,
// none unreadable), so a memo never outlives the entries it summarises.
//
//   u8 FORMAT · u8 flags (1: secrets looked for, 2: packages kept) · u32 files · u32 findings
//   · str roots (joined by NUL) · str generation ('' without advisories) · str agent
//   · str absolute paths (NUL-joined) · str relative paths (NUL-joined) · str finding ids (newline-joined)
//   · u32 n + msgpack [[file, error, secrets, deps]…] for the files with any
//   · 0–7 zero bytes · f64 size, mtimeMs, ctimeMs per file · u32 packages per file
//   · u32 findings per file · u32 advisory group and package version per finding (cached-findings.ts)
// where str is u32 byte length + UTF-8, and numbers are little-endian.
import type { Finding } from '../../crdt/index.ts'
import { pack, unpack } from '../../protocol/index.ts'
import { findingsAt, type GroupTable, type StoredFindings } from './cached-findings.ts'
import { NO_SECRETS } from './cache-entry.ts'
import type { FileStamp, SecretHit } from './file-result.ts'
import { depsUnchanged } from './stamps.ts'
import { f64At, putF64, putU32, u32At } from './le-numbers.ts'

const FORMAT = 1
const SECRETS = 1
const PACKED = 2
/**
 * The largest memo kept (bench:scan's 10,000 files and 151,513 findings make 7.4 MB): one
 * value read whole on every rescan, and built whole at the end of the scan that leaves it.
 */
export const MAX_MEMO_BYTES = 64 * 1024 * 1024

/** What a memo is valid for: the scan that made it, or one that would use it. */
export interface MemoSetting {
  roots: string[]
  /** The advisory DB generation its findings were matched under ('' for a scan without advisories). */
  generation: string
  agent: string
  secrets: boolean
  /** Every file's packages are in the cache (a scan that keeps the inventory wrote them). */
  packed: boolean
}

/** A file as the memo keeps it: its stamp as its cache entry has it, and what the scan's result needs of it. */
export interface MemoFile {
  abs: string
  rel: string
  size: number
  mtimeMs: number
  ctimeMs: number
  count: number
  error: string | undefined
  secrets: SecretHit[]
  deps: FileStamp[] | undefined
  /** Its findings in stored form (cached-findings.ts; ['', []] where none). */
  stored: StoredFindings
}

/** A file the scan found, as the memo compares it. */
export interface MemoTask { abs: string, rel: string, size: number, mtimeMs: number, ctimeMs: number }

/** What the memo gives for a file. */
export interface MemoResult { rel: string, count: number, error: string | undefined, secrets: SecretHit[], findings: Finding[] }

/** The memo of these files, or undefined past MAX_MEMO_BYTES (a scan that large reads its entries). */
export function encodeMemo(setting: MemoSetting, files: MemoFile[]): Uint8Array | undefined {
  const n = files.length
  // Each file's ids, as its stored form joins them, written at once: the memo's are all of
  // them joined by newlines (read back, split once).
  let findings = 0
  let idBytes = 0
  const extras: [number, string | null, SecretHit[] | null, FileStamp[] | null][] = []
  for (let i = 0; i < n; i++) {
    const f = files[i]!
    const k = f.stored[1].length / 2
    if (k > 0) idBytes += (findings > 0 ? 1 : 0) + Buffer.byteLength(f.stored[0], 'utf8')
    findings += k
    if (f.error !== undefined || f.secrets.length > 0 || f.deps !== undefined) extras.push([i, f.error ?? null, f.secrets.length > 0 ? f.secrets : null, f.deps ?? null])
  }
  let paths = 0
  for (let i = 0; i < n; i++) paths += files[i]!.abs.length + files[i]!.rel.length + 2
  if (idBytes + paths + 32 * n + 8 * findings > MAX_MEMO_BYTES) return undefined
  const strings = [setting.roots.join('\0'), setting.generation, setting.agent, files.map((f) => f.abs).join('\0'), files.map((f) => f.rel).join('\0')]
  const extra = pack(extras)
  let size = 1 + 1 + 4 + 4 + 4 + idBytes + 4 + extra.length
  for (const s of strings) size += 4 + Buffer.byteLength(s, 'utf8')
  const numbersAt = align(size, 8)
  const b = Buffer.alloc(numbersAt + 24 * n + 8 * n + 8 * findings)
  let at = b.writeUInt8(FORMAT, 0)
  at = b.writeUInt8((setting.secrets ? SECRETS : 0) | (setting.packed ? PACKED : 0), at)
  at = b.writeUInt32LE(n, at)
  at = b.writeUInt32LE(findings, at)
  for (const s of strings) { const len = b.write(s, at + 4, 'utf8'); b.writeUInt32LE(len, at); at += 4 + len }
  at = b.writeUInt32LE(idBytes, at)
  const idsStart = at
  for (let i = 0; i < n; i++) {
    if (files[i]!.stored[1].length === 0) continue
    if (at > idsStart) b[at++] = 10
    at += b.write(files[i]!.stored[0], at, 'utf8')
  }
  at = b.writeUInt32LE(extra.length, at)
  b.set(extra, at)
  // The numbers gathered into typed arrays, each written with one copy.
  const stamps = new Float64Array(3 * n)
  const perFile = new Uint32Array(2 * n)
  const refs = new Uint32Array(2 * findings)
  let r = 0
  for (let i = 0; i < n; i++) {
    const f = files[i]!
    stamps[3 * i] = f.size
    stamps[3 * i + 1] = f.mtimeMs
    stamps[3 * i + 2] = f.ctimeMs
    perFile[i] = f.count
    const fileRefs = f.stored[1]
    perFile[n + i] = fileRefs.length / 2
    refs.set(fileRefs, r)
    r += fileRefs.length
  }
  putU32(b, putU32(b, putF64(b, numbersAt, stamps), perFile), refs)
  return b
}

/**
 * The results of `tasks` (in their order) from the memo, or undefined where it does not
 * answer for exactly these files under this setting (a damaged memo does not either).
 * `table` is the generation's (undefined for a scan without advisories).
 */
export function readMemo(bytes: Uint8Array, setting: MemoSetting, tasks: MemoTask[], table: GroupTable | undefined): MemoResult[] | undefined {
  try {
    return read(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), setting, tasks, table)
  } catch {
    return undefined
  }
}

function read(b: Buffer, setting: MemoSetting, tasks: MemoTask[], table: GroupTable | undefined): MemoResult[] | undefined {
  if (b.length < 14 || b[0] !== FORMAT) return undefined
  const flags = b[1]!
  const n = b.readUInt32LE(2)
  const total = b.readUInt32LE(6)
  if (n !== tasks.length || ((flags & SECRETS) !== 0) !== setting.secrets || (setting.packed && (flags & PACKED) === 0)) return undefined
  let at = 10
  const str = (): string => {
    const len = b.readUInt32LE(at)
    if (at + 4 + len > b.length) throw new RangeError('scan memo cut short')
    const s = b.toString('utf8', at + 4, at + 4 + len)
    at += 4 + len
    return s
  }
  if (str() !== setting.roots.join('\0') || str() !== setting.generation || str() !== setting.agent) return undefined
  // The same files at the same paths: compared as one string each, not path by path.
  const abs = new Array<string>(n)
  const rel = new Array<string>(n)
  for (let i = 0; i < n; i++) { abs[i] = tasks[i]!.abs; rel[i] = tasks[i]!.rel }
  if (str() !== abs.join('\0') || str() !== rel.join('\0')) return undefined
  const idsText = str()
  const extraLength = b.readUInt32LE(at)
  const extras = unpack(b.subarray(at + 4, at + 4 + extraLength)) as [number, string | null, SecretHit[] | null, FileStamp[] | null][]
  at = align(at + 4 + extraLength, 8)
  if (at + 24 * n + 8 * n + 8 * total !== b.length) throw new RangeError('scan memo of the wrong length')
  const stamps = f64At(b, at, 3 * n)
  for (let i = 0; i < n; i++) {
    const t = tasks[i]!
    if (stamps[3 * i] !== t.size || stamps[3 * i + 1] !== t.mtimeMs || stamps[3 * i + 2] !== t.ctimeMs) return undefined
  }
  for (const [, , , deps] of extras) if (deps !== null && !depsUnchanged(deps)) return undefined
  at += 24 * n
  const counts = u32At(b, at, n)
  const perFile = u32At(b, at + 4 * n, n)
  const refs = u32At(b, at + 8 * n, 2 * total)
  if (total > 0 && table === undefined) return undefined
  const ids = total === 0 ? [] : idsText.split('\n')
  if (ids.length !== total) return undefined
  const out = new Array<MemoResult>(n)
  let first = 0
  for (let i = 0; i < n; i++) {
    const k = perFile[i]!
    const findings = k === 0 ? [] : findingsAt(ids, first, refs, k, table!, rel[i]!)
    if (findings === undefined) return undefined
    first += k
    out[i] = { rel: rel[i]!, count: counts[i]!, error: undefined, secrets: NO_SECRETS, findings }
  }
  if (first !== total) return undefined
  for (const [i, error, secrets] of extras) {
    const r = out[i]!
    if (error !== null) r.error = error
    if (secrets !== null) r.secrets = secrets
  }
  return out
}

const align = (n: number, to: number) => Math.ceil(n / to) * to
