// A tenant's findings as query indexes in LevelDB, materialized from the agents' findings
// docs and kept current as envelopes arrive (only the keys an envelope changed are
// re-indexed). Rows `f!<id>`; sort orders `o!<sort>!<key>!<id>`; one index per filterable
// field, in risk order, `x!<field>!<value>!<riskKey>!<id>`; open-finding counts per facet
// `c!<field>!<value>`; `sv!<doc>` the state vector of each doc as indexed, so a restart
// re-indexes only docs that moved on. Memory holds the facet counts, nothing per finding.
// Rows come from the agents' findings docs and from the findings the hub matched itself
// (`<tenant>/enrich`, `source: 'hub'`); one id is one row, the agent's when it reports it.
// An open finding a VEX statement covers is `suppressed`: out of the default listing, the
// counts and the trends.
import * as Y from 'yjs'
import { FINDINGS, matchedFindings, parseDocName, type Finding, type MatchedFinding, type Store, type TriageStatus } from '../../crdt/index.ts'
import { pack, unpack } from '../../protocol/index.ts'

import {
  COMMON, FILTER_FIELDS, PAGE_CACHE, SEVERITY_ORDER, dayOf, baseRisk, fieldValue, indexKeys, indexPrefix, matches,
  scoreFields, type Change, type FilterField, type FindingPage, type FindingQuery, type FindingRow, type Op, type RowSuppression, type Score, type Sourced,
} from './finding-row.ts'
import { writeBatch } from './level-batch.ts'

export { FILTER_FIELDS, SORTS, baseRisk, type FilterField, type FindingPage, type FindingQuery, type FindingRow, type RowSuppression, type Score, type SortOrder } from './finding-row.ts'

/** Rows per atomic batch: enough to amortize a write, few enough to keep little garbage alive. */
const COMMIT_ROWS = 2000
/** Findings read and compared per turn (indexing yields to arriving envelopes between turns). */
const CHUNK = 500
/** How long a turn waits while the hub says it is busy: under a steady stream the index still gets ~1 turn in 10. */
const MAX_YIELD_MS = 500
/** The value of every index key (one buffer: the key is the entry). */
const EMPTY = new Uint8Array(0)

export interface FindingsIndexOptions {
  /** Called with findings indexed for the first time, open, after they are stored. */
  onNew?: (rows: FindingRow[]) => void
  /** While this says so, indexing waits (the hub gives envelopes arriving the right of way). */
  busy?: () => boolean
  /** Risk and KEV per finding (the hub's enricher: CVSS, EPSS, KEV); default baseRisk, no KEV. */
  score?: (findings: Finding[]) => Promise<Score[]>
  /** The VEX statement suppressing an open finding now, if any. */
  suppression?: (row: FindingRow) => RowSuppression | undefined
  /** Called after each batch that changed rows, with the agents whose rows it changed. */
  onIndexed?: (agents: ReadonlySet<string>) => void
}

export class FindingsIndex {
  readonly #db: Store
  readonly #counts = new Map<string, number>()
  readonly #onNew: ((rows: FindingRow[]) => void) | undefined
  readonly #busy: () => boolean
  readonly #scoreOf: ((findings: Finding[]) => Promise<Score[]>) | undefined
  readonly #suppression: ((row: FindingRow) => RowSuppression | undefined) | undefined
  readonly #onIndexed: ((agents: ReadonlySet<string>) => void) | undefined
  /** Pages answered since the last change of the index: a repeated query costs a map lookup. */
  readonly #pages = new Map<string, FindingPage>()
  /** Bumped by every change, so a page read across a change is not kept. */
  #version = 0
  #queue: Promise<unknown> = Promise.resolve()

  private constructor(db: Store, opts: FindingsIndexOptions) {
    this.#db = db
    this.#onNew = opts.onNew
    this.#busy = opts.busy ?? (() => false)
    this.#scoreOf = opts.score
    this.#suppression = opts.suppression
    this.#onIndexed = opts.onIndexed
  }

  static async open(db: Store, opts: FindingsIndexOptions = {}): Promise<FindingsIndex> {
    const idx = new FindingsIndex(db, opts)
    for await (const [k, v] of db.iterator({ gte: 'c!', lt: 'c"' })) idx.#counts.set(k.slice(2), unpack(v) as number)
    return idx
  }

