// A tenant's findings as query indexes in LevelDB, materialized from the agents' findings
// docs and kept current as envelopes arrive (only the keys an envelope changed are
// re-indexed). Rows `f!<id>`; sort orders `o!<sort>!<key>!<id>`; one index per filterable
// field, in risk order, `x!<field>!<value>!<riskKey>!<id>`; open-finding counts per facet
// `c!<field>!<value>`; `sv!<doc>` the state vector of each doc as indexed, so a restart
// re-indexes only docs that moved on. Memory holds the facet counts, nothing per finding.
import * as Y from 'yjs'
import { FINDINGS, parseDocName, severityRank, type Finding, type TriageStatus } from '../../crdt/index.ts'
import { pack, unpack } from '../../protocol/index.ts'
import type { Store } from '../../crdt/index.ts'

export interface FindingRow extends Finding {
  agent: string
  status: 'open' | 'resolved'
  /** The triage status users gave it (`<tenant>/triage`), open until someone does. */
  triage: TriageStatus
  /** 0–100 (hub/enrich risk when enriched; else from severity and CVSS). */
  risk: number
}

export const FILTER_FIELDS = ['severity', 'kind', 'status', 'triage', 'agent', 'ecosystem', 'package', 'rule'] as const
export type FilterField = typeof FILTER_FIELDS[number]
export const SORTS = ['risk', 'severity', 'first'] as const
export type SortOrder = typeof SORTS[number]

export interface FindingQuery {
  filters: Partial<Record<FilterField, string>>
  /** Free text over rule, title, package, path (case-insensitive). */
  q?: string
  sort?: SortOrder
  limit?: number
  cursor?: string
}

export interface FindingPage {
  findings: FindingRow[]
  next?: string
  scanned: number
  /** The page as the API sends it, kept with a cached page so a repeat is not serialized again. */
  body?: Uint8Array
}

const SEP = '\u0001'
const pad = (n: number, width: number) => String(Math.max(0, Math.min(10 ** width - 1, Math.round(n)))).padStart(width, '0')

/** Risk from what a finding carries, until enrichment supplies one. */
export function baseRisk(f: Finding): number {
  const sev = severityRank(f.severity) // critical 4 … unknown 0
  const cvss = f.score ?? [0, 2, 5, 7.5, 9.5][sev]!
  return Math.min(100, Math.round(cvss * 10 * 100) / 100)
}

/** Values most findings have: not worth an index of their own (a filter on them is checked per row). */
const COMMON: Partial<Record<FilterField, string>> = { kind: 'vuln', status: 'open', triage: 'open' }
const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'unknown'] as const

const riskKey = (row: FindingRow) => pad(10_000 - row.risk * 100, 5)
const firstKey = (row: FindingRow) => pad(9_999_999_999_999 - (row.firstSeen ?? 0), 13)

function fieldValue(row: FindingRow, field: FilterField): string | undefined {
  const v = row[field]
  return v === undefined || v === null ? undefined : String(v)
}

/** Risk order and first-seen order over all rows; per field value in risk order (severity order is the severity indexes one after another). */
function indexKeys(row: FindingRow): string[] {
  const risk = riskKey(row)
  const keys = [`o!risk!${risk}!${row.id}`, `o!first!${firstKey(row)}!${row.id}`]
  for (const field of FILTER_FIELDS) {
    const v = fieldValue(row, field)
    if (v !== undefined && v !== COMMON[field]) keys.push(`x!${field}!${v}${SEP}${risk}!${row.id}`)
  }
  return keys
}

/** Pages kept between changes of the index. */
const PAGE_CACHE = 256

const indexPrefix = (field: FilterField, value: string) => `x!${field}!${value}${SEP}`

function matches(row: FindingRow, q: FindingQuery): boolean {
  for (const [field, want] of Object.entries(q.filters) as [FilterField, string][]) {
    if (want !== undefined && fieldValue(row, field) !== want) return false
  }
  if (q.q) {
    const needle = q.q.toLowerCase()
    if (![row.rule, row.title, row.package, row.path, ...(row.aliases ?? [])].some((s) => s?.toLowerCase().includes(needle))) return false
  }
  return true
}

export interface FindingsIndexOptions {
  /** Called with findings indexed for the first time, open, after they are stored. */
  onNew?: (rows: FindingRow[]) => void
  /** While this says so, indexing waits (the hub gives envelopes arriving the right of way). */
  busy?: () => boolean
}

