// Enrichment wired into the running hub. When the advisory DB changes (an import through the
// API, or `zt hub db import` while the hub was stopped: the generation last re-matched is kept
// per tenant) every stored inventory is re-matched in the worker pool, without a rescan; the
// findings the agent has not reported are written by the hub into `<tenant>/enrich` under the
// agent's fingerprints, and those that stop matching are resolved. When EPSS, KEV, advisories
// or a tenant's VEX statements change (or one expires), index rows are re-scored in slices.
import { FINDINGS, PACKAGES, clean, findingsDoc, matchedFindings, parseDocName, sameValue, setMatchedFinding, tenantDoc, type Finding, type MatchedFinding, type Store } from '../../crdt/index.ts'
import type { Replica } from '../../mesh/index.ts'
import type { Package } from '../../protocol/index.ts'
import type { FindingRow, FindingsIndex, RowSuppression, Score } from '../index/findings-index.ts'
import { Histogram, type EnrichmentMetrics } from '../metrics.ts'

export type { EnrichmentMetrics }
import type { TenantWriter } from '../tenant-writer.ts'
import { scoreOf, type Enricher } from './enricher.ts'
import type { HubDb } from './hub-db.ts'
import { createRematcher, type Inventories, type Rematcher, type RematcherInit } from './rematch.ts'
import type { SuppressionStore } from './suppression-store.ts'
import { indexStatements, suppressionOf } from './suppressions.ts'
import type { VexStatement } from './openvex.ts'

/** What the service needs of a tenant the hub serves. */
export interface EnrichedTenant {
  tenant: string
  replica: Replica
  writer: TenantWriter
  findings: FindingsIndex
  /** Where the generations last re-matched and re-scored are kept. */
  marks: Store
}

export interface EnrichmentService {
  /** Loads the tenant's VEX statements; the index's suppression callback for it. */
  addTenant(tenant: string, suppressions: SuppressionStore): Promise<(row: FindingRow) => RowSuppression | undefined>
  /** The index's score callback: the enricher's risk of each finding, and whether it is in KEV. */
  score(findings: Finding[]): Promise<Score[]>
  /** The tenant, indexed and caught up; re-matched / re-scored at once if the DB moved on since. */
  attach(t: EnrichedTenant): Promise<void>
  suppressions(tenant: string): SuppressionStore | undefined
  /** After statements were added or deleted: re-applies them. Resolves when done. */
  suppressionsChanged(tenant: string): Promise<void>
  /** Re-matches the tenants (all when none given); resolves when done. */
  rematch(tenants?: string[]): Promise<void>
  /** Waits for queued re-matches and re-scores. */
  idle(): Promise<void>
  metrics(): EnrichmentMetrics
  /** Safe to call twice. */
  close(): Promise<void>
}

export interface EnrichmentInit extends RematcherInit {
  log?: (line: string) => void
  now?: () => number
}

const REMATCH_MARK = 'rematched'
const SCORE_MARK = 'scored'
const WRITE_BATCH = 2_000
/** Timers are capped here (setTimeout's limit is ~24.8 days); a later expiry is looked at again then. */
const MAX_TIMER_MS = 86_400_000

/** Each agent's inventory, read from its stored doc one agent at a time; revoked agents' are left alone. */
async function* inventoriesOf(replica: Replica): AsyncGenerator<readonly [string, Package[]]> {
  for (const doc of Object.keys(await replica.log.haveVector())) {
    const parsed = parseDocName(doc)
    if (parsed?.kind !== 'inventory' || replica.isRevoked(parsed.owner)) continue
    const d = await replica.log.doc(doc)
    if (d) yield [parsed.owner, [...d.getMap<Package>(PACKAGES).values()]]
  }
}

type TenantRuntime = { statements: Map<string, VexStatement[]>, store: SuppressionStore, state?: EnrichedTenant, timer?: NodeJS.Timeout }

