// The advisory DB: OSV records in LevelDB, indexed by ecosystem and normalised package name,
// so matching reads only the records of the packages it sees and nothing sits in the heap.
//   r!<id>                         → msgpack record
//   p!<ecosystem>!<name>!<id>      → '' (one entry per affected package; none when withdrawn)
//   m!status                       → msgpack status (counts kept up to date by imports)
import { ClassicLevel } from 'classic-level'
import { baseEcosystem, normalizeName, pack, unpack } from '../../protocol/index.ts'
import { AdvisoryError } from '../errors.ts'
import { parseOsvRecord, type OsvRecord } from '../osv.ts'
import { readSource } from './record-sources.ts'

export interface ImportStats {
  added: number, updated: number, unchanged: number, withdrawn: number, invalid: number
  errors: { where: string, message: string }[]
  durationMs: number
}

export interface DbStatus { ecosystems: Record<string, number>, total: number, withdrawn: number, newestModified: string | null, /** Bumped by every import that changed something. */ revision?: number }

const BATCH = 1000
const CACHE_LIMIT = 20_000
const EMPTY = new Uint8Array(0)

function packageKeys(r: OsvRecord): string[] {
  const keys = new Set<string>()
  for (const a of r.affected) {
    if (!a.package) continue
    keys.add(`p!${baseEcosystem(a.package.ecosystem)}!${normalizeName(a.package.ecosystem, a.package.name)}!${r.id}`)
  }
  return [...keys]
}

function ecosystemsOf(r: OsvRecord): string[] {
  return [...new Set(r.affected.flatMap((a) => (a.package ? [baseEcosystem(a.package.ecosystem)] : [])))]
}

export class AdvisoryDb {
  readonly #db: ClassicLevel<string, Uint8Array>
  #status: DbStatus = { ecosystems: {}, total: 0, withdrawn: 0, newestModified: null }
  readonly #cache = new Map<string, OsvRecord[]>()
  /** Every indexed `<ecosystem>!<name>!`, loaded on first lookup: most packages have no advisory. */
  #names: Promise<Set<string>> | undefined

  private constructor(db: ClassicLevel<string, Uint8Array>) {
    this.#db = db
  }

  static async open(dir: string): Promise<AdvisoryDb> {
    const db = new ClassicLevel<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
    await db.open()
    const a = new AdvisoryDb(db)
    const s = await db.get('m!status')
    if (s) a.#status = unpack(s) as DbStatus
    return a
  }

  async status(): Promise<DbStatus> {
    return structuredClone(this.#status)
  }

  /** Identifies the DB's content: scans cache findings under it. */
  generation(): string {
    return `${this.#status.revision ?? 0}:${this.#status.total}:${this.#status.newestModified ?? ''}`
  }

  async get(id: string): Promise<OsvRecord | undefined> {
    const v = await this.#db.get('r!' + id)
    return v ? (unpack(v) as OsvRecord) : undefined
  }

  /** Every live record listing this package (by base ecosystem and normalised name). */
  async recordsFor(ecosystem: string, name: string): Promise<OsvRecord[]> {
    const prefix = `p!${baseEcosystem(ecosystem)}!${normalizeName(ecosystem, name)}!`
    const hit = this.#cache.get(prefix)
    if (hit) return hit
    this.#names ??= this.#loadNames()
    if (!(await this.#names).has(prefix)) return []
    const ids: string[] = []
    for await (const key of this.#db.keys({ gte: prefix, lt: prefix + '\uffff' })) ids.push(key.slice(prefix.length))
    const values = ids.length ? await this.#db.getMany(ids.map((id) => 'r!' + id)) : []
    const records = values.filter((v): v is Uint8Array => v !== undefined).map((v) => unpack(v) as OsvRecord)
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.delete(this.#cache.keys().next().value!)
    this.#cache.set(prefix, records)
    return records
  }

  async #loadNames(): Promise<Set<string>> {
    const names = new Set<string>()
    for await (const key of this.#db.keys({ gte: 'p!', lt: 'p"' })) names.add(key.slice(0, key.lastIndexOf('!') + 1))
    return names
  }

  async import(source: string, opts: { onProgress?: (records: number) => void } = {}): Promise<ImportStats> {
    const started = performance.now()
    const stats: ImportStats = { added: 0, updated: 0, unchanged: 0, withdrawn: 0, invalid: 0, errors: [], durationMs: 0 }
    let pending: OsvRecord[] = []
    let seen = 0
    const flush = async () => {
      if (pending.length === 0) return
      // Later duplicates of an id within one batch win only if newer, as across batches.
      const byId = new Map<string, OsvRecord>()
      for (const r of pending) { const o = byId.get(r.id); if (!o || r.modified > o.modified) byId.set(r.id, r) }
      const ids = [...byId.keys()]
      const olds = await this.#db.getMany(ids.map((id) => 'r!' + id))
      const ops: ({ type: 'put', key: string, value: Uint8Array } | { type: 'del', key: string })[] = []
      ids.forEach((id, i) => {
        const next = byId.get(id)!
        const prevBytes = olds[i]
        const prev = prevBytes ? (unpack(prevBytes) as OsvRecord) : undefined
        if (prev && prev.modified >= next.modified) { stats.unchanged++; return }
        if (prev) {
          for (const k of packageKeys(prev)) ops.push({ type: 'del', key: k })
          this.#count(prev, -1)
          stats.updated++
        } else stats.added++
        ops.push({ type: 'put', key: 'r!' + id, value: pack(next) })
        if (next.withdrawn) stats.withdrawn++
        else for (const k of packageKeys(next)) ops.push({ type: 'put', key: k, value: EMPTY })
        this.#count(next, 1)
      })
      if (ops.length > 0) {
        this.#status.revision = (this.#status.revision ?? 0) + 1
        ops.push({ type: 'put', key: 'm!status', value: pack(this.#status) })
        await this.#db.batch(ops)
      }
      pending = []
      this.#cache.clear()
      this.#names = undefined
    }
    for await (const item of readSource(source)) {
      seen++
      if ('error' in item) { stats.invalid++; stats.errors.push({ where: item.where, message: item.error }); continue }
      try {
        pending.push(parseOsvRecord(item.json))
      } catch (err) {
        stats.invalid++
        stats.errors.push({ where: item.where, message: (err as Error).message })
        continue
      }
      if (pending.length >= BATCH) { await flush(); opts.onProgress?.(seen) }
    }
    await flush()
    stats.durationMs = Math.round(performance.now() - started)
    return stats
  }

  #count(r: OsvRecord, delta: 1 | -1): void {
    const s = this.#status
    if (r.withdrawn) s.withdrawn += delta
    else for (const e of ecosystemsOf(r)) s.ecosystems[e] = (s.ecosystems[e] ?? 0) + delta
    s.total += delta
    if (delta === 1 && (s.newestModified === null || r.modified > s.newestModified)) s.newestModified = r.modified
  }

  async close(): Promise<void> {
    await this.#db.close()
  }
}

export async function openAdvisoryDb(dir: string): Promise<AdvisoryDb> {
  try {
    return await AdvisoryDb.open(dir)
  } catch (err) {
    if ((err as { code?: string }).code === 'LEVEL_DATABASE_NOT_OPEN' || /lock/i.test(String((err as { cause?: unknown }).cause ?? err))) {
      throw new AdvisoryError('bad-source', `the advisory DB in ${dir} is in use by another process`, { cause: err })
    }
    throw err
  }
}
