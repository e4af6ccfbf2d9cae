// The advisory DB: validated OSV records in LevelDB, indexed by ecosystem and normalised
// package name, so a lookup reads the records of one package and nothing else sits in the
// heap but a bounded cache. Keys are UTF-8 with \0 between parts (no id, ecosystem or
// name may hold one); values are msgpack.
//   r\0<id>                  → the record, withdrawn ones included
//   n\0<ecosystem>\0<name>   → sorted ids of the live records affecting that package
//   m\0status                → counts, newest modified, revision; rewritten in every batch
// Every batch of records, their index entries and the status go in one atomic write, so
// an import stopped at any point leaves a consistent DB that the next import completes.
// A package's ids sit under one key (read with one get) rather than one key per id (read
// with an iterator): most packages a scan asks about have no advisory, and a miss then
// costs a point lookup instead of an iterator seek.
import { randomUUID } from 'node:crypto'
import type { AbstractLevel } from 'abstract-level'
import { ClassicLevel } from 'classic-level'
import { baseEcosystem, normalizeName, pack, unpack } from '../../protocol/index.ts'
import { AdvisoryDbError } from '../errors.ts'
import type { OsvRecord } from '../osv.ts'
import { DB_DEFAULTS } from './constants.ts'
import { countRecord as count, instant, type DbStatus } from './db-status.ts'
import { RecordCache } from './record-cache.ts'
import { readSource } from './record-sources.ts'

export type { DbStatus } from './db-status.ts'

/** Any abstract-level store with string keys and byte values: classic-level on disk, memory-level in tests. */
export type AdvisoryStore = AbstractLevel<string | Uint8Array | Buffer, string, Uint8Array>

export interface AdvisoryDbOptions {
  signal?: AbortSignal
  /** Creates the store for `dir` (default classic-level). */
  level?: (dir: string) => AdvisoryStore
  /** Records the lookup cache holds at most. */
  cacheRecords?: number
  /** Records written per atomic batch. */
  batchSize?: number
  /** How long open waits for another process to release the DB before failing with `locked`. */
  lockTimeoutMs?: number
  /** Names a new DB, so generations of different DBs never collide (tests inject a fixed one). */
  newId?: () => string
}

export interface ImportStats {
  added: number, updated: number, unchanged: number
  /** Records added or updated as withdrawn: stored, counted, matched by nothing. */
  withdrawn: number
  invalid: number
  /** Where each invalid record was (`line 12`, a file or zip entry name) and why; the first 1,000. */
  errors: { where: string, message: string }[]
  durationMs: number
}

export interface ImportOptions {
  /** Called after every batch with the number of records read so far. */
  onProgress?: (records: number) => void
  signal?: AbortSignal
}

interface Meta extends DbStatus { format: 1, id: string }

const META = 'm\0status'
const LEGACY_META = 'm!status'
const recordKey = (id: string) => 'r\0' + id
const packageKey = (ecosystem: string, name: string) => `n\0${baseEcosystem(ecosystem)}\0${normalizeName(ecosystem, name)}`

type Op = { type: 'put', key: string, value: Uint8Array } | { type: 'del', key: string }

function packageKeys(r: OsvRecord): string[] {
  if (r.withdrawn) return []
  return [...new Set(r.affected.flatMap((a) => (a.package ? [packageKey(a.package.ecosystem, a.package.name)] : [])))]
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0
}

export class AdvisoryDb {
  readonly #db: AdvisoryStore
  readonly #cache: RecordCache
  readonly #batchSize: number
  #meta: Meta
  /** Bumped whenever the cache is cleared, so a lookup that began before a write does not cache what it read. */
  #epoch = 0
  /** Imports run one after another; close waits for them. */
  #queue: Promise<unknown> = Promise.resolve()
  #closed = false

  private constructor(db: AdvisoryStore, meta: Meta, opts: AdvisoryDbOptions) {
    this.#db = db
    this.#meta = meta
    this.#cache = new RecordCache(opts.cacheRecords ?? DB_DEFAULTS.cacheRecords)
    this.#batchSize = Math.max(1, opts.batchSize ?? DB_DEFAULTS.batchSize)
  }

  /** @internal openAdvisoryDb is the way in. */
  static async create(db: AdvisoryStore, opts: AdvisoryDbOptions): Promise<AdvisoryDb> {
    // A DB written with the earlier `r!`/`p!` layout holds only derived data: discard it, a re-import rebuilds it.
    if ((await db.get(LEGACY_META)) !== undefined) await db.clear()
    const bytes = await db.get(META)
    let meta: Meta
    if (bytes === undefined) {
      meta = { format: 1, id: (opts.newId ?? randomUUID)(), ecosystems: {}, total: 0, withdrawn: 0, newestModified: null, revision: 0 }
    } else {
      try {
        meta = unpack(bytes) as Meta
      } catch (err) {
        throw new AdvisoryDbError('unreadable', 'the advisory DB status cannot be read; remove the DB folder and import again', { cause: err })
      }
      if (meta?.format !== 1) throw new AdvisoryDbError('unreadable', `the advisory DB has layout ${String(meta?.format)}, this version reads layout 1; remove it and import again`)
    }
    return new AdvisoryDb(db, meta, opts)
  }

