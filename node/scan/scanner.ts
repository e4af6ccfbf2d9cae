// A scan from roots to results: discover files, examine them in a worker pool (reusing the
// cache for unchanged files), match packages against advisories, and build findings.
import { statSync } from 'node:fs'
import { getCompileCacheDir } from 'node:module'
import { availableParallelism } from 'node:os'
import { dirname, resolve } from 'node:path'
import { Piscina } from 'piscina'
import { fingerprint, type Finding } from '../../crdt/index.ts'
import { relaxHeapGrowth, type Package } from '../../protocol/index.ts'
import { discover, type ScanWarning } from './discovery.ts'
import type { CachedFile, ScanCache } from './scan-cache.ts'
import { NO_SECRETS } from './cache-entry.ts'
import type { ExaminedBatch, FileResult, FileStamp, FileTask, SecretHit } from './file-result.ts'
import { parserFor } from './lockfiles/index.ts'
import { VulnMatcher, type AdvisorySource, type KeySlot } from './vuln-matcher.ts'
import { examineBatch } from './parse-worker.ts'
import { KeyNumbering } from './key-numbering.ts'
import { unpackPackages } from './package-codec.ts'
import { isProbablyText } from './text-files.ts'
import { changedTooRecently } from './racy.ts'

export interface ScanOptions {
  roots: string[]
  exclude?: string[]
  maxFileSize?: number
  /** Look for secrets (default true); needs hmacKey. */
  secrets?: boolean
  /** Installation key for secret hashes. */
  hmacKey?: Uint8Array
  /** The agent whose findings these are ('' outside an agent): part of every fingerprint. */
  agent?: string
  advisories?: AdvisorySource
  cache?: ScanCache
  /**
   * Keep every package for `result.packages` (default true). A scan that only needs findings
   * and counts (table, SARIF, exit code) passes false and never holds the inventory.
   */
  inventory?: boolean
  /** Worker threads (default: cores, at least 1); 0 examines files on the calling thread. */
  threads?: number
  onProgress?: (done: number, total: number) => void
  /** The clock (ms since the epoch; default Date.now): what changed too recently to trust its stamp is not cached. */
  now?: () => number
  signal?: AbortSignal
}

export interface ScanError { path: string, message: string }

export interface ScanResult {
  packages: Package[]
  findings: Finding[]
  errors: ScanError[]
  warnings: ScanWarning[]
  stats: { files: number, examined: number, cached: number, packages: number, findings: number, durationMs: number }
}

const EMPTY = new Uint8Array(0)
/** Shared by every file without findings (frozen: nothing adds to all at once), as cache-entry.ts' NO_SECRETS. */
const NO_FINDINGS = Object.freeze([]) as unknown as Finding[]
const BATCH_FILES = 64
const BATCH_BYTES = 4 * 1024 * 1024
/** Cached files re-matched (or whose packages are read) per round trip to the cache. */
const CACHE_CHUNK = 512

type Task = FileTask & { size: number, mtimeMs: number, ctimeMs: number }
/** A file the cache may answer for, with the entry that would. */
type Answerable = { task: Task, file: CachedFile }

/** What the result needs of a file once it is matched and cached; nothing else is kept. */
interface Settled { rel: string, count: number, error: string | undefined, secrets: SecretHit[], findings: Finding[], packages: Uint8Array }

export async function scan(opts: ScanOptions): Promise<ScanResult> {
  // What comes from the cache is kept, nearly all of it: V8's own heap growth serves that
  // best, the process's (a small one, for parsing threads' garbage) comes back before any
  // thread parses (protocol/heap.ts).
  const restoreGrowth = relaxHeapGrowth()
  try {
    return await scanFiles(opts, restoreGrowth)
  } finally {
    restoreGrowth()
  }
}