export function createEnrichmentService(init: EnrichmentInit, components: { hubDb: HubDb, enricher: Enricher }): EnrichmentService {
  const { hubDb, enricher } = components
  const log = init.log ?? (() => {})
  const now = init.now ?? Date.now
  const rematcher: Rematcher = createRematcher(init)
  const tenants = new Map<string, TenantRuntime>()
  const metrics = { rematchRunning: false, rematchEntries: 0, rematchRuns: { ok: 0, failed: 0 }, rematchFindings: 0, rematchDuration: new Histogram([1, 5, 10, 30, 60, 120, 300, 900]), rescoredRows: 0 }
  let closed = false
  const abort = new AbortController()

  // One queue of work: tenants to re-match, then tenants to re-score, one at a time.
  const toRematch = new Set<string>()
  const toRescore = new Set<string>()
  let running: Promise<void> | undefined
  const waiters: (() => void)[] = []

  const kick = () => {
    if (running || closed) return
    running = (async () => {
      while (!closed && (toRematch.size > 0 || toRescore.size > 0)) {
        const [name] = toRematch.size > 0 ? toRematch : toRescore
        const rematching = toRematch.delete(name!)
        if (!rematching) toRescore.delete(name!)
        const t = tenants.get(name!)?.state
        if (!t) continue
        try {
          if (rematching) await rematchTenant(t)
          else await rescoreTenant(t)
        } catch (err) {
          if (closed) break
          if (rematching) metrics.rematchRuns.failed++
          log(`enrichment ${name}: ${rematching ? 're-match' : 're-score'} failed: ${(err as Error).message}`)
        }
      }
    })().finally(() => {
      running = undefined
      if (!closed && (toRematch.size > 0 || toRescore.size > 0)) kick()
      else for (const w of waiters.splice(0)) w()
    })
  }
  const idle = () => new Promise<void>((resolve) => { if (!running && toRematch.size === 0 && toRescore.size === 0) resolve(); else waiters.push(resolve) })

  async function rematchTenant(t: EnrichedTenant): Promise<void> {
    const generation = hubDb.advisories.generation()
    const started = performance.now()
    metrics.rematchRunning = true
    metrics.rematchEntries = 0
    const name = tenantDoc(t.tenant, 'enrich')
    // What the hub found before, per agent: few (what agents have not reported themselves).
    const held = new Map<string, Map<string, MatchedFinding>>()
    const before = await t.replica.log.doc(name)
    for (const [id, f] of before ? matchedFindings(before) : new Map<string, MatchedFinding>()) {
      let m = held.get(f.agent)
      if (!m) held.set(f.agent, (m = new Map()))
      m.set(id, f)
    }
    let pending: MatchedFinding[] = []
    const flush = async () => {
      if (pending.length === 0) return
      const batch = pending
      pending = []
      await t.writer.write('enrich', (d) => { for (const f of batch) setMatchedFinding(d, f) })
      metrics.rematchFindings += batch.length
      const doc = await t.replica.log.doc(name)
      if (doc) await t.findings.update(name, doc, batch.map((f) => f.id))
    }
    const at = now()
    try {
      await rematcher.rematch(inventoriesOf(t.replica) as Inventories, hubDb.advisories, {
        signal: abort.signal,
        onProgress: (n) => { metrics.rematchEntries = n },
        onAgent: async (agent, found) => {
          const reported = (await t.replica.log.doc(findingsDoc(agent)))?.getMap(FINDINGS)
          const mine = held.get(agent) ?? new Map<string, MatchedFinding>()
          held.delete(agent)
          const current = new Set<string>()
          for (const f of found) {
            if (reported?.has(f.id)) continue
            current.add(f.id)
            const old = mine.get(f.id)
            const next = clean({ ...f, agent, firstSeen: old && old.resolvedAt === undefined ? old.firstSeen : at })
            if (!old || !sameValue(old, next)) pending.push(next)
          }
          // No longer matching (the advisory changed or was withdrawn; the agent reported it): resolved.
          for (const [id, old] of mine) if (!current.has(id) && old.resolvedAt === undefined) pending.push({ ...old, resolvedAt: at })
          if (pending.length >= WRITE_BATCH) await flush()
        },
      })
      await flush()
      await t.marks.put(REMATCH_MARK, new TextEncoder().encode(generation))
      metrics.rematchRuns.ok++
      const seconds = (performance.now() - started) / 1000
      metrics.rematchDuration.observe('', seconds)
      log(`tenant ${t.tenant}: re-matched ${metrics.rematchEntries} inventory entries in ${seconds.toFixed(1)} s`)
    } finally {
      metrics.rematchRunning = false
    }
  }

  async function rescoreTenant(t: EnrichedTenant): Promise<void> {
    const generation = hubDb.generation()
    metrics.rescoredRows += await t.findings.rescore()
    await t.marks.put(SCORE_MARK, new TextEncoder().encode(generation))
  }

  /** Re-applies statements when the next one expires. */
  const armExpiry = (name: string) => {
    const rt = tenants.get(name)
    if (!rt || closed) return
    if (rt.timer) clearTimeout(rt.timer)
    rt.timer = undefined
    const t = now()
    let next = Infinity
    for (const list of rt.statements.values()) for (const s of list) {
      const at = s.expires === undefined ? NaN : Date.parse(s.expires)
      if (at > t && at < next) next = at
    }
    if (next === Infinity) return
    rt.timer = setTimeout(() => { toRescore.add(name); kick(); armExpiry(name) }, Math.min(MAX_TIMER_MS, next - t + 5))
    rt.timer.unref()
  }

  const unsubscribe = hubDb.onChange((what) => {
    for (const name of tenants.keys()) {
      if (what === 'advisories') toRematch.add(name)
      toRescore.add(name)
    }
    kick()
  })

  return {
    async addTenant(tenant, store) {
      const rt: TenantRuntime = { statements: indexStatements(await store.list()), store }
      tenants.set(tenant, rt)
      return (row) => suppressionOf(row, rt.statements, now())
    },
    async score(findings) {
      return (await enricher.enrich(findings)).map(scoreOf)
    },
    async attach(t) {
      const rt = tenants.get(t.tenant)
      if (!rt) throw new Error(`tenant ${t.tenant}: addTenant first`)
      rt.state = t
      const mark = async (key: string) => { const v = await t.marks.get(key); return v === undefined ? undefined : new TextDecoder().decode(v) }
      // Imported while the hub was stopped: re-match (what has no inventory yet costs nothing).
      if ((await mark(REMATCH_MARK)) !== hubDb.advisories.generation()) toRematch.add(t.tenant)
      if ((await mark(SCORE_MARK)) !== hubDb.generation()) toRescore.add(t.tenant)
      armExpiry(t.tenant)
      kick()
    },
    suppressions: (tenant) => tenants.get(tenant)?.store,
    async suppressionsChanged(tenant) {
      const rt = tenants.get(tenant)
      if (!rt) return
      rt.statements = indexStatements(await rt.store.list())
      armExpiry(tenant)
      toRescore.add(tenant)
      kick()
      await idle()
    },
    async rematch(names) {
      for (const n of names ?? tenants.keys()) if (tenants.has(n)) toRematch.add(n)
      kick()
      await idle()
    },
    idle,
    metrics: () => ({ ...metrics, rematchRuns: { ...metrics.rematchRuns }, queueDepth: rematcher.queueDepth + toRematch.size + toRescore.size + (running ? 1 : 0) }),
    async close() {
      if (closed) return
      closed = true
      unsubscribe()
      abort.abort()
      for (const rt of tenants.values()) if (rt.timer) clearTimeout(rt.timer)
      await running?.catch(() => {})
      for (const w of waiters.splice(0)) w()
      await rematcher.close()
    },
  }
}
