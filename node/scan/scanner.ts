// A scan from roots to results: discover files, examine them in a worker pool (reusing the
// cache for unchanged files), match packages against advisories, and build findings.
import { resolve } from 'node:path'
import { fingerprint, type Finding } from '../../crdt/index.ts'
import { relaxHeapGrowth, type Package } from '../../protocol/index.ts'
import { discover, type ScanWarning } from './discovery.ts'
import type { CachedFile, ScanCache } from './scan-cache.ts'
import type { GroupTable, StoredFindings } from './cached-findings.ts'
import { encodeMemo, readMemo, type MemoFile, type MemoSetting } from './scan-memo.ts'
import { NO_SECRETS } from './cache-entry.ts'
import type { ExaminedBatch, FileResult, FileStamp, FileTask, SecretHit } from './file-result.ts'
import { parserFor } from './lockfiles/index.ts'
import { VulnMatcher, type AdvisorySource, type KeySlot } from './vuln-matcher.ts'
import { examineAll } from './examine-pool.ts'
import { unpackPackages } from './package-codec.ts'
import { isProbablyText } from './text-files.ts'
import { changedTooRecently, depsUnchanged } from './stamps.ts'

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
const NO_STORED: StoredFindings = ['', new Uint32Array(0)]
/** Shared by every file without findings (frozen: nothing adds to all at once), as cache-entry.ts' NO_SECRETS. */
const NO_FINDINGS = Object.freeze([]) as unknown as Finding[]
/** Cached files re-matched (or whose packages are read) per round trip to the cache. */
const CACHE_CHUNK = 512

type Task = FileTask & { size: number, mtimeMs: number, ctimeMs: number }
/** A file the cache may answer for, with the entry that would. */
type Answerable = { task: Task, file: CachedFile }

/** What the result needs of a file once it is matched (and cached); nothing else is kept. */
interface Outcome { rel: string, count: number, error: string | undefined, secrets: SecretHit[], findings: Finding[], packages: Uint8Array }
/** A file's outcome, with the cache entry that answered for it (its stamp and its findings' stored form, for the scan's memo; undefined where the file was read). */
interface Settled extends Outcome { abs: string, entry: CachedFile | undefined }

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
  const agent = opts.agent ?? ''
  // The last scan's memo answers for all of this one where nothing it depends on changed
  // (scan-memo.ts); it and the advisory groups its findings name are read (on LevelDB's
  // threads) while this thread walks the roots.
  const setting: MemoSetting | undefined = cache && (opts.advisories === undefined || generation !== undefined)
    ? { roots, generation: generation ?? '', agent, secrets: wantSecrets, packed: keepInventory }
    : undefined
  const memoRead = setting && cache!.memo()
  const groupsRead = setting && generation !== undefined ? cache!.groups(generation) : undefined
  for (const p of [memoRead, groupsRead]) p?.catch(() => { /* awaited below; a walk that throws first leaves it unobserved */ })
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

  const memo = await memoRead
  const remembered = setting && await fromMemo(cache!, setting, tasks, memo, await groupsRead)
  if (remembered) return resultOf(remembered, files.length, warnings, 0, remembered.length, agent, started)
  // This scan may change the cache: the memo goes first, so none is left that would answer
  // for what changed (a scan that read none knows there is none to drop).
  const reading = cache?.readUnder(roots, generation)
  reading?.catch(() => { /* awaited below */ })
  if (cache && (setting === undefined || memo !== undefined)) await cache.putMemo(undefined)

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
  /** Entries stored again (matched again, or under a new stamp). */
  let rewritten = 0
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
        settled.push({ abs: task.abs, rel: task.rel, count: file.count, error: file.error, secrets: wantSecrets ? file.secrets : NO_SECRETS, findings: matcher ? v!.findings : NO_FINDINGS, packages, entry: file })
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
          const entry = generation === undefined ? rest : { ...rest, vulns: { generation, agent, path: task.rel, findings } }
          updates.push({ path: task.abs, file: entry })
          settled.push({ abs: task.abs, rel: task.rel, count: file.count, error: file.error, secrets: wantSecrets ? file.secrets : NO_SECRETS, findings, packages, entry })
        }
      }
      rewritten += updates.length
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
      // A scan that reads a file leaves no memo (below): nothing of its entry is kept.
      settled.push({ abs: r.abs, rel: r.rel, count: r.count, error: r.error, secrets: r.secrets, findings, packages: keepInventory ? r.packages : EMPTY, entry: undefined })
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
    // A scan that found every file's entry as it was (its tree and the advisories have settled)
    // leaves its memo for the next. One that read a file, or matched one again, leaves none:
    // what it scans is changing, where a memo (~7 MB for 150,000 findings) would seldom
    // answer, and it would be written while the scan's findings and LevelDB's pending writes
    // are at their largest (bench:scan's cold scan: +~90 ms, +~25 MB peak RSS).
    const next = setting && examined === 0 && rewritten === 0 && memoOf(setting, tasks, settled, matcher !== undefined)
    if (next) await cache.putMemo(next)
  }
  return resultOf(settled, files.length, warnings, examined, fromCache, agent, started)
}

/** The scan's result from its settled files. */
function resultOf(settled: Outcome[], files: number, warnings: ScanWarning[], examined: number, cached: number, agent: string, started: number): ScanResult {
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
    stats: { files, examined, cached, packages: packageCount, findings: findings.length, durationMs: Math.round(performance.now() - started) },
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

/**
 * The scan's files settled from the memo, when it answers for all of them (with their
 * packages from the cache, where the scan keeps the inventory); else undefined.
 */
async function fromMemo(cache: ScanCache, setting: MemoSetting, tasks: Task[], memo: Uint8Array | undefined, table: GroupTable | undefined): Promise<Outcome[] | undefined> {
  const results = memo && readMemo(memo, setting, tasks, table)
  if (!results) return undefined
  const out: Outcome[] = new Array(results.length)
  for (let i = 0; i < results.length; i += CACHE_CHUNK) {
    const packed = setting.packed ? await cache.packagesOf(tasks.slice(i, i + CACHE_CHUNK).map((t) => t.abs)) : []
    for (let j = i; j < Math.min(i + CACHE_CHUNK, results.length); j++) {
      const packages = setting.packed ? packed[j - i]! : EMPTY
      // Packages gone from the cache (a scan that stopped part way): the entries will do.
      if (results[j]!.count > 0 && setting.packed && packages.length === 0) return undefined
      out[j] = { ...results[j]!, packages }
    }
  }
  return out
}

/**
 * The memo of a scan whose every file was answered by its cache entry, with its findings'
 * stored form; else undefined (none is kept). Such a scan settled its files in task order
 * (answering its hits as it found them): each is checked against its task, not looked up.
 */
function memoOf(setting: MemoSetting, tasks: Task[], settled: Settled[], matched: boolean): Uint8Array | undefined {
  if (settled.length !== tasks.length) return undefined
  const files = new Array<MemoFile>(tasks.length)
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i]!
    const r = settled[i]!
    const e = r.entry
    const stored = matched ? e?.vulns?.stored : NO_STORED
    if (r.abs !== t.abs || !e || !stored) return undefined
    files[i] = { abs: t.abs, rel: t.rel, size: e.size, mtimeMs: e.mtimeMs, ctimeMs: e.ctimeMs, count: r.count, error: r.error, secrets: r.secrets, deps: e.deps, stored }
  }
  return encodeMemo(setting, files)
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
function allFindings(settled: Outcome[], agent: string): Finding[] {
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

/** Whether the file, or a side file its parser read, changed too recently to be cached (stamps.ts). */
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
