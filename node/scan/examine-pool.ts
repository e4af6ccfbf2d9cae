// Files examined (read, parsed, searched for secrets) in batches on a worker pool, each batch
// settled by the caller as it comes back; a few files on the calling thread.
import { getCompileCacheDir } from 'node:module'
import { availableParallelism } from 'node:os'
import { dirname } from 'node:path'
import { Piscina } from 'piscina'
import type { ExaminedBatch, FileTask } from './file-result.ts'
import { examineBatch } from './parse-worker.ts'
import { KeyNumbering } from './key-numbering.ts'
import type { ScanOptions } from './scanner.ts'

const BATCH_FILES = 64
const BATCH_BYTES = 4 * 1024 * 1024

/** What of the scan's options the pool needs. */
type ExamineOptions = Pick<ScanOptions, 'threads' | 'hmacKey' | 'onProgress' | 'signal'>

/** Examines the files in batches on a worker pool, settling each batch as it comes back; returns how many. */
export async function examineAll(todo: (FileTask & { size: number })[], opts: ExamineOptions, wantSecrets: boolean, onBatch: (batch: ExaminedBatch) => Promise<void>): Promise<number> {
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