  async status(): Promise<DbStatus> {
    const { ecosystems, total, withdrawn, newestModified, revision } = this.#meta
    return { ecosystems: { ...ecosystems }, total, withdrawn, newestModified, revision }
  }

  /** Identifies the DB's content: findings cached under one generation stay valid while it holds. */
  generation(): string {
    return `${this.#meta.id}:${this.#meta.revision}`
  }

  /** The stored record, withdrawn or not. */
  async get(id: string): Promise<OsvRecord | undefined> {
    const v = await this.#db.get(recordKey(id))
    return v === undefined ? undefined : (unpack(v) as OsvRecord)
  }

  /** The live records listing this package (by base ecosystem and normalised name). Records are shared: do not mutate them. */
  async recordsFor(ecosystem: string, name: string): Promise<OsvRecord[]> {
    const key = packageKey(ecosystem, name)
    const hit = this.#cache.get(key)
    if (hit) return [...hit]
    const epoch = this.#epoch
    const list = await this.#db.get(key)
    let records: OsvRecord[] = []
    if (list !== undefined) {
      const ids = unpack(list) as string[]
      const values = await this.#db.getMany(ids.map(recordKey))
      records = values.filter((v): v is Uint8Array => v !== undefined).map((v) => unpack(v) as OsvRecord).filter((r) => !r.withdrawn)
    }
    if (epoch === this.#epoch) this.#cache.set(key, records)
    return [...records]
  }

  /**
   * `recordsFor` of many packages with two reads of the store in all (the package index
   * entries, then the records they name): a scan asks about thousands of names, most of
   * them without an advisory.
   */
  async recordsForMany(packages: { ecosystem: string, name: string }[]): Promise<OsvRecord[][]> {
    const out: OsvRecord[][] = new Array(packages.length)
    const keys = packages.map((p) => packageKey(p.ecosystem, p.name))
    const missing: number[] = []
    keys.forEach((key, i) => {
      const hit = this.#cache.get(key)
      if (hit) out[i] = [...hit]
      else missing.push(i)
    })
    if (missing.length === 0) return out
    const epoch = this.#epoch
    const lists = await this.#db.getMany(missing.map((i) => keys[i]!))
    const idsOf = lists.map((v) => (v === undefined ? [] : (unpack(v) as string[])))
    const allIds = [...new Set(idsOf.flat())]
    const values = allIds.length > 0 ? await this.#db.getMany(allIds.map(recordKey)) : []
    const byId = new Map<string, OsvRecord>()
    allIds.forEach((id, i) => { const v = values[i]; if (v !== undefined) byId.set(id, unpack(v) as OsvRecord) })
    missing.forEach((i, j) => {
      const records = idsOf[j]!.flatMap((id) => { const r = byId.get(id); return r && !r.withdrawn ? [r] : [] })
      if (epoch === this.#epoch) this.#cache.set(keys[i]!, records)
      out[i] = [...records]
    })
    return out
  }

  /**
   * Imports an OSV all.zip, a folder of .json files, a .jsonl or a .json file (OSV records, or
   * the npm security WG's advisories). A record replaces the stored one when its `modified` is
   * newer, or equal with other content; an older or identical one is counted unchanged. A
   * withdrawn record is stored but leaves the package index. Invalid records are counted and
   * reported, never fatal; the source being unreadable is (AdvisoryError `bad-source`).
   */
  import(source: string, opts: ImportOptions = {}): Promise<ImportStats> {
    const run = this.#queue.then(() => this.#import(source, opts))
    this.#queue = run.catch(() => undefined)
    return run
  }

  async #import(source: string, opts: ImportOptions): Promise<ImportStats> {
    if (this.#closed) throw new Error('the advisory DB is closed')
    const started = performance.now()
    const stats: ImportStats = { added: 0, updated: 0, unchanged: 0, withdrawn: 0, invalid: 0, errors: [], durationMs: 0 }
    let pending: OsvRecord[] = []
    let seen = 0
    const invalid = (where: string, message: string) => {
      stats.invalid++
      if (stats.errors.length < DB_DEFAULTS.maxReportedErrors) stats.errors.push({ where, message })
    }
    for await (const item of readSource(source, opts.signal)) {
      seen++
      if ('error' in item) {
        invalid(item.where, item.error)
      } else if (item.record.affected.some((a) => a.package && (a.package.ecosystem.includes('\0') || a.package.name.includes('\0')))) {
        invalid(item.where, `${item.record.id}: a package ecosystem or name holds a NUL character`)
      } else {
        pending.push(item.record)
      }
      if (pending.length >= this.#batchSize) {
        opts.signal?.throwIfAborted()
        await this.#writeBatch(pending, stats)
        pending = []
        opts.onProgress?.(seen)
      }
    }
    opts.signal?.throwIfAborted()
    await this.#writeBatch(pending, stats)
    opts.onProgress?.(seen)
    stats.durationMs = Math.round(performance.now() - started)
    return stats
  }

  async #writeBatch(records: OsvRecord[], stats: ImportStats): Promise<void> {
    if (records.length === 0) return
    // One version per id in a batch: the newest (the later one when equally new); the others count as unchanged.
    const byId = new Map<string, OsvRecord>()
    for (const r of records) {
      const other = byId.get(r.id)
      if (other !== undefined) stats.unchanged++
      if (other === undefined || instant(r.modified) >= instant(other.modified)) byId.set(r.id, r)
    }
    const ids = [...byId.keys()]
    const stored = await this.#db.getMany(ids.map(recordKey))
    const meta: Meta = { ...this.#meta, ecosystems: { ...this.#meta.ecosystems } }
    const ops: Op[] = []
    /** Per package key: ids to add (true) or remove (false). */
    const index = new Map<string, Map<string, boolean>>()
    const mark = (key: string, id: string, add: boolean) => {
      let m = index.get(key)
      if (!m) index.set(key, (m = new Map()))
      m.set(id, add)
    }
    ids.forEach((id, i) => {
      const next = byId.get(id)!
      const bytes = pack(next)
      const oldBytes = stored[i]
      let prev: OsvRecord | undefined
      if (oldBytes !== undefined) {
        if (sameBytes(oldBytes, bytes)) { stats.unchanged++; return }
        prev = unpack(oldBytes) as OsvRecord
        if (instant(next.modified) < instant(prev.modified)) { stats.unchanged++; return }
        stats.updated++
        count(meta, prev, -1)
      } else {
        stats.added++
      }
      if (next.withdrawn) stats.withdrawn++
      count(meta, next, 1)
      ops.push({ type: 'put', key: recordKey(id), value: bytes })
      const before = prev ? packageKeys(prev) : []
      const after = packageKeys(next)
      for (const k of before) if (!after.includes(k)) mark(k, id, false)
      for (const k of after) if (!before.includes(k)) mark(k, id, true)
    })
    if (ops.length === 0) return
    const keys = [...index.keys()]
    const lists = keys.length > 0 ? await this.#db.getMany(keys) : []
    keys.forEach((key, i) => {
      const ids = new Set(lists[i] === undefined ? [] : (unpack(lists[i]!) as string[]))
      for (const [id, add] of index.get(key)!) {
        if (add) ids.add(id)
        else ids.delete(id)
      }
      ops.push(ids.size === 0 ? { type: 'del', key } : { type: 'put', key, value: pack([...ids].sort()) })
    })
    meta.revision++
    ops.push({ type: 'put', key: META, value: pack(meta) })
    await this.#db.batch(ops)
    this.#meta = meta
    this.#epoch++
    this.#cache.clear()
  }

  /** Safe to call twice; waits for a running import to finish first. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#queue
    await this.#db.close()
  }
}

function isLocked(err: unknown): boolean {
  const e = err as { code?: string, cause?: { code?: string } }
  return e?.code === 'LEVEL_LOCKED' || e?.cause?.code === 'LEVEL_LOCKED'
}

/** Opens (creating if need be) the advisory DB in `dir`; AdvisoryDbError `locked` while another process holds it. */
export async function openAdvisoryDb(dir: string, opts: AdvisoryDbOptions = {}): Promise<AdvisoryDb> {
  const deadline = performance.now() + (opts.lockTimeoutMs ?? DB_DEFAULTS.lockTimeoutMs)
  for (;;) {
    opts.signal?.throwIfAborted()
    const db = opts.level ? opts.level(dir) : new ClassicLevel<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
    try {
      await db.open()
    } catch (err) {
      if (!isLocked(err)) throw err
      if (performance.now() >= deadline) throw new AdvisoryDbError('locked', `the advisory DB in ${dir} is in use by another process`, { cause: err })
      await new Promise((resolve) => setTimeout(resolve, DB_DEFAULTS.lockRetryMs))
      continue
    }
    try {
      opts.signal?.throwIfAborted()
      return await AdvisoryDb.create(db, opts)
    } catch (err) {
      await db.close()
      throw err
    }
  }
}