  /** Moves with every change of the index (what is cached against it is stale once it moves). */
  get version(): number {
    return this.#version
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
   * Re-indexes the given keys of a findings doc, or of the `<tenant>/enrich` doc's findings
   * the hub matched itself, reading their values now (the doc may be the log's and change
   * later). With no keys, the whole doc is compared with the index.
   */
  update(docName: string, doc: Y.Doc, keys?: Iterable<string>): Promise<void> {
    const owner = parseDocName(docName)
    if (owner?.kind !== 'findings' && owner?.kind !== 'enrich') return Promise.resolve()
    const hub = owner.kind === 'enrich'
    const map = hub ? matchedFindings(doc) : doc.getMap<Finding>(FINDINGS)
    const values = new Map<string, Sourced | undefined>()
    for (const k of keys ?? map.keys()) {
      const f = map.get(k)
      values.set(k, f === undefined ? undefined : hub ? { f, agent: (f as MatchedFinding).agent, source: 'hub' } : { f, agent: owner.owner, source: 'agent' })
    }
    const sv = Y.encodeStateVector(doc)
    return this.#serially(() => this.#write(docName, hub ? 'hub' : 'agent', values, sv))
  }

  async #write(docName: string, source: 'agent' | 'hub', values: Map<string, Sourced | undefined>, sv: Uint8Array): Promise<void> {
    const ids = [...values.keys()]
    const changes: Change[] = []
    for (let i = 0; i < ids.length; i += CHUNK) {
      for (let waited = 0; this.#busy() && waited < MAX_YIELD_MS; waited += 10) await new Promise((r) => setTimeout(r, 10))
      const chunk = ids.slice(i, i + CHUNK)
      const held = await this.#db.getMany(chunk.map((id) => `f!${id}`))
      const given = chunk.map((id) => values.get(id))
      const scores = await this.#score(given.flatMap((v) => (v ? [v.f] : [])))
      let r = 0
      chunk.forEach((id, j) => {
        const oldBytes = held[j]
        const v = given[j]
        const old = oldBytes ? (unpack(oldBytes) as FindingRow) : undefined
        // One finding, one row: what the agent reports wins over what the hub matched for it.
        if (source === 'hub' && old && old.source !== 'hub') return
        if (source === 'agent' && !v && old?.source === 'hub') return
        const row = v ? this.#row({ ...v.f, id, agent: v.agent, status: v.f.resolvedAt === undefined ? 'open' : 'resolved', triage: old?.triage ?? 'open', ...scoreFields(scores[r++]!), ...(source === 'hub' ? { source } : {}) }) : undefined
        if (row && oldBytes && Buffer.from(oldBytes).equals(Buffer.from(pack(row)))) return
        if (row || old) changes.push({ id, old, row })
      })
      // Each chunk lands with its counts in one batch, so a crash leaves rows and counts
      // agreeing; the doc's state vector comes with the last one (a restart redoes the doc).
      if (i + CHUNK >= ids.length) await this.#commit(changes.splice(0), [{ type: 'put', key: `sv!${docName}`, value: sv }])
      else if (changes.length > 0) await this.#commit(changes.splice(0))
    }
    if (ids.length === 0) await this.#commit([], [{ type: 'put', key: `sv!${docName}`, value: sv }])
  }

  /** Risk and KEV per finding: the enricher's (EPSS, KEV, CVSS) when the index has one, else from what the finding carries. */
  async #score(findings: Finding[]): Promise<Score[]> {
    if (findings.length === 0) return []
    return this.#scoreOf ? await this.#scoreOf(findings) : findings.map((f) => ({ risk: baseRisk(f) }))
  }

