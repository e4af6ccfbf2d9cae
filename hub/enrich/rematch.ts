// Re-matching stored inventories against the hub's advisory DB without a rescan (DESIGN.md
// "Scanning and advisories"): when advisories change, every agent's inventory doc is matched
// again and yields the findings the agent itself would compute, under the same fingerprints.
// The main thread streams agents' inventories, skips packages no advisory lists (most of
// them: one cached point lookup per distinct package), and hands the rest with their records
// to a worker pool, a bounded number of tasks at a time, so memory stays flat however many
// entries pass and the event loop (the API) keeps turning.
import { availableParallelism } from 'node:os'
import { Piscina } from 'piscina'
import type { OsvRecord } from '../../advisories/index.ts'
import type { Finding } from '../../crdt/index.ts'
import { baseEcosystem, normalizeName, type Package } from '../../protocol/index.ts'
import { ENRICH_DEFAULTS } from './constants.ts'
import { EnrichError } from './errors.ts'
import { runRematchTask, type RematchTask, type RematchTaskResult } from './rematch-task.ts'

/** Where records come from: HubDb.advisories (an AdvisoryDb) or anything with its lookup. */
export interface RecordSource {
  recordsFor(ecosystem: string, name: string): Promise<OsvRecord[]>
}

/** Agent id → its inventory (the inventory doc's `packages` values), one agent at a time. */
export type Inventories = AsyncIterable<readonly [agent: string, packages: Iterable<Package>]> | Iterable<readonly [agent: string, packages: Iterable<Package>]>

export interface RematchOptions {
  signal?: AbortSignal
  /** Called now and then with the inventory entries read so far. */
  onProgress?: (entries: number) => void
  /**
   * Called once per agent, when all its entries are matched, with its findings (possibly
   * none). When given, findings are not also collected in the result: memory stays bounded.
   */
  onAgent?: (agent: string, findings: Finding[]) => void | Promise<void>
}

export interface RematchResult {
  /** Per agent, its findings (empty when onAgent took them). */
  findings: Map<string, Finding[]>
  stats: { agents: number, entries: number, matchedEntries: number, findings: number, durationMs: number }
}

export interface RematcherInit {
  /** Worker threads (default: cores − 1, 1–4); 0 matches on the calling thread. */
  threads?: number
  /** Inventory entries per task. */
  taskEntries?: number
}

export interface Rematcher {
  rematch(inventories: Inventories, source: RecordSource, opts?: RematchOptions): Promise<RematchResult>
  /** Queued and running tasks (for `/metrics`: enrichment queue depth). */
  readonly queueDepth: number
  /** Safe to call twice. */
  close(): Promise<void>
}

const packageKeyOf = (p: Package) => {
  const name = p.sourceName ?? p.name
  return `${baseEcosystem(p.ecosystem)}\0${normalizeName(p.ecosystem, name)}`
}