export class FindingsIndex {
  readonly #db: Store
  readonly #counts = new Map<string, number>()
  readonly #onNew: ((rows: FindingRow[]) => void) | undefined
  readonly #busy: () => boolean
  /** Pages answered since the last change of the index: a repeated query costs a map lookup. */
  readonly #pages = new Map<string, FindingPage>()
  /** Bumped by every change, so a page read across a change is not kept. */
  #version = 0
  #queue: Promise<unknown> = Promise.resolve()

  private constructor(db: Store, opts: FindingsIndexOptions) {
    this.#db = db
    this.#onNew = opts.onNew
    this.#busy = opts.busy ?? (() => false)
  }

  static async open(db: Store, opts: FindingsIndexOptions = {}): Promise<FindingsIndex> {
    const idx = new FindingsIndex(db, opts)
    for await (const [k, v] of db.iterator({ gte: 'c!', lt: 'c"' })) idx.#counts.set(k.slice(2), unpack(v) as number)
    return idx
  }

  /** Open findings per value of each facet field. */
  counts(): Record<FilterField, Record<string, number>> {
    const out = Object.fromEntries(FILTER_FIELDS.map((f) => [f, {} as Record<string, number>])) as Record<FilterField, Record<string, number>>
    for (const [k, n] of this.#counts) {
      if (n <= 0) continue
      const cut = k.indexOf('!')
      out[k.slice(0, cut) as FilterField][k.slice(cut + 1)] = n
    }
    return out
  }