  /** The row with its suppression applied: an open finding a VEX statement covers is `suppressed`. */
  #row(row: FindingRow): FindingRow {
    const { suppressed: _, ...rest } = row
    const base: FindingRow = { ...rest, status: rest.resolvedAt === undefined ? 'open' : 'resolved' }
    const s = base.status === 'open' ? this.#suppression?.(base) : undefined
    return s ? { ...base, status: 'suppressed', suppressed: s } : base
  }

  /**
   * Writes rows that changed with their index keys, facet counts and per-day counts, plus
   * `extra` ops, in batches; then tells onNew of rows that appeared open.
   */
  async #commit(changes: Change[], extra: Op[] = []): Promise<void> {
    for (let i = 0; i < changes.length; i += COMMIT_ROWS) {
      const last = i + COMMIT_ROWS >= changes.length
      await this.#commitSlice(changes.slice(i, i + COMMIT_ROWS), last ? extra : [])
    }
    if (changes.length === 0 && extra.length > 0) await this.#commitSlice([], extra)
  }

  /** One atomic batch: rows, their index keys, and the counts they change. */
  async #commitSlice(changes: Change[], extra: Op[]): Promise<void> {
    const ops: Op[] = []
    const fresh: FindingRow[] = []
    // Per field, per value: nothing is concatenated per finding.
    const delta = new Map<FilterField, Map<string, number>>(FILTER_FIELDS.map((f) => [f, new Map()]))
    // Per day and severity: findings that appeared, and that were resolved (for trends); suppressed ones count nowhere.
    const days = new Map<string, number>()
    const account = (row: FindingRow, by: number) => {
      if (row.status === 'open') {
        for (const field of FILTER_FIELDS) {
          const v = fieldValue(row, field)
          if (v === undefined) continue
          const m = delta.get(field)!
          m.set(v, (m.get(v) ?? 0) + by)
        }
      }
      if (row.status === 'suppressed') return
      const day = (ms: number | undefined, what: 'new' | 'resolved') => {
        if (ms === undefined) return
        const k = `${dayOf(ms)}!${row.severity}!${what}`
        days.set(k, (days.get(k) ?? 0) + by)
      }
      day(row.firstSeen, 'new')
      if (row.status === 'resolved') day(row.resolvedAt, 'resolved')
    }
    for (const { id, old, row } of changes) {
      if (old) {
        for (const key of indexKeys(old)) ops.push({ type: 'del', key })
        account(old, -1)
      }
      if (row) {
        if (!old && row.status === 'open') fresh.push(row)
        ops.push({ type: 'put', key: `f!${id}`, value: pack(row) })
        for (const key of indexKeys(row)) ops.push({ type: 'put', key, value: EMPTY })
        account(row, 1)
      } else if (old) {
        ops.push({ type: 'del', key: `f!${id}` })
      }
    }
    for (const [field, values] of delta) {
      for (const [v, by] of values) {
        if (by === 0) continue
        const k = `${field}!${v}`
        const n = (this.#counts.get(k) ?? 0) + by
        this.#counts.set(k, n)
        ops.push(n > 0 ? { type: 'put', key: `c!${k}`, value: pack(n) } : { type: 'del', key: `c!${k}` })
      }
    }
    for (const [k, by] of days) {
      if (by === 0) continue
      const held = await this.#db.get(`d!${k}`)
      ops.push({ type: 'put', key: `d!${k}`, value: pack((held ? (unpack(held) as number) : 0) + by) })
    }
    ops.push(...extra)
    if (ops.length === 0) return
    await writeBatch(this.#db, ops)
    this.#version++
    this.#pages.clear()
    if (fresh.length > 0) this.#onNew?.(fresh)
    if (this.#onIndexed && changes.length > 0) this.#onIndexed(new Set(changes.map((c) => (c.row ?? c.old)!.agent)))
  }

  /** Sets the triage status of findings (from `<tenant>/triage`); ids not indexed yet are skipped. */
  setTriage(statuses: Map<string, TriageStatus>): Promise<void> {
    return this.#serially(async () => {
      const ids = [...statuses.keys()]
      const held = await this.#db.getMany(ids.map((id) => `f!${id}`))
      const changes: Change[] = []
      ids.forEach((id, i) => {
        if (!held[i]) return
        const old = unpack(held[i]!) as FindingRow
        const triage = statuses.get(id)!
        if (old.triage !== triage) changes.push({ id, old, row: { ...old, triage } })
      })
      await this.#commit(changes)
    })
  }

  /**
   * Recomputes every row's risk and suppression (after EPSS, KEV or advisories changed, or
   * VEX statements did, or one expired) and rewrites the rows that moved. Runs in slices
   * of `slice` rows, each its own turn of the index queue, so envelopes and queries keep
   * going meanwhile. How many rows changed.
   */
  async rescore(opts: { slice?: number, onProgress?: (rows: number) => void } = {}): Promise<number> {
    const slice = opts.slice ?? 2_000
    let after = 'f!'
    let changed = 0
    let seen = 0
    for (;;) {
      const done = await this.#serially(async () => {
        const entries = await this.#db.iterator({ gt: after, lt: 'f"', limit: slice }).all()
        if (entries.length === 0) return true
        after = entries[entries.length - 1]![0]
        const olds = entries.map(([, v]) => unpack(v) as FindingRow)
        const scores = await this.#score(olds)
        const changes: Change[] = []
        olds.forEach((old, i) => {
          const { kev: _, ...rest } = old
          const row = this.#row({ ...rest, ...scoreFields(scores[i]!) })
          if (!Buffer.from(pack(row)).equals(Buffer.from(entries[i]![1]))) changes.push({ id: old.id, old, row })
        })
        changed += changes.length
        seen += entries.length
        await this.#commit(changes)
        return entries.length < slice
      })
      opts.onProgress?.(seen)
      if (done) return changed
      await new Promise((r) => setImmediate(r))
    }
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