async function scanFiles(opts: ScanOptions, restoreGrowth: () => void): Promise<ScanResult> {
  const started = performance.now()
  const now = (opts.now ?? Date.now)()
  const wantSecrets = (opts.secrets ?? true) && opts.hmacKey !== undefined
  const keepInventory = opts.inventory ?? true
  const cache = opts.cache
  const roots = opts.roots.map((r) => resolve(r))
  // Without a generation to check against, cached findings cannot be trusted: match again.
  const generation = opts.advisories?.generation?.()
  // The cache's entries under the roots are read (LevelDB works on the pool's threads)
  // while this thread walks the roots.
  const reading = cache?.readUnder(roots, generation)
  reading?.catch(() => { /* awaited below; a walk that throws first leaves it unobserved */ })
  const { files, warnings } = await discover(opts.roots, { exclude: opts.exclude, maxFileSize: opts.maxFileSize, listings: cache?.listings, now: () => now, signal: opts.signal })

  // Index loops over every file: they run once per scan, before V8 optimizes them, where a
  // for-of allocates and calls per step.
  const tasks: Task[] = []
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!
    const parse = parserFor(f.rel) !== undefined
    const secrets = wantSecrets && isProbablyText(f.rel)
    if (parse || secrets) tasks.push({ abs: f.abs, rel: f.rel, parse, secrets, hash: cache !== undefined, pack: keepInventory, size: f.size, mtimeMs: f.mtimeMs, ctimeMs: f.ctimeMs })
  }

  const agent = opts.agent ?? ''
  const matcher = opts.advisories ? new VulnMatcher(opts.advisories) : undefined
  const settled: Settled[] = []

  // Unchanged files (same size, mtime and ctime, same side files) come from the cache without
  // being read, where the cache looked for secrets in them if this scan does; their findings
  // too while the advisory DB generation, the agent and the path they were found at are the same.
  // A file whose stamp moved but whose entry would otherwise do is read and hashed: the same
  // content is answered from its entry (a checkout or a touch parses nothing again).
  const held = await reading
  const todo: Task[] = []
  const hits: Answerable[] = []
  /** Files sent to be hashed against their entry's hash, by path. */
  const byHash = new Map<string, Answerable>()
  /** Of those, the ones whose content was the entry's (answered from it once the pool is done), and the ones to read again, whole. */
  const sameContent: Answerable[] = []
  const again: Task[] = []
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i]!
    const c = held?.take(t.abs)
    const usable = c !== undefined && (c.secretsScanned || !t.secrets) && (c.secrets.length === 0 || wantSecrets) && depsUnchanged(c.deps)
    if (usable && c.size === t.size && c.mtimeMs === t.mtimeMs && c.ctimeMs === t.ctimeMs) { hits.push({ task: t, file: c }); continue }
    if (usable && c.hash !== '') { t.expect = c.hash; byHash.set(t.abs, { task: t, file: c }) }
    todo.push(t)
  }

  /**
   * Settles files from their entries: packages from the cache, findings from the entry, or
   * matched again from the cached keys where stale. `store`: the entries are stored again
   * (their files' stamps moved). The files the cache could not answer for are handed back.
   */
  const answer = async (list: Answerable[], store: boolean): Promise<Task[]> => {
    const unanswered: Task[] = []
    for (let i = 0; i < list.length; i += CACHE_CHUNK) {
      const chunk = list.slice(i, i + CACHE_CHUNK)
      // The packages themselves are cached only by scans that keep the inventory; a scan
      // that wants them and finds none re-reads that file.
      const packed = keepInventory ? await cache!.packagesOf(chunk.map((h) => h.task.abs)) : []
      const rematch: { task: Task, file: CachedFile, packages: Uint8Array }[] = []
      const updates: { path: string, file: CachedFile }[] = []
      chunk.forEach(({ task, file }, j) => {
        const packages = keepInventory ? packed[j]! : EMPTY
        if (keepInventory && file.count > 0 && packages.length === 0) { unanswered.push(task); return }
        const v = file.vulns
        if (matcher && !(generation !== undefined && v && v.agent === agent && v.path === task.rel)) { rematch.push({ task, file, packages }); return }
        if (store) updates.push({ path: task.abs, file })
        settled.push({ rel: task.rel, count: file.count, error: file.error, secrets: wantSecrets ? file.secrets : NO_SECRETS, findings: matcher ? v!.findings : NO_FINDINGS, packages })
      })
      if (rematch.length > 0 && matcher) {
        // Findings computed against another advisory DB state (or for another agent, or
        // another path) are redone from the file's cached match keys.
        const keys = await cache!.keysOf(rematch.map((r) => r.task.abs))
        const slots = keys.map((k) => (k === '' ? [] : k.split('\n').map((key) => matcher.slot(key))))
        await matcher.match(slots)
        for (const [j, { task, file, packages }] of rematch.entries()) {
          if (file.count > 0 && keys[j] === '') { unanswered.push(task); continue }
          const findings = matcher.findingsOf(task.rel, slots[j]!, agent)
          const { vulns: _, ...rest } = file
          updates.push({ path: task.abs, file: generation === undefined ? rest : { ...rest, vulns: { generation, agent, path: task.rel, findings } } })
          settled.push({ rel: task.rel, count: file.count, error: file.error, secrets: wantSecrets ? file.secrets : NO_SECRETS, findings, packages })
        }
      }
      await cache!.putMany(updates)
    }
    return unanswered
  }

  if (cache) for (const t of await answer(hits, false)) todo.push(t)
  const fromCache = settled.length
  hits.length = 0

  // Match each batch as it arrives, cache it, and keep only what the result needs. A file's
  // keys come as numbers of the thread that read it: each thread's fresh keys extend its
  // table of slots in arrival order, before anything is awaited.
  const slotTables = new Map<number, KeySlot[]>()
  const settle = async ({ thread, fresh, files: batch }: ExaminedBatch): Promise<void> => {
    let table = slotTables.get(thread)
    if (!table) slotTables.set(thread, (table = []))
    if (matcher) for (const key of fresh) table.push(matcher.slot(key))
    const slots = matcher ? batch.map((r) => slotsOf(r.ids, table!)) : []
    if (matcher) await matcher.match(slots)
    const entries: Parameters<ScanCache['putMany']>[0] = []
    for (const [i, r] of batch.entries()) {
      if (r.same) {
        // Read and hashed, not parsed: the content its entry describes, under a new stamp
        // (kept only once that stamp can vouch for it; else the file is read again, whole).
        const { task, file } = byHash.get(r.abs)!
        task.expect = undefined
        if (racy(r, now)) again.push(task)
        else sameContent.push({ task, file: { ...file, size: r.size, mtimeMs: r.mtimeMs, ctimeMs: r.ctimeMs } })
        continue
      }
      const findings = matcher ? matcher.findingsOf(r.rel, slots[i]!, agent) : []
      // A file that could not be read (no hash) is not cached: the next scan tries it again;
      // nor is one changed too recently for its stamp to vouch for what was read.
      if (cache && r.hash !== '' && !racy(r, now)) {
        const file: CachedFile = { size: r.size, mtimeMs: r.mtimeMs, ctimeMs: r.ctimeMs, hash: r.hash, count: r.count, secrets: r.secrets, secretsScanned: r.secretsScanned, ...(r.error ? { error: r.error } : {}), ...(r.deps ? { deps: r.deps } : {}) }
        if (matcher && generation !== undefined) file.vulns = { generation, agent, path: r.rel, findings }
        // The file was just read: its keys and packages replace (or drop) what the cache holds.
        entries.push({ path: r.abs, file, keys: r.keys, packages: keepInventory ? r.packages : undefined })
      }
      settled.push({ rel: r.rel, count: r.count, error: r.error, secrets: r.secrets, findings, packages: keepInventory ? r.packages : EMPTY })
    }
    if (cache) await cache.putMany(entries)
  }
  restoreGrowth()
  const examined = await examineAll(todo, opts, wantSecrets, settle)
  if (sameContent.length > 0) for (const t of await answer(sameContent, true)) again.push(t)
  // Read again, whole (counted once: they were read above).
  if (again.length > 0) await examineAll(again, opts, wantSecrets, settle)
  if (cache) {
    // Files gone from the roots leave nothing behind in the cache; nor do old DB generations.
    await cache.remove(held!.untaken())
    if (generation !== undefined) await cache.pruneGenerations(generation)
  }

  settled.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
  const errors: ScanError[] = []
  let packageCount = 0
  for (const r of settled) {
    if (r.error) errors.push({ path: r.rel, message: r.error })
    packageCount += r.count
  }
  const findings = allFindings(settled, agent)
  const result: ScanResult = {
    packages: [], findings, errors, warnings,
    stats: { files: files.length, examined, cached: fromCache, packages: packageCount, findings: findings.length, durationMs: Math.round(performance.now() - started) },
  }
  // Package objects are decoded only if someone reads them (JSON and CycloneDX output do;
  // the table and the exit code do not): a big tree's inventory stays packed until then.
  let decoded: Package[] | undefined
  Object.defineProperty(result, 'packages', {
    enumerable: true,
    get: () => {
      if (!decoded) { decoded = []; for (const r of settled) for (const p of unpackPackages(r.packages)) decoded.push(p) }
      return decoded
    },
  })
  return result
}

