// A scan from roots to results: discover files, examine them in a worker pool (reusing the
// cache for unchanged files), match packages against advisories, and build findings.
import { statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { Piscina } from 'piscina'
import { fingerprint, type Finding } from '../../crdt/index.ts'
import type { Package } from '../../protocol/index.ts'
import { discover, type ScanWarning } from './discovery.ts'
import type { ScanCache } from './scan-cache.ts'
import type { FileResult, FileStamp, FileTask, SecretHit } from './file-result.ts'
import { parserFor } from './lockfiles/index.ts'
import { VulnMatcher, type AdvisorySource } from './vuln-matcher.ts'
import { examineFile } from './parse-worker.ts'
import { unpackPackages } from './package-codec.ts'
import { isProbablyText } from './text-files.ts'

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
const BATCH_FILES = 64
const BATCH_BYTES = 4 * 1024 * 1024

export async function scan(opts: ScanOptions): Promise<ScanResult> {
  const started = performance.now()
  const wantSecrets = (opts.secrets ?? true) && opts.hmacKey !== undefined
  const { files, warnings } = await discover(opts.roots, { exclude: opts.exclude, maxFileSize: opts.maxFileSize, signal: opts.signal })

  const tasks: (FileTask & { size: number, mtimeMs: number })[] = []
  for (const f of files) {
    const parse = parserFor(f.rel) !== undefined
    const secrets = wantSecrets && isProbablyText(f.rel)
    if (parse || secrets) tasks.push({ abs: f.abs, rel: f.rel, parse, secrets, hash: opts.cache !== undefined, size: f.size, mtimeMs: f.mtimeMs })
  }

  const agent = opts.agent ?? ''
  const keepInventory = opts.inventory ?? true
  const matcher = opts.advisories ? new VulnMatcher(opts.advisories) : undefined
  // Without a generation to check against, cached findings cannot be trusted: match again.
  const generation = opts.advisories ? opts.advisories.generation?.() : ''

  // Unchanged files (same size and mtime) come from the cache without being read.
  const cached = opts.cache ? await opts.cache.getMany(tasks.map((t) => t.abs)) : []
  const results: FileResult[] = []
  const todo: typeof tasks = []
  const rematch: FileResult[] = []
  const hits: FileResult[] = []
  const hitTasks: typeof tasks = []
  tasks.forEach((t, i) => {
    const c = cached[i]
    if (c && c.size === t.size && c.mtimeMs === t.mtimeMs && (c.secrets.length === 0 || wantSecrets) && depsUnchanged(c.deps)) {
      hitTasks.push(t)
      hits.push({ abs: t.abs, rel: t.rel, size: c.size, mtimeMs: c.mtimeMs, hash: c.hash, packages: EMPTY, count: c.count, keys: c.keys, secrets: wantSecrets ? c.secrets : [], error: c.error, deps: c.deps, vulns: c.vulns })
    } else todo.push(t)
  })
  // The packages themselves are cached only by scans that keep the inventory; a scan that
  // wants them and finds none re-reads that file.
  const packed = keepInventory && opts.cache ? await opts.cache.packagesOf(hits.map((r) => r.abs)) : []
  hits.forEach((r, i) => {
    if (keepInventory) {
      if (r.count > 0 && !packed[i]?.length) { todo.push(hitTasks[i]!); return }
      r.packages = packed[i] ?? EMPTY
    }
    results.push(r)
    // Findings computed against another advisory DB state (or for another agent) are redone.
    if (matcher && (generation === undefined || r.vulns?.generation !== generation || r.vulns.agent !== agent)) rematch.push(r)
  })

  // Match each batch as it arrives, cache it, and drop its packed packages unless kept.
  // `fresh`: the batch was just read (its packages replace or drop what the cache holds).
  const settle = async (batch: FileResult[], fresh: boolean): Promise<void> => {
    if (matcher) for (const r of batch) r.vulns = { generation: generation ?? '', agent, findings: await matcher.findingsForKeys([{ path: r.rel, keys: r.keys }], agent) }
    if (opts.cache) {
      // A file that could not be read (no hash) is not cached: the next scan tries it again.
      await opts.cache.putMany(batch.filter((r) => r.hash !== '').map((r) => ({
        path: r.abs,
        file: { size: r.size, mtimeMs: r.mtimeMs, hash: r.hash, count: r.count, keys: r.keys, secrets: r.secrets, ...(r.error ? { error: r.error } : {}), ...(r.deps ? { deps: r.deps } : {}), ...(r.vulns ? { vulns: r.vulns } : {}) },
        ...(fresh ? { packages: keepInventory ? r.packages : undefined } : {}),
      })))
    }
    if (!keepInventory) for (const r of batch) r.packages = EMPTY
  }
  await settle(rematch, false)
  const examined = await examineAll(todo, opts, wantSecrets, (batch) => settle(batch, true))
  for (const r of examined) results.push(r)
  // Files gone from the roots leave nothing behind in the cache.
  if (opts.cache) await opts.cache.prune(opts.roots.map((r) => resolve(r)), new Set(tasks.map((t) => t.abs)))

  results.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
  const errors: ScanError[] = []
  const findings: Finding[] = []
  let packageCount = 0
  for (const r of results) {
    if (r.error) errors.push({ path: r.rel, message: r.error })
    packageCount += r.count
    for (const s of r.secrets) findings.push(secretFinding(agent, s))
    for (const f of r.vulns?.findings ?? []) findings.push(f)
  }
  const result: ScanResult = {
    packages: [], findings, errors, warnings,
    stats: { files: files.length, examined: examined.length, cached: results.length - examined.length, packages: packageCount, findings: findings.length, durationMs: Math.round(performance.now() - started) },
  }
  // Package objects are decoded only if someone reads them (JSON and CycloneDX output do;
  // the table and the exit code do not): a big tree's inventory stays packed until then.
  let decoded: Package[] | undefined
  Object.defineProperty(result, 'packages', {
    enumerable: true,
    get: () => {
      if (!decoded) { decoded = []; for (const r of results) for (const p of unpackPackages(r.packages)) decoded.push(p) }
      return decoded
    },
  })
  return result
}

/** Whether the side files a cached parse read are as they were (absent ones still absent). */
function depsUnchanged(deps: FileStamp[] | undefined): boolean {
  if (!deps) return true
  for (const d of deps) {
    let size = -1
    let mtimeMs = -1
    try { const st = statSync(d.path); size = st.size; mtimeMs = st.mtimeMs } catch { /* absent */ }
    if (size !== d.size || mtimeMs !== d.mtimeMs) return false
  }
  return true
}

function secretFinding(agent: string, s: SecretHit): Finding {
  return {
    id: fingerprint({ agent, kind: 'secret', rule: s.rule, subject: s.hash, path: s.path }),
    kind: 'secret', rule: s.rule, severity: s.severity, title: s.description,
    path: s.path, line: s.line, column: s.column, evidence: s.preview, secretHash: s.hash,
  }
}

async function examineAll(todo: FileTask[], opts: ScanOptions, wantSecrets: boolean, onBatch: (batch: FileResult[]) => Promise<void>): Promise<FileResult[]> {
  if (todo.length === 0) return []
  // Beyond a few workers the main thread (matching, the cache) is the limit; each worker costs memory.
  const threads = opts.threads ?? Math.min(8, Math.max(1, availableParallelism()))
  if (threads === 0 || todo.length < 8) {
    const { createSecretScanner } = await import('./secrets/index.ts')
    const scanner = wantSecrets ? createSecretScanner({ hmacKey: opts.hmacKey! }) : undefined
    const out = todo.map((t, i) => { opts.onProgress?.(i + 1, todo.length); return examineFile(t, scanner) })
    await onBatch(out)
    return out
  }
  const pool = new Piscina({
    filename: new URL('./parse-worker.ts', import.meta.url).href,
    minThreads: threads, maxThreads: threads,
    // A worker holds one batch at a time: a small young generation keeps its RSS small.
    resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 },
    workerData: { hmacKey: wantSecrets ? opts.hmacKey : undefined },
  })
  try {
    const batches: FileTask[][] = []
    let batch: FileTask[] = []
    let bytes = 0
    for (const t of todo as (FileTask & { size: number })[]) {
      batch.push({ abs: t.abs, rel: t.rel, parse: t.parse, secrets: t.secrets, hash: t.hash })
      bytes += t.size
      if (batch.length >= BATCH_FILES || bytes >= BATCH_BYTES) { batches.push(batch); batch = []; bytes = 0 }
    }
    if (batch.length > 0) batches.push(batch)
    let done = 0
    const out = await Promise.all(batches.map(async (b) => {
      const r = await pool.run(b, { signal: opts.signal }) as FileResult[]
      done += b.length
      opts.onProgress?.(done, todo.length)
      await onBatch(r)
      return r
    }))
    return out.flat()
  } finally {
    await pool.destroy()
  }
}