  #serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn)
    this.#queue = run.catch(() => {})
    return run
  }

  /** Waits for queued index work (tests, shutdown). */
  idle(): Promise<void> {
    return this.#serially(async () => {})
  }

  /**
   * Re-indexes the given keys of a findings doc, reading their values now (the doc may be
   * the log's and change later). With no keys, the whole doc is compared with the index.
   */
  update(docName: string, doc: Y.Doc, keys?: Iterable<string>): Promise<void> {
    const owner = parseDocName(docName)
    if (owner?.kind !== 'findings') return Promise.resolve()
    const map = doc.getMap<Finding>(FINDINGS)
    const values = new Map<string, Finding | undefined>()
    for (const k of keys ?? map.keys()) values.set(k, map.get(k))
    const sv = Y.encodeStateVector(doc)
    return this.#serially(() => this.#write(docName, owner.owner, values, sv, keys === undefined))
  }

  async #write(docName: string, agent: string, values: Map<string, Finding | undefined>, sv: Uint8Array, whole: boolean): Promise<void> {
    const ids = [...values.keys()]
    const fresh: FindingRow[] = []
    const ops: { type: 'put' | 'del', key: string, value?: Uint8Array }[] = []
    const delta = new Map<string, number>()
    // Per day and severity: findings that appeared, and that were resolved (for trends).
    const days = new Map<string, number>()
    const day = (ms: number | undefined, sev: string, what: 'new' | 'resolved', by: number) => {
      if (ms === undefined) return
      const k = `${new Date(ms).toISOString().slice(0, 10)}!${sev}!${what}`
      days.set(k, (days.get(k) ?? 0) + by)
    }
    const bump = (row: FindingRow, by: number) => {
      if (row.status !== 'open') return
      for (const field of FILTER_FIELDS) {
        const v = fieldValue(row, field)
        if (v !== undefined) delta.set(`${field}!${v}`, (delta.get(`${field}!${v}`) ?? 0) + by)
      }
    }
    for (let i = 0; i < ids.length; i += 1000) {
      for (let waited = 0; this.#busy() && waited < 1000; waited += 10) await new Promise((r) => setTimeout(r, 10))
      const chunk = ids.slice(i, i + 1000)
      const held = await this.#db.getMany(chunk.map((id) => `f!${id}`))
      chunk.forEach((id, j) => {
        const oldBytes = held[j]
        const f = values.get(id)
        const old = oldBytes ? (unpack(oldBytes) as FindingRow) : undefined
        const row: FindingRow | undefined = f ? { ...f, id, agent, status: f.resolvedAt === undefined ? 'open' : 'resolved', triage: old?.triage ?? 'open', risk: baseRisk(f) } : undefined
        const bytes = row ? pack(row) : undefined
        if (oldBytes && bytes && Buffer.from(oldBytes).equals(Buffer.from(bytes))) return
        if (old) {
          for (const key of indexKeys(old)) ops.push({ type: 'del', key })
          bump(old, -1)
          day(old.firstSeen, old.severity, 'new', -1)
          if (old.status === 'resolved') day(old.resolvedAt, old.severity, 'resolved', -1)
        }
        if (row && !old && row.status === 'open') fresh.push(row)
        if (row) {
          day(row.firstSeen, row.severity, 'new', 1)
          if (row.status === 'resolved') day(row.resolvedAt, row.severity, 'resolved', 1)
        }
        if (row) {
          ops.push({ type: 'put', key: `f!${id}`, value: bytes })
          for (const key of indexKeys(row)) ops.push({ type: 'put', key, value: new Uint8Array(0) })
          bump(row, 1)
        } else if (oldBytes) {
          ops.push({ type: 'del', key: `f!${id}` })
        }
      })
    }
    void whole
    for (const [k, by] of delta) {
      const n = (this.#counts.get(k) ?? 0) + by
      this.#counts.set(k, n)
      ops.push(n > 0 ? { type: 'put', key: `c!${k}`, value: pack(n) } : { type: 'del', key: `c!${k}` })
    }
    for (const [k, by] of days) {
      const held = await this.#db.get(`d!${k}`)
      ops.push({ type: 'put', key: `d!${k}`, value: pack((held ? (unpack(held) as number) : 0) + by) })
    }
    ops.push({ type: 'put', key: `sv!${docName}`, value: sv })
    for (let i = 0; i < ops.length; i += 50_000) await this.#db.batch(ops.slice(i, i + 50_000) as never)
    this.#version++
    this.#pages.clear()
    if (fresh.length > 0) this.#onNew?.(fresh)
  }

  /** Sets the triage status of findings (from `<tenant>/triage`); ids not indexed yet are skipped. */
  setTriage(statuses: Map<string, TriageStatus>): Promise<void> {
    return this.#serially(async () => {
      const ids = [...statuses.keys()]
      const held = await this.#db.getMany(ids.map((id) => `f!${id}`))
      const ops: { type: 'put' | 'del', key: string, value?: Uint8Array }[] = []
      const delta = new Map<string, number>()
      ids.forEach((id, i) => {
        if (!held[i]) return
        const old = unpack(held[i]!) as FindingRow
        const triage = statuses.get(id)!
        if (old.triage === triage) return
        const row = { ...old, triage }
        for (const key of indexKeys(old)) ops.push({ type: 'del', key })
        for (const key of indexKeys(row)) ops.push({ type: 'put', key, value: new Uint8Array(0) })
        ops.push({ type: 'put', key: `f!${id}`, value: pack(row) })
        if (row.status === 'open') {
          delta.set(`triage!${old.triage}`, (delta.get(`triage!${old.triage}`) ?? 0) - 1)
          delta.set(`triage!${triage}`, (delta.get(`triage!${triage}`) ?? 0) + 1)
        }
      })
      for (const [k, by] of delta) {
        const n = (this.#counts.get(k) ?? 0) + by
        this.#counts.set(k, n)
        ops.push(n > 0 ? { type: 'put', key: `c!${k}`, value: pack(n) } : { type: 'del', key: `c!${k}` })
      }
      if (ops.length > 0) await this.#db.batch(ops as never)
      this.#version++
      this.#pages.clear()
    })
  }

  /**
   * Open findings per severity at the end of each day from `from` to `to` (YYYY-MM-DD),
   * from what appeared and what was resolved each day.
   */
  async trend(from: string, to: string): Promise<{ day: string, open: Record<string, number> }[]> {
    const open: Record<string, number> = {}
    const perDay = new Map<string, Record<string, number>>()
    for await (const [k, v] of this.#db.iterator({ gte: 'd!', lte: `d!${to}~` })) {
      const [, d, sev, what] = k.split('!') as [string, string, string, 'new' | 'resolved']
      const n = (unpack(v) as number) * (what === 'new' ? 1 : -1)
      if (d! < from) { open[sev] = (open[sev] ?? 0) + n; continue }
      const m = perDay.get(d!) ?? {}
      m[sev] = (m[sev] ?? 0) + n
      perDay.set(d!, m)
    }
    const out: { day: string, open: Record<string, number> }[] = []
    for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) {
      const d = new Date(t).toISOString().slice(0, 10)
      for (const [sev, n] of Object.entries(perDay.get(d) ?? {})) open[sev] = (open[sev] ?? 0) + n
      out.push({ day: d, open: Object.fromEntries(Object.entries(open).filter(([, n]) => n !== 0)) })
    }
    return out
  }

  /** Whether the index covers the doc as it stands (compared by state vector). */
  async covers(docName: string, doc: Y.Doc): Promise<boolean> {
    const held = await this.#db.get(`sv!${docName}`)
    return !!held && Buffer.from(held).equals(Buffer.from(Y.encodeStateVector(doc)))
  }

  async get(id: string): Promise<FindingRow | undefined> {
    const v = await this.#db.get(`f!${id}`)
    return v ? (unpack(v) as FindingRow) : undefined
  }

  /**
   * A page of findings. With equality filters, walks the index of the filter with the
   * fewest open findings (in risk order) and checks the rest on each row; otherwise walks
   * the sort order. The cursor is the last index key returned.
   */
  async query(q: FindingQuery): Promise<FindingPage> {
    const key = JSON.stringify([q.filters, q.q, q.sort, q.limit, q.cursor])
    const hit = this.#pages.get(key)
    if (hit) { this.#pages.delete(key); this.#pages.set(key, hit); return hit }
    const version = this.#version
    const page = await this.#query(q)
    if (version !== this.#version) return page
    this.#pages.set(key, page)
    if (this.#pages.size > PAGE_CACHE) this.#pages.delete(this.#pages.keys().next().value!)
    return page
  }

  async #query(q: FindingQuery): Promise<FindingPage> {
    const limit = Math.max(1, Math.min(500, q.limit ?? 50))
    const sort = q.sort ?? 'risk'
    const filters = Object.entries(q.filters).filter(([, v]) => v !== undefined) as [FilterField, string][]
    const indexable = filters.filter(([f, v]) => v !== COMMON[f])
    let prefixes: string[]
    if (sort === 'first') prefixes = ['o!first!']
    else if (sort === 'severity') {
      const sev = q.filters.severity
      prefixes = (sev !== undefined ? [sev] : SEVERITY_ORDER).map((v) => indexPrefix('severity', v))
    } else if (indexable.length > 0) {
      const [field, value] = indexable.reduce((best, f) => ((this.#counts.get(`${f[0]}!${f[1]}`) ?? 0) < (this.#counts.get(`${best[0]}!${best[1]}`) ?? 0) ? f : best))
      prefixes = [indexPrefix(field, value)]
    } else prefixes = ['o!risk!']
    const after = q.cursor ? Buffer.from(q.cursor, 'base64url').toString('utf8') : undefined
    let start = 0
    if (after !== undefined) {
      start = prefixes.findIndex((p) => after.startsWith(p))
      if (start === -1) throw new RangeError('cursor does not belong to this query')
    }
    const findings: FindingRow[] = []
    let scanned = 0
    let last: string | undefined
    for (let r = start; r < prefixes.length && findings.length < limit; r++) {
      const prefix = prefixes[r]!
      const it = this.#db.keys({ gt: r === start && after ? after : prefix, lt: prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1) })
      try {
        // Keys in batches (one native call each; nextv may return fewer than asked, only an
        // empty batch is the end), rows for a batch in one getMany; the first batch is the page
        // size (most rows usually match), then doubling.
        for (let want = limit - findings.length; findings.length < limit; want = Math.min(want * 2, 2000)) {
          const keys = await it.nextv(want)
          if (keys.length === 0) break
          const rows = await this.#db.getMany(keys.map((k) => `f!${k.slice(k.lastIndexOf('!') + 1)}`))
          for (let i = 0; i < keys.length && findings.length < limit; i++) {
            scanned++
            const bytes = rows[i]
            if (!bytes) continue
            const row = unpack(bytes) as FindingRow
            if (!matches(row, q)) continue
            findings.push(row)
            last = keys[i]
          }
        }
      } finally {
        await it.close()
      }
    }
    const more = findings.length === limit
    return { findings, next: more && last ? Buffer.from(last, 'utf8').toString('base64url') : undefined, scanned }
  }
}