/** A file's slots from its key numbers (a loop: Array.from with a map function iterates, an object per number). */
function slotsOf(ids: Uint32Array, table: KeySlot[]): KeySlot[] {
  const out = new Array<KeySlot>(ids.length)
  for (let i = 0; i < ids.length; i++) out[i] = table[ids[i]!]!
  return out
}

/**
 * Every file's findings in one array, each file's secrets first. Made at its size and filled
 * by index (flatMap grew its result as it went, and a loop pushing 150,000 findings one by
 * one runs once per scan, so unoptimized: ~4× slower).
 */
function allFindings(settled: Settled[], agent: string): Finding[] {
  let n = 0
  for (let i = 0; i < settled.length; i++) n += settled[i]!.secrets.length + settled[i]!.findings.length
  const out = new Array<Finding>(n)
  let at = 0
  for (let i = 0; i < settled.length; i++) {
    const { secrets, findings } = settled[i]!
    for (let j = 0; j < secrets.length; j++) out[at++] = secretFinding(agent, secrets[j]!)
    for (let j = 0; j < findings.length; j++) out[at++] = findings[j]!
  }
  return out
}

/** Whether the side files a cached parse read are as they were (absent ones still absent). */
function depsUnchanged(deps: FileStamp[] | undefined): boolean {
  if (!deps) return true
  for (const d of deps) {
    let size = -1
    let mtimeMs = -1
    let ctimeMs = -1
    try { const st = statSync(d.path); size = st.size; mtimeMs = st.mtimeMs; ctimeMs = st.ctimeMs } catch { /* absent */ }
    if (size !== d.size || mtimeMs !== d.mtimeMs || ctimeMs !== d.ctimeMs) return false
  }
  return true
}

