// The hub's advisory DB: one LevelDB in `<hub data>/advisories` holding the OSV records
// (the same layout as an agent's DB, through advisories/' AdvisoryDb, so `zt db status
// --db` reads it too) and, in sublevels beside them, EPSS scores and the CISA KEV catalog
// keyed by CVE id. An EPSS or KEV import writes a new generation sublevel and then
// switches to it in one write, so lookups see the old data or the new, never a mix, and a
// crash mid-import leaves the old data in place (the half-written generation is cleared
// by the next import).
//   !enrich!epss / !enrich!kev  → status of the current generation (msgpack)
//   !epss-<n>!<CVE>             → {epss, percentile, date}
//   !kev-<n>!<CVE>              → {dateAdded, dueDate, ransomware, vendor, product, name}
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { AdvisoryDbError, openAdvisoryDb, type AdvisoryDb, type AdvisoryStore, type DbStatus, type ImportStats } from '../../advisories/index.ts'
import { pack, unpack } from '../../protocol/index.ts'
import { ENRICH_DEFAULTS } from './constants.ts'
import { readEpss, CVE_ID, type EpssHeader, type EpssScore } from './epss-csv.ts'
import { EnrichError } from './errors.ts'
import { readKev, type KevEntry } from './kev-json.ts'

export type { EpssScore } from './epss-csv.ts'
export type { KevEntry } from './kev-json.ts'

/** What a sublevel is used for here. */
interface Sub {
  get(key: string): Promise<Uint8Array | undefined>
  getMany(keys: string[]): Promise<(Uint8Array | undefined)[]>
  put(key: string, value: Uint8Array): Promise<void>
  batch(ops: { type: 'put', key: string, value: Uint8Array }[]): Promise<void>
  clear(): Promise<void>
}

export interface FeedStatus {
  /** Generation in use (0: never imported). */
  generation: number
  count: number
  invalid: number
  importedAt: number | null
  source: string | null
  /** EPSS: the file's score date and model; KEV: the catalog's version and release date. */
  date: string | null
  version: string | null
}

export interface FeedImportStats {
  imported: number
  invalid: number
  /** The first ENRICH_DEFAULTS.maxReportedErrors bad lines or entries, named. */
  errors: { where: string, message: string }[]
  durationMs: number
}

export interface HubDbStatus { advisories: DbStatus, epss: FeedStatus, kev: FeedStatus }

export interface HubDbOptions {
  signal?: AbortSignal
  /** Creates the store (default classic-level in `dir`); tests pass memory-level. */
  level?: (dir: string) => AdvisoryStore
  lockTimeoutMs?: number
  /** Decoded OSV records the lookup cache holds at most (AdvisoryDb's default when unset). */
  cacheRecords?: number
  now?: () => number
  newId?: () => string
}

type Feed = 'epss' | 'kev'

const EMPTY_FEED: FeedStatus = { generation: 0, count: 0, invalid: 0, importedAt: null, source: null, date: null, version: null }

/** `<hub data>/advisories`. */
export function hubDbDir(dataDir: string): string {
  return join(dataDir, ENRICH_DEFAULTS.dbDir)
}

export class HubDb {
  readonly advisories: AdvisoryDb
  readonly #root: AdvisoryStore
  readonly #meta: Sub
  readonly #now: () => number
  readonly #status: Record<Feed, FeedStatus>
  #queue: Promise<unknown> = Promise.resolve()
  #closed = false
  readonly #listeners = new Set<(what: Feed | 'advisories') => void>()

  private constructor(advisories: AdvisoryDb, root: AdvisoryStore, meta: Sub, status: Record<Feed, FeedStatus>, now: () => number) {
    this.advisories = advisories
    this.#root = root
    this.#meta = meta
    this.#status = status
    this.#now = now
  }

  /** @internal openHubDb is the way in. */
  static async create(advisories: AdvisoryDb, root: AdvisoryStore, opts: HubDbOptions): Promise<HubDb> {
    const meta = root.sublevel<string, Uint8Array>('enrich', { valueEncoding: 'view' }) as unknown as Sub
    const read = async (feed: Feed): Promise<FeedStatus> => {
      const v = await meta.get(feed)
      return v === undefined ? { ...EMPTY_FEED } : { ...EMPTY_FEED, ...(unpack(v) as FeedStatus) }
    }
    return new HubDb(advisories, root, meta, { epss: await read('epss'), kev: await read('kev') }, opts.now ?? Date.now)
  }

