// A peer process's V8 heap (agent and hub), where V8's defaults don't fit a peer's life.
//
// An agent sits idle for minutes after a scan: V8 keeps the young generation the scan grew (up
// to 16 MB resident) and the old generation's free pages until memory gets tight, which on an
// idle process is never; a last-resort collection hands them back (`giveBackMemory`; measured
// on an idle agent: RSS ~100 → ~80 MB), glibc's malloc_trim the pages its arenas keep free
// (after a scan of 55,000 packages: ~150 → ~100 MB), and the kernel the Node binary's code and
// data pages that start-up and the scan touched and idling does not (~90 → ~50 MB;
// docs/ARCHITECTURE.md "Idle agent memory").
//
// A hub taking hundreds of agents at once promotes most of what it decodes (docs materialized
// for a session, then again for the index, outlive a young-generation cycle), and V8 lets the
// old generation grow to up to 4× what its last full collection left live before collecting
// again: ~70 MB live became ~290 MB of heap (bench:sync, 200 agents). `HeapBudget` starts a
// full collection (incremental, concurrent marking) once the heap is `factor` × that live size,
// at least `slackBytes` above it. While the heap grows with what it keeps (a hub taking one
// agent's 100,000 findings holds the doc), a collection frees little and only costs: one that
// freed under a quarter of the heap widens the next limit (× 1.5 each time, up to V8's own 4×);
// one that freed more sets it back.
//
// Node offers gc() only behind --expose-gc, a flag V8 accepts at run time; the function is
// taken from a fresh context, the main one gets no `gc` global.
import { constants, PerformanceObserver } from 'node:perf_hooks'
import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { pageOutFileMappings, trimMalloc } from './native-memory.ts'

type Gc = (opts: { type: 'major', execution: 'sync' | 'async', flavor?: 'last-resort' }) => void

let gcFunction: Gc | undefined

function gc(): Gc {
  if (!gcFunction) {
    setFlagsFromString('--expose-gc')
    gcFunction = runInNewContext('gc') as Gc
  }
  return gcFunction
}

/**
 * For a process going idle: a full, memory-reducing collection now, then the C heap's free
 * pages handed back, then the clean pages of its read-only file mappings that no other process
 * maps (read again from the file when next touched).
 */
export function giveBackMemory(): void {
  gc()({ type: 'major', execution: 'sync', flavor: 'last-resort' })
  trimMalloc()
  pageOutFileMappings()
}

/** The `--heap-growing-percent` this process was started with (bin/memory-settings.js gives `zt scan` one), if any. */
const STARTED_GROWING_PERCENT = process.execArgv.find((a) => a.startsWith('--heap-growing-percent='))
let relaxed = 0
/** What relaxHeapGrowth lets the heap grow by: 200% (a limit of 3× the live size). */
const RELAXED_PERCENT = 200

/**
 * Lets the heap grow to 3× what the last collection left live until the returned function is
 * called (once per call; nested holds count), then puts back the percent the process started
 * with; nothing to do in a process started without one. A scan starts with a small percent so
 * that the garbage of its parsing threads never becomes RSS; a scan that decodes cached
 * findings keeps nearly all it makes, and under that percent V8 marks the growing live set
 * again and again (bench:scan's rescan: 8 full collections instead of 3, decoding ~2× slower).
 * Not V8's own factor (up to 4×): set at a collection during a cold scan's walk, its limit
 * outlived the hold into the parsing, where the main heap grew to ~100 MB before the next
 * collection (peak RSS ~305 against ~275 MB, in up to half the runs); at 3× the rescan is as
 * fast (8 interleaved runs: ~101 against ~100 ms) and no run reached it (8 of 8). V8 reads
 * the flag whenever it sets the next limit, so a change takes effect from the next
 * collection; the flag is the process's, so nothing that parses may run while it is relaxed.
 */
export function relaxHeapGrowth(): () => void {
  if (STARTED_GROWING_PERCENT === undefined) return () => {}
  if (relaxed++ === 0) setFlagsFromString(`--heap-growing-percent=${RELAXED_PERCENT}`)
  let held = true
  return () => {
    if (!held) return
    held = false
    if (--relaxed === 0) setFlagsFromString(STARTED_GROWING_PERCENT)
  }
}

/** V8's own largest growing factor: a budget never lets the heap grow more than V8 would. */
const MAX_FACTOR = 4

export interface HeapBudgetOptions {
  /** Heap in use, as a multiple of what the last full collection left live, that starts one. */
  factor?: number
  /** Never start one with less than this above the live size. */
  slackBytes?: number
  /** How often the heap is looked at. */
  everyMs?: number
}

export class HeapBudget {
  readonly #baseFactor: number
  #factor: number
  readonly #slack: number
  readonly #everyMs: number
  #live = getHeapStatistics().used_heap_size
  /** Collections this budget started. */
  started = 0
  /** The heap in use when the collection we started, not yet seen to finish, began (none is started meanwhile). */
  #pending: number | undefined
  #timer: NodeJS.Timeout | undefined
  #observer: PerformanceObserver | undefined

  constructor(opts: HeapBudgetOptions = {}) {
    this.#baseFactor = this.#factor = opts.factor ?? 1.5
    this.#slack = opts.slackBytes ?? 48 * 1024 * 1024
    this.#everyMs = opts.everyMs ?? 50
  }

  /** The growing factor now: the configured one, or wider after collections that freed little. */
  get factor(): number {
    return this.#factor
  }

  /** The heap size that starts a collection. */
  get limit(): number {
    return Math.max(this.#live * this.#factor, this.#live + this.#slack)
  }

  start(): this {
    if (this.#timer) return this
    // What a full collection (V8's or ours) left live: read as soon as it is reported.
    this.#observer = new PerformanceObserver((list) => {
      if (!list.getEntries().some((e) => (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) return
      this.#live = getHeapStatistics().used_heap_size
      if (this.#pending !== undefined) {
        const freed = this.#pending - this.#live
        this.#factor = freed < this.#pending / 4 ? Math.min(this.#factor * 1.5, MAX_FACTOR) : this.#baseFactor
      }
      this.#pending = undefined
    })
    this.#observer.observe({ entryTypes: ['gc'] })
    this.#timer = setInterval(() => this.check(), this.#everyMs).unref()
    return this
  }

  /** Starts a full collection if the heap is past the limit; whether it did. */
  check(): boolean {
    if (this.#pending !== undefined) return false
    const used = getHeapStatistics().used_heap_size
    if (used <= this.limit) return false
    this.#pending = used
    this.started++
    gc()({ type: 'major', execution: 'async' })
    return true
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
    this.#observer?.disconnect()
    this.#observer = undefined
  }
}