/** Whether the file, or a side file its parser read, changed too recently to be cached (racy.ts). */
function racy(r: FileResult, now: number): boolean {
  return changedTooRecently(r.mtimeMs, now) || (r.deps?.some((d) => d.size !== -1 && changedTooRecently(d.mtimeMs, now)) ?? false)
}

function secretFinding(agent: string, s: SecretHit): Finding {
  return {
    id: fingerprint({ agent, kind: 'secret', rule: s.rule, subject: s.hash, path: s.path }),
    kind: 'secret', rule: s.rule, severity: s.severity, title: s.description,
    path: s.path, line: s.line, column: s.column, evidence: s.preview, secretHash: s.hash,
  }
}

/** Examines the files in batches on a worker pool, settling each batch as it comes back; returns how many. */
async function examineAll(todo: Task[], opts: ScanOptions, wantSecrets: boolean, onBatch: (batch: ExaminedBatch) => Promise<void>): Promise<number> {
  if (todo.length === 0) return 0
  // Beyond a few workers the main thread (matching, the cache) is the limit; each worker costs memory.
  const threads = opts.threads ?? Math.min(8, Math.max(1, availableParallelism()))
  const batches: FileTask[][] = []
  let batch: FileTask[] = []
  let bytes = 0
  for (const t of todo) {
    batch.push({ abs: t.abs, rel: t.rel, parse: t.parse, secrets: t.secrets, hash: t.hash, pack: t.pack, ...(t.expect === undefined ? {} : { expect: t.expect }) })
    bytes += t.size
    if (batch.length >= BATCH_FILES || bytes >= BATCH_BYTES) { batches.push(batch); batch = []; bytes = 0 }
  }
  if (batch.length > 0) batches.push(batch)
  let done = 0
  if (threads === 0 || todo.length < 8) {
    const { createSecretScanner } = await import('./secrets/index.ts')
    const examiner = { scanner: wantSecrets ? createSecretScanner({ hmacKey: opts.hmacKey! }) : undefined, numbering: new KeyNumbering(), thread: -1 }
    for (const b of batches) {
      opts.signal?.throwIfAborted()
      const r = examineBatch(b, examiner)
      for (let i = 0; i < b.length; i++) opts.onProgress?.(++done, todo.length)
      await onBatch(r)
    }
    return todo.length
  }
  const cacheDir = getCompileCacheDir()
  const compileCache = process.env.NODE_COMPILE_CACHE ?? (cacheDir ? dirname(cacheDir) : undefined)
  const pool = new Piscina({
    filename: new URL('./parse-worker.ts', import.meta.url).href,
    minThreads: threads, maxThreads: threads,
    // A worker holds one batch at a time: a small young generation keeps its RSS small.
    resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 },
    workerData: { hmacKey: wantSecrets ? opts.hmacKey : undefined },
    // Workers do not inherit the compile cache the process enabled (bin/zt.js): each would
    // load Node's TypeScript stripper to compile the parsers again (~10 MB a worker, held).
    ...(compileCache ? { env: { ...process.env, NODE_COMPILE_CACHE: compileCache } } : {}),
  })
  try {
    // Two batches per worker in flight: workers never wait, and results never pile up
    // on the main thread faster than it matches and caches them.
    const inFlight = new Set<Promise<void>>()
    let failure: { error: unknown } | undefined
    for (const b of batches) {
      if (failure) break
      const p: Promise<void> = (async () => {
        const r = await pool.run(b, { signal: opts.signal }) as ExaminedBatch
        done += b.length
        opts.onProgress?.(done, todo.length)
        await onBatch(r)
      })().catch((error: unknown) => { failure ??= { error } }).finally(() => inFlight.delete(p))
      inFlight.add(p)
      if (inFlight.size >= 2 * threads) await Promise.race(inFlight)
    }
    await Promise.all(inFlight)
    if (failure) throw failure.error
    return todo.length
  } finally {
    await pool.destroy()
  }
}
