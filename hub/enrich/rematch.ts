// Re-matching stored inventories against the hub's advisory DB without a rescan (DESIGN.md
// "Scanning and advisories"): when advisories change, every agent's inventory doc is matched
// again and yields the findings the agent itself would compute, under the same fingerprints.
// The main thread streams agents' inventories and drops entries whose package no advisory
// lists (most of them: one lookup per distinct package, then a Set); the rest are queued by
// package (up to pendingEntries) and handed to a worker pool package by package, so each
// package's records are copied to a worker once per batch rather than once per agent. A
// bounded number of tasks run at a time, memory stays flat however many entries pass, and
// the event loop (the API) keeps turning.
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
  /** Entries of listed packages per worker task. */
  taskEntries?: number
  /**
   * Entries of listed packages held before they go to the workers (memory: a reference each).
   * Each package's records are sent once per such batch, so the larger, the less copying.
   */
  pendingEntries?: number
}

/** Entries whose packages are looked up together. */
const RESOLVE_BATCH = 5_000

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
  const pendingCap = init.pendingEntries ?? ENRICH_DEFAULTS.rematchPendingEntries
  let pool: Piscina | undefined
  let closed = false
  let inFlight = 0

  const run = (task: RematchTask, signal?: AbortSignal): Promise<RematchTaskResult> => {
    if (threads === 0) return Promise.resolve(runRematchTask(task))
    pool ??= new Piscina({
      filename: new URL('./rematch-worker.ts', import.meta.url).href,
      minThreads: threads, maxThreads: threads,
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 },
    })
    return pool.run(task, { signal }) as Promise<RematchTaskResult>
  }

  async function rematch(inventories: Inventories, source: RecordSource, opts: RematchOptions = {}): Promise<RematchResult> {
    if (closed) throw new EnrichError('closed', 'the re-matcher is closed')
    const started = performance.now()
    const stats = { agents: 0, entries: 0, matchedEntries: 0, findings: 0, durationMs: 0 }
    const findings = new Map<string, Finding[]>()
    /** Agents not yet handed out: entries not yet settled (dropped or matched), whether all were read. */
    const open = new Map<string, { outstanding: number, read: boolean, ids: Set<string>, list: Finding[] }>()
    // What each package key is known to be: most have no advisory, a few thousand do.
    const none = new Set<string>()
    const listed = new Set<string>()
    const maxInFlight = Math.max(2, threads * 2)
    const running = new Set<Promise<void>>()
    let failure: unknown
    type Entry = { agent: string, key: string, p: Package }
    /** Entries whose package has not been looked up yet. */
    let unresolved: Entry[] = []
    /** Entries of listed packages, by package: matched package by package, so each package's records go to a worker once per flush. */
    let pending = new Map<string, Entry[]>()
    let pendingCount = 0

    const finish = async (agent: string) => {
      const st = open.get(agent)
      if (!st || st.outstanding > 0 || !st.read) return
      open.delete(agent)
      if (opts.onAgent) await opts.onAgent(agent, st.list)
      else findings.set(agent, st.list)
    }

    const lookup = async (keys: Map<string, Package>): Promise<Map<string, OsvRecord[]>> => {
      const out = new Map<string, OsvRecord[]>()
      const list = [...keys]
      for (let i = 0; i < list.length; i += 500) {
        const slice = list.slice(i, i + 500)
        const records = await Promise.all(slice.map(([, p]) => source.recordsFor(p.ecosystem, p.sourceName ?? p.name)))
        slice.forEach(([k], j) => out.set(k, records[j]!))
      }
      return out
    }

    const addPending = (e: Entry) => {
      let list = pending.get(e.key)
      if (!list) pending.set(e.key, (list = []))
      list.push(e)
      pendingCount++
    }

    /** Looks up the packages of unresolved entries: drops those no advisory lists, queues the rest. */
    const resolve = async () => {
      const entries = unresolved
      unresolved = []
      const keys = new Map<string, Package>()
      for (const e of entries) if (!none.has(e.key) && !listed.has(e.key) && !keys.has(e.key)) keys.set(e.key, e.p)
      for (const [k, records] of await lookup(keys)) (records.length === 0 ? none : listed).add(k)
      const settled = new Set<string>()
      for (const e of entries) {
        if (listed.has(e.key)) { addPending(e); continue }
        open.get(e.agent)!.outstanding--
        settled.add(e.agent)
      }
      for (const a of settled) await finish(a)
    }

    const dispatch = async (task: RematchTask, counts: Map<string, number>) => {
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
        for (const [a, n] of counts) { open.get(a)!.outstanding -= n; await finish(a) }
      }).catch((err: unknown) => { failure ??= err }).finally(() => { inFlight--; running.delete(p) })
      running.add(p)
    }

    /** Hands the queued entries to workers, package by package, with each package's records. */
    const flush = async () => {
      const queued = pending
      pending = new Map()
      pendingCount = 0
      const keys = new Map<string, Package>()
      for (const [k, list] of queued) keys.set(k, list[0]!.p)
      const records = await lookup(keys)
      let task: RematchTask = { agents: [], records: [], entries: [] }
      let agentIndex = new Map<string, number>()
      let counts = new Map<string, number>()
      for (const [k, list] of queued) {
        const recs = records.get(k)!
        const ki = task.records.length
        task.records.push(recs)
        for (const e of list) {
          let a = agentIndex.get(e.agent)
          if (a === undefined) { a = task.agents.length; agentIndex.set(e.agent, a); task.agents.push(e.agent) }
          counts.set(e.agent, (counts.get(e.agent) ?? 0) + 1)
          task.entries.push({ a, k: ki, p: e.p })
        }
        stats.matchedEntries += list.length
        if (task.entries.length >= taskEntries) {
          await dispatch(task, counts)
          if (failure) return
          task = { agents: [], records: [], entries: [] }
          agentIndex = new Map()
          counts = new Map()
        }
      }
      if (task.entries.length > 0) await dispatch(task, counts)
    }

    for await (const [agent, packages] of inventories) {
      opts.signal?.throwIfAborted()
      if (failure) break
      stats.agents++
      let st = open.get(agent)
      if (!st) open.set(agent, (st = { outstanding: 0, read: false, ids: new Set(), list: [] }))
      st.read = false
      for (const p of packages) {
        stats.entries++
        if (stats.entries % 100_000 === 0) opts.onProgress?.(stats.entries)
        const key = packageKeyOf(p)
        if (none.has(key)) continue
        st.outstanding++
        if (listed.has(key)) addPending({ agent, key, p })
        else if (unresolved.push({ agent, key, p }) >= RESOLVE_BATCH) await resolve()
        if (pendingCount >= pendingCap) await flush()
      }
      st.read = true
      await finish(agent)
    }
    if (!failure) {
      await resolve()
      await flush()
    }
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