export function createRematcher(init: RematcherInit = {}): Rematcher {
  const threads = init.threads ?? (ENRICH_DEFAULTS.rematchThreads || Math.min(4, Math.max(1, availableParallelism() - 1)))
  const taskEntries = init.taskEntries ?? ENRICH_DEFAULTS.rematchTaskEntries
  let pool: Piscina | undefined
  let closed = false
  let inFlight = 0

  const run = (task: RematchTask, signal?: AbortSignal): Promise<RematchTaskResult> => {
    if (threads === 0) return Promise.resolve(runRematchTask(task))
    pool ??= new Piscina({
      filename: new URL('./rematch-worker.ts', import.meta.url).href,
      minThreads: threads, maxThreads: threads,
      resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 256 },
    })
    return pool.run(task, { signal }) as Promise<RematchTaskResult>
  }

  async function rematch(inventories: Inventories, source: RecordSource, opts: RematchOptions = {}): Promise<RematchResult> {
    if (closed) throw new EnrichError('closed', 'the re-matcher is closed')
    const started = performance.now()
    const stats = { agents: 0, entries: 0, matchedEntries: 0, findings: 0, durationMs: 0 }
    const findings = new Map<string, Finding[]>()
    /** Agents not yet handed out: tasks holding their entries, all read, entries still in the batch. */
    const open = new Map<string, { tasks: number, read: boolean, batched: boolean, ids: Set<string>, list: Finding[] }>()
    // Packages known to have no advisory: most of an inventory; their keys alone stay small.
    const none = new Set<string>()
    const maxInFlight = Math.max(2, threads * 2)
    const running = new Set<Promise<void>>()
    let failure: unknown
    let batch: { agent: string, key: string, p: Package }[] = []

    const finish = async (agent: string) => {
      const st = open.get(agent)
      if (!st || st.tasks > 0 || !st.read || st.batched) return
      open.delete(agent)
      if (opts.onAgent) await opts.onAgent(agent, st.list)
      else findings.set(agent, st.list)
    }

    /** Looks the batch's packages up, hands the entries that have advisories to a worker. */
    const flush = async () => {
      const entries = batch
      batch = []
      const wanted = new Map<string, Package>()
      for (const e of entries) if (!wanted.has(e.key)) wanted.set(e.key, e.p)
      const keys = [...wanted.keys()]
      const lists = await Promise.all(keys.map((k) => { const p = wanted.get(k)!; return source.recordsFor(p.ecosystem, p.sourceName ?? p.name) }))
      const task: RematchTask = { agents: [], records: [], entries: [] }
      const recordIndex = new Map<string, number>()
      keys.forEach((k, i) => {
        if (lists[i]!.length === 0) none.add(k)
        else { recordIndex.set(k, task.records.length); task.records.push(lists[i]!) }
      })
      const agentIndex = new Map<string, number>()
      for (const e of entries) {
        open.get(e.agent)!.batched = false
        const k = recordIndex.get(e.key)
        if (k === undefined) continue
        let a = agentIndex.get(e.agent)
        if (a === undefined) { a = task.agents.length; agentIndex.set(e.agent, a); task.agents.push(e.agent) }
        task.entries.push({ a, k, p: e.p })
      }
      stats.matchedEntries += task.entries.length
      if (task.entries.length > 0) {
        for (const a of task.agents) open.get(a)!.tasks++
        while (running.size >= maxInFlight) await Promise.race(running)
        inFlight++
        const p: Promise<void> = run(task, opts.signal).then(async (r) => {
          for (let i = 0; i < r.f.length; i++) {
            const st = open.get(task.agents[r.a[i]!]!)!
            const f = r.f[i]!
            if (st.ids.has(f.id)) continue
            st.ids.add(f.id)
            st.list.push(f)
            stats.findings++
          }
          for (const a of task.agents) { open.get(a)!.tasks--; await finish(a) }
        }).catch((err: unknown) => { failure ??= err }).finally(() => { inFlight--; running.delete(p) })
        running.add(p)
      }
      for (const a of new Set(entries.map((e) => e.agent))) await finish(a)
    }

    for await (const [agent, packages] of inventories) {
      opts.signal?.throwIfAborted()
      if (failure) break
      stats.agents++
      let st = open.get(agent)
      if (!st) open.set(agent, (st = { tasks: 0, read: false, batched: false, ids: new Set(), list: [] }))
      st.read = false
      for (const p of packages) {
        stats.entries++
        if (stats.entries % 100_000 === 0) opts.onProgress?.(stats.entries)
        const key = packageKeyOf(p)
        if (none.has(key)) continue
        st.batched = true
        batch.push({ agent, key, p })
        if (batch.length >= taskEntries) await flush()
      }
      st.read = true
      await finish(agent)
    }
    if (!failure) await flush()
    await Promise.all(running)
    if (failure) throw failure
    opts.signal?.throwIfAborted()
    opts.onProgress?.(stats.entries)
    stats.durationMs = Math.round(performance.now() - started)
    return { findings, stats }
  }

  return {
    rematch,
    get queueDepth() { return inFlight },
    async close() {
      if (closed) return
      closed = true
      await pool?.destroy()
    },
  }
}

/** A one-off re-match with its own pool. */
export async function rematchInventories(inventories: Inventories, source: RecordSource, opts: RematchOptions & RematcherInit = {}): Promise<RematchResult> {
  const r = createRematcher(opts)
  try {
    return await r.rematch(inventories, source, opts)
  } finally {
    await r.close()
  }
}