  #generation(feed: Feed, n: number): Sub {
    return this.#root.sublevel<string, Uint8Array>(`${feed}-${n}`, { valueEncoding: 'view' }) as unknown as Sub
  }

  /** Changes whenever advisories, EPSS or KEV change: enrichment computed under one generation stays valid while it holds. */
  generation(): string {
    return `${this.advisories.generation()}/e${this.#status.epss.generation}/k${this.#status.kev.generation}`
  }

  /**
   * Called after an import changed what the DB says: `advisories` (re-match inventories,
   * re-score), `epss` or `kev` (re-score). The unsubscribe function back.
   */
  onChange(fn: (what: Feed | 'advisories') => void): () => void {
    this.#listeners.add(fn)
    return () => { this.#listeners.delete(fn) }
  }

  #changed(what: Feed | 'advisories'): void {
    for (const fn of this.#listeners) fn(what)
  }

  async status(): Promise<HubDbStatus> {
    return { advisories: await this.advisories.status(), epss: { ...this.#status.epss }, kev: { ...this.#status.kev } }
  }

  /** Imports OSV sources (all.zip, folder, .json, .jsonl) one after another; see AdvisoryDb.import. */
  async importAdvisories(sources: string[], opts: { signal?: AbortSignal, onProgress?: (source: string, records: number) => void } = {}): Promise<(ImportStats & { source: string })[]> {
    const out = []
    for (const source of sources) {
      const stats = await this.advisories.import(source, { signal: opts.signal, onProgress: opts.onProgress && ((n) => opts.onProgress!(source, n)) })
      out.push({ source, ...stats })
    }
    if (out.some((s) => s.added + s.updated > 0)) this.#changed('advisories')
    return out
  }

  /** The EPSS score of a CVE id, if the imported file has one. */
  async epssOf(cve: string): Promise<EpssScore | undefined> {
    return (await this.#lookup('epss', [cve]))[0] as EpssScore | undefined
  }

  /** The KEV entry of a CVE id, if CISA lists it. */
  async kevOf(cve: string): Promise<KevEntry | undefined> {
    return (await this.#lookup('kev', [cve]))[0] as KevEntry | undefined
  }

  /** EPSS of many CVE ids at once, in their order. */
  epssOfMany(cves: string[]): Promise<(EpssScore | undefined)[]> {
    return this.#lookup('epss', cves) as Promise<(EpssScore | undefined)[]>
  }

  kevOfMany(cves: string[]): Promise<(KevEntry | undefined)[]> {
    return this.#lookup('kev', cves) as Promise<(KevEntry | undefined)[]>
  }

  async #lookup(feed: Feed, cves: string[]): Promise<unknown[]> {
    const n = this.#status[feed].generation
    if (n === 0 || cves.length === 0) return cves.map(() => undefined)
    const values = await this.#generation(feed, n).getMany(cves.map((c) => c.toUpperCase()))
    return values.map((v) => (v === undefined ? undefined : unpack(v)))
  }

  /** Replaces the EPSS scores with those of a FIRST EPSS CSV (plain or gzip). Bad lines are counted and named. */
  importEpss(path: string, opts: { signal?: AbortSignal, onProgress?: (lines: number) => void } = {}): Promise<FeedImportStats> {
    return this.#serial(async () => {
      let header: EpssHeader = {}
      const today = new Date(this.#now()).toISOString().slice(0, 10)
      return this.#replace('epss', path, opts.signal, async (put, bad) => {
        let lines = 0
        for await (const item of readEpss(path, { signal: opts.signal, onHeader: (h) => { header = h } })) {
          if ('error' in item) bad(`line ${item.line}`, item.error)
          else await put(item.cve, { epss: item.epss, percentile: item.percentile, date: header.scoreDate ?? today } satisfies EpssScore)
          if (++lines % 50_000 === 0) opts.onProgress?.(lines)
        }
        opts.onProgress?.(lines)
        return { date: header.scoreDate ?? today, version: header.modelVersion ?? null }
      })
    })
  }

  /** Replaces the KEV catalog with a CISA KEV JSON file. Bad entries are counted and named. */
  importKev(path: string, opts: { signal?: AbortSignal } = {}): Promise<FeedImportStats> {
    return this.#serial(async () => {
      const catalog = await readKev(path, opts)
      return this.#replace('kev', path, opts.signal, async (put, bad) => {
        for (const item of catalog.entries) {
          if ('error' in item) bad(item.where, item.error)
          else await put(item.cve, item.entry)
        }
        return { date: catalog.dateReleased ?? null, version: catalog.catalogVersion ?? null }
      })
    })
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new EnrichError('closed', 'the hub advisory DB is closed'))
    const run = this.#queue.then(fn)
    this.#queue = run.catch(() => undefined)
    return run
  }

  /** Writes a new generation of `feed` from `fill`, switches to it, then clears the old one. */
  async #replace(feed: Feed, source: string, signal: AbortSignal | undefined,
    fill: (put: (cve: string, value: object) => Promise<void>, bad: (where: string, message: string) => void) => Promise<{ date: string | null, version: string | null }>): Promise<FeedImportStats> {
    const started = performance.now()
    const old = this.#status[feed].generation
    const next = old + 1
    const target = this.#generation(feed, next)
    // Left over from an import that stopped before switching.
    await target.clear()
    const stats: FeedImportStats = { imported: 0, invalid: 0, errors: [], durationMs: 0 }
    let batch: { type: 'put', key: string, value: Uint8Array }[] = []
    const seen = new Set<string>()
    const flush = async () => {
      if (batch.length === 0) return
      signal?.throwIfAborted()
      await target.batch(batch)
      batch = []
    }
    const bad = (where: string, message: string) => {
      stats.invalid++
      if (stats.errors.length < ENRICH_DEFAULTS.maxReportedErrors) stats.errors.push({ where, message })
    }
    const put = async (cve: string, value: object) => {
      if (!CVE_ID.test(cve)) return bad(cve, 'not a CVE id')
      // A CVE listed twice keeps its last entry and counts once.
      if (!seen.has(cve)) { seen.add(cve); stats.imported++ }
      batch.push({ type: 'put', key: cve, value: pack(value) })
      if (batch.length >= ENRICH_DEFAULTS.batchSize) await flush()
    }
    let about
    try {
      about = await fill(put, bad)
      await flush()
    } catch (err) {
      await target.clear().catch(() => undefined)
      throw err
    }
    const status: FeedStatus = { generation: next, count: stats.imported, invalid: stats.invalid, importedAt: this.#now(), source, ...about }
    await this.#meta.put(feed, pack(status))
    this.#status[feed] = status
    if (old > 0) await this.#generation(feed, old).clear()
    stats.durationMs = Math.round(performance.now() - started)
    this.#changed(feed)
    return stats
  }

  /** Safe to call twice; waits for a running import. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#queue
    await this.advisories.close()
  }
}

/**
 * Opens (creating) the hub advisory DB in `dir` (hubDbDir(dataDir)). LevelDB allows one
 * process per DB: EnrichError `locked` while another (a running hub) holds it.
 */
export async function openHubDb(dir: string, opts: HubDbOptions = {}): Promise<HubDb> {
  let root: AdvisoryStore | undefined
  const level = (d: string): AdvisoryStore => (root = opts.level ? opts.level(d) : new ClassicLevel<string, Uint8Array>(d, { keyEncoding: 'utf8', valueEncoding: 'view' }))
  let advisories: AdvisoryDb
  try {
    advisories = await openAdvisoryDb(dir, { level, signal: opts.signal, lockTimeoutMs: opts.lockTimeoutMs, newId: opts.newId, ...(opts.cacheRecords !== undefined ? { cacheRecords: opts.cacheRecords } : {}) })
  } catch (err) {
    if (err instanceof AdvisoryDbError && err.code === 'locked') throw new EnrichError('locked', `the hub advisory DB in ${dir} is in use by another process (a running hub?)`, { cause: err })
    throw err
  }
  try {
    return await HubDb.create(advisories, root!, opts)
  } catch (err) {
    await advisories.close()
    throw err
  }
}

/**
 * Imports OSV sources into the hub advisory DB in `dir` and closes it: what `zt hub db
 * import` does on a stopped hub. A running hub holds the DB open: call its
 * HubDb.importAdvisories instead (from an API route), which this wraps.
 */
export async function importIntoHubDb(dir: string, sources: string[], opts: HubDbOptions & { onProgress?: (source: string, records: number) => void } = {}): Promise<(ImportStats & { source: string })[]> {
  const db = await openHubDb(dir, opts)
  try {
    return await db.importAdvisories(sources, { signal: opts.signal, onProgress: opts.onProgress })
  } finally {
    await db.close()
  }
}
